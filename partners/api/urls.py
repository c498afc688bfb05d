from .views import ReferralViewSet


def register(router):
    router.register("referrals", ReferralViewSet, basename="referral")
