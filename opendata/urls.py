from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="index"),
    path("open-data/drug-crimes/", views.StreetCrimeListView.as_view(), name="street_crime_list"),
    path("open-data/drug-searches/", views.StopSearchListView.as_view(), name="stop_search_list"),
    path(
        "open-data/recorded-drug-offences/", views.RecordedCrimeListView.as_view(), name="recorded_crime_list"
    ),
]
