from django.urls import path

from . import views, views_compare, views_runs, views_signoff

app_name = "strategy"

QUARTER = "dashboard/quarters/<str:scope_code>/<int:year>/q<int:number>/"

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("dashboard/figures/runs/", views.aggregation_runs, name="runs"),
    path("dashboard/figures/rebuild/", views_runs.rebuild, name="rebuild"),
    path("dashboard/compare/", views_compare.comparison_index, name="comparisons"),
    path("dashboard/compare/<slug:slug>/", views_compare.comparison_detail, name="comparison"),
    path("dashboard/quarters/", views_signoff.quarters, name="quarters"),
    path("dashboard/quarters/<str:scope_code>/policy/", views_signoff.policy, name="policy"),
    path(QUARTER, views_signoff.quarter_detail, name="quarter"),
    path(QUARTER + "ready/", views_signoff.quarter_ready, name="quarter_ready"),
    path(QUARTER + "sign-off/", views_signoff.quarter_sign_off, name="quarter_sign_off"),
    path(QUARTER + "reopen/", views_signoff.quarter_reopen, name="quarter_reopen"),
    path(QUARTER + "changes/", views_signoff.quarter_changes, name="quarter_changes"),
    path(QUARTER + "commentary/<slug:slug>/", views_signoff.commentary, name="commentary"),
    path(QUARTER + "pack/", views_signoff.pack, name="pack"),
    path(QUARTER + "pack.pdf", views_signoff.pack_pdf, name="pack_pdf"),
    path(QUARTER + "pack/email/", views_signoff.pack_subscription, name="pack_subscription"),
    path("dashboard/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("dashboard/<slug:slug>/map/", views_compare.indicator_map, name="indicator_map"),
]
