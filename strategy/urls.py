from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("dashboard/figures/runs/", views.aggregation_runs, name="runs"),
    path("dashboard/<slug:slug>/", views.indicator_detail, name="indicator"),
]
