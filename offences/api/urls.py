from .views import OffenceViewSet


def register(router):
    router.register("offences", OffenceViewSet, basename="offence")
