app_name = "offences"

urlpatterns = []
