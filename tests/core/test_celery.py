import pytest
from celery.result import EagerResult

from strategy_portal.celery import app, ping


def test_without_a_broker_the_smoke_task_runs_in_process():
    result = ping.delay()

    assert isinstance(result, EagerResult)
    assert result.get() == "pong"


@pytest.mark.redis
def test_the_smoke_task_runs_through_a_real_worker(real_celery_worker):
    result = ping.delay()

    assert not isinstance(result, EagerResult)
    assert result.get(timeout=20) == "pong"
    assert result.status == "SUCCESS"


def test_celery_reads_its_settings_from_django(settings):
    assert app.conf.timezone == "Europe/London"
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
