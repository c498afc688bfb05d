from django.urls import path

from . import views_imports as views

app_name = "core"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("new/<slug:record_type>/", views.import_start, name="import_start"),
    path(
        "new/<slug:record_type>/template.<str:file_format>",
        views.import_template,
        name="import_template",
    ),
    path("new/<slug:record_type>/export.<str:file_format>", views.import_export, name="import_export"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
]
