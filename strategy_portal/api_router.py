"""The one API router, served under /api/v1/.

Each app that has an API provides `<app>/api/urls.py` with `register(router)`, which
registers its viewsets on this router.
"""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = ["seizures", "offences", "partners", "opendata", "strategy"]

router = DefaultRouter()
for app_label in API_APPS:
    try:
        module = import_module(f"{app_label}.api.urls")
    except ModuleNotFoundError as missing:
        if missing.name not in (f"{app_label}.api", f"{app_label}.api.urls"):
            raise  # the module exists but something it imports does not
        continue
    module.register(router)

app_name = "api"
urlpatterns = router.urls
