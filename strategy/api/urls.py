from .views import FactViewSet, IndicatorViewSet


def register(router):
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("facts", FactViewSet, basename="fact")
