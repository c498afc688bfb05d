from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/file/", views.download_file, name="download_file"),
]
