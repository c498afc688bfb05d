from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner referrals"

    def ready(self):
        from accounts import demo, navigation, roles
        from accounts.models import Role

        from .aggregates import register_sqlite_median
        from .demo import load_demo_referrals

        connection_created.connect(register_sqlite_median, dispatch_uid="partners.sqlite_median")

        # Partners add, read and change referrals — only those of their own agency, which
        # Referral.objects.visible_to enforces — and nothing else in this app.
        roles.grant(Role.PARTNER, *roles.model_permissions("partners", ("referral",)))
        for role in (Role.ANALYST, Role.MANAGER):
            roles.grant(
                role,
                "partners.view_referral",
                "partners.view_all_referrals",
                "partners.view_referraltransition",
            )
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions("partners", ("referral", "referraltransition")),
            "partners.view_all_referrals",
            "partners.view_retentionrun",
        )

        navigation.register(
            navigation.Section(
                "Referrals",
                "partners:referral_list",
                "partners.view_referral",
                "Referrals into the Drugs Intervention Programme, arrest referral, early intervention "
                "and treatment.",
                order=40,
            )
        )
        demo.register(load_demo_referrals, order=40)
