from django.urls import path

from . import views

app_name = "offences"

urlpatterns = [
    path("offences/", views.OffenceListView.as_view(), name="offence_list"),
    path("offences/new/", views.OffenceCreateView.as_view(), name="offence_create"),
    path("offences/<int:pk>/", views.OffenceDetailView.as_view(), name="offence_detail"),
    path("offences/<int:pk>/edit/", views.OffenceEditView.as_view(), name="offence_edit"),
    path("offences/<int:pk>/withdraw/", views.OffenceWithdrawView.as_view(), name="offence_withdraw"),
]
