from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/review/", views.referral_review_list, name="referral_review"),
    path("referrals/<int:pk>/still-open/", views.referral_confirm_open, name="referral_confirm_open"),
    path("referrals/new/<slug:draft>/check/", views.referral_check, name="referral_check"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/submitted/", views.referral_submitted, name="referral_submitted"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral_status"),
]
