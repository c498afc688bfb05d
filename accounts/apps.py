from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        from django.core import checks

        from . import demo, lockout, middleware, navigation, roles  # noqa: F401  (lockout, middleware: signal receivers)
        from .models import Role
        from .two_factor import check_required_roles

        checks.register(check_required_roles, checks.Tags.security)

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")

        geography_models = ("force", "communitysafetypartnership", "area")
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions("accounts", ("user", "agency")),
            *roles.model_permissions("geography", geography_models),
            # Sign-in lockouts: see them, and unlock an account by deleting its attempts.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accessfailurelog",
            "axes.view_accesslog",
            # A user who lost their phone: delete their device so they set up a new one.
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
            # API tokens are issued (and revoked) by Administrators in the admin, never edited.
            *roles.model_permissions("accounts", ("apitoken",), actions=("add", "view", "delete")),
        )
        for role in (Role.ANALYST, Role.MANAGER):
            roles.grant(
                role,
                "accounts.view_agency",
                *roles.model_permissions("geography", geography_models, actions=("view",)),
            )

        navigation.register(navigation.Section("Home", "home", None, order=0))
        navigation.register(
            navigation.Section(
                "Administration",
                "admin:index",
                "accounts.change_user",
                "Users, agencies, reference data and the strategy's goals and targets.",
                order=900,
            )
        )
        demo.register(demo.load_users, order=0)
