from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data context (police.uk, Home Office)"

    def ready(self):
        from accounts import navigation, roles
        from accounts.models import Role

        context = ("streetcrime", "stopsearch", "recordedcrime")
        # Analysts and administrators load the context files; managers read the context
        # figures only; partners see neither.
        for role in (Role.ANALYST, Role.ADMINISTRATOR):
            roles.grant(role, *roles.model_permissions("opendata", context, actions=("add", "view")))
        roles.grant(Role.MANAGER, *roles.model_permissions("opendata", context, actions=("view",)))

        navigation.register(
            navigation.Section(
                "Open data",
                "opendata:index",
                "opendata.view_streetcrime",
                "police.uk drug crime and stop and search, and Home Office recorded drug offences.",
                order=70,
            )
        )
