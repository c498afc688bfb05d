from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/<slug:record_type>/", views.import_start, name="start"),
    path(
        "new/<slug:record_type>/template.<str:file_format>",
        views.import_template,
        name="template",
    ),
    path("new/<slug:record_type>/export.<str:file_format>", views.import_export, name="export"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/status/", views.import_status, name="status"),
    path("<int:pk>/refused-rows.csv", views.import_refused_rows, name="refused_rows"),
]
