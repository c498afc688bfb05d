from django.urls import path

from . import views, views_runs

app_name = "strategy"

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("dashboard/figures/runs/", views.aggregation_runs, name="runs"),
    path("dashboard/figures/rebuild/", views_runs.rebuild, name="rebuild"),
    path("dashboard/<slug:slug>/", views.indicator_detail, name="indicator"),
]
