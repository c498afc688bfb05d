from .views import DrugViewSet, SeizureViewSet, StreetPriceViewSet, WarrantViewSet


def register(router):
    router.register("seizures", SeizureViewSet, basename="seizure")
    router.register("warrants", WarrantViewSet, basename="warrant")
    router.register("drugs", DrugViewSet, basename="drug")
    router.register("street-prices", StreetPriceViewSet, basename="street-price")
