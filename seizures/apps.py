from django.apps import AppConfig


class SeizuresConfig(AppConfig):
    name = "seizures"
    verbose_name = "Seizures and warrants"

    def ready(self):
        from accounts import demo, navigation, roles
        from accounts.models import Role

        from .demo import load_demo_seizures

        records = ("seizure", "seizureitem", "warrant", "site")
        reference = ("drug", "drugclassification", "streetprice", "sizeband")
        for role in (Role.ANALYST, Role.ADMINISTRATOR):
            roles.grant(
                role,
                *roles.model_permissions("seizures", records),
                *roles.model_permissions("seizures", reference, actions=("view",)),
            )
        roles.grant(
            Role.MANAGER,
            *roles.model_permissions("seizures", records + reference, actions=("view",)),
            # A price row moves every £ figure the strategy reports: those accountable for the
            # figures introduce and correct prices (and start the re-pricing); analysts, who
            # record seizures, read the tables.
            *roles.model_permissions("seizures", ("streetprice",), actions=("add", "change")),
        )
        # Administrators keep the reference tables and open withdrawn records with their history.
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions("seizures", reference, actions=("add", "change")),
            "seizures.view_withdrawn_seizure",
            "seizures.view_withdrawn_warrant",
            "seizures.view_repricejob",  # the admin's list of re-pricing runs
            "seizures.view_withdrawn_site",
        )

        navigation.register(
            navigation.Section(
                "Seizures",
                "seizures:seizure_list",
                "seizures.view_seizure",
                "Drug seizures with their street value, by drug, class, district and date.",
                order=20,
            )
        )
        navigation.register(
            navigation.Section(
                "Warrants",
                "seizures:warrant_list",
                "seizures.view_warrant",
                "Drugs search warrants: issued, executed and what they found.",
                order=21,
            )
        )
        navigation.register(
            navigation.Section(
                "Cannabis factories",
                "seizures:site_list",
                "seizures.view_site",
                "Cannabis factories as sites, with the offences, seizures and warrant of each.",
                order=22,
            )
        )
        demo.register(load_demo_seizures, order=20)
