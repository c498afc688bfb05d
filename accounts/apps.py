from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self):
        from . import demo, navigation, roles
        from .models import Role

        post_migrate.connect(roles.sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")

        geography_models = ("force", "communitysafetypartnership", "area")
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions("accounts", ("user", "agency")),
            *roles.model_permissions("geography", geography_models),
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
