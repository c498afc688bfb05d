from django.apps import AppConfig


class OffencesConfig(AppConfig):
    name = "offences"
    verbose_name = "Drug offences"

    def ready(self):
        from accounts import demo, navigation, roles
        from accounts.models import Role

        writers = roles.model_permissions(self.label, ("offence",))
        roles.grant(Role.ANALYST, *writers)
        roles.grant(Role.ADMINISTRATOR, *writers, "offences.view_withdrawn_offence")
        roles.grant(Role.MANAGER, *roles.model_permissions(self.label, ("offence",), actions=("view",)))

        navigation.register(
            navigation.Section(
                "Offences",
                "offences:offence_list",
                "offences.view_offence",
                "Drug offences by Home Office classification, cannabis cultivation and outcomes.",
                order=30,
            )
        )
        from .demo import load_demo_offences

        # After the seizures loader (order 20), so its warrants exist to link offences to.
        demo.register(load_demo_offences, order=30)
