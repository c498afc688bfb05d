import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")

app = Celery("strategy_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="strategy_portal.ping")
def ping():
    """Smoke task: proves a worker can take a message from the broker and answer."""
    return "pong"
