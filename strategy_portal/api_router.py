"""The one API router, served under /api/v1/: every app's viewsets, registered by name."""

from rest_framework.routers import DefaultRouter

from offences.api.views import OffenceViewSet
from partners.api.views import ReferralViewSet
from seizures.api.views import DrugViewSet, SeizureViewSet, SiteViewSet, StreetPriceViewSet, WarrantViewSet
from strategy.api.views import FactViewSet, IndicatorViewSet

router = DefaultRouter()
router.register("seizures", SeizureViewSet, basename="seizure")
router.register("warrants", WarrantViewSet, basename="warrant")
router.register("cannabis-factories", SiteViewSet, basename="site")
router.register("drugs", DrugViewSet, basename="drug")
router.register("street-prices", StreetPriceViewSet, basename="street-price")
router.register("offences", OffenceViewSet, basename="offence")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("facts", FactViewSet, basename="fact")

app_name = "api"
urlpatterns = router.urls
