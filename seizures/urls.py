from django.urls import path

from . import views

app_name = "seizures"

urlpatterns = [
    path("seizures/", views.SeizureListView.as_view(), name="seizure_list"),
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
    path("street-prices/", views.StreetPriceListView.as_view(), name="street_price_list"),
]
