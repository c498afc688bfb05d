from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("seizures.urls")),
    path("", include("offences.urls")),
    path("", include("partners.urls")),
    path("", include("opendata.urls")),
    path("imports/", include("imports.urls")),
    path("downloads/", include("core.urls")),
    path("", include("strategy.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("strategy_portal.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # REST framework views skip LoginRequiredMiddleware and answer 401/403 themselves; the
    # interactive docs are a page for people, so they send anonymous visitors to sign in.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
