from django.urls import path

from . import views, views_returns

app_name = "seizures"

urlpatterns = [
    path("seizures/", views.SeizureListView.as_view(), name="seizure_list"),
    path("seizures/home-office-return/", views_returns.home_office_return_view, name="home_office_return"),
    path("seizures/new/", views.SeizureCreateView.as_view(), name="seizure_create"),
    path("seizures/<int:pk>/", views.SeizureDetailView.as_view(), name="seizure_detail"),
    path("seizures/<int:pk>/edit/", views.SeizureEditView.as_view(), name="seizure_edit"),
    path("seizures/<int:pk>/withdraw/", views.SeizureWithdrawView.as_view(), name="seizure_withdraw"),
    path("seizures/<int:pk>/reprice/", views.SeizureRepriceView.as_view(), name="seizure_reprice"),
    path("warrants/", views.WarrantListView.as_view(), name="warrant_list"),
    path("warrants/new/", views.WarrantCreateView.as_view(), name="warrant_create"),
    path("warrants/<int:pk>/", views.WarrantDetailView.as_view(), name="warrant_detail"),
    path("warrants/<int:pk>/edit/", views.WarrantEditView.as_view(), name="warrant_edit"),
    path("warrants/<int:pk>/withdraw/", views.WarrantWithdrawView.as_view(), name="warrant_withdraw"),
    path("cannabis-factories/", views.SiteListView.as_view(), name="site_list"),
    path("cannabis-factories/new/", views.SiteCreateView.as_view(), name="site_create"),
    path("cannabis-factories/<int:pk>/", views.SiteDetailView.as_view(), name="site_detail"),
    path("cannabis-factories/<int:pk>/edit/", views.SiteEditView.as_view(), name="site_edit"),
    path("cannabis-factories/<int:pk>/withdraw/", views.SiteWithdrawView.as_view(), name="site_withdraw"),
    path("street-prices/", views.StreetPriceListView.as_view(), name="street_price_list"),
    path("street-prices/new/", views.StreetPriceCreateView.as_view(), name="street_price_create"),
    path("street-prices/<int:pk>/", views.StreetPriceDetailView.as_view(), name="street_price_detail"),
    path("street-prices/<int:pk>/edit/", views.StreetPriceEditView.as_view(), name="street_price_edit"),
    path("street-prices/<int:pk>/reprice/", views.RepriceStartView.as_view(), name="street_price_reprice"),
    path("street-prices/repricing/<int:pk>/", views.RepriceJobView.as_view(), name="reprice_job"),
    path(
        "street-prices/repricing/<int:pk>/status/",
        views.RepriceJobStatusView.as_view(),
        name="reprice_job_status",
    ),
]
