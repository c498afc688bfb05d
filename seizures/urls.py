app_name = "seizures"

urlpatterns = []
