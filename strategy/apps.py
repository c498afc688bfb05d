from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Strategy and dashboards"

    def ready(self):
        from accounts import demo, navigation, roles
        from accounts.models import Role

        models = ("strategy", "goal", "indicator", "target", "fact", "aggregationrun")
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions(self.label, ("strategy", "goal", "indicator", "target")),
            *roles.model_permissions(self.label, ("fact", "aggregationrun"), actions=("view",)),
        )
        for role in (Role.MANAGER, Role.ANALYST):
            roles.grant(role, *roles.model_permissions(self.label, models, actions=("view",)))
        # Those who read the figures to act on them may have them rebuilt between nightly runs.
        for role in (Role.MANAGER, Role.ADMINISTRATOR):
            roles.grant(role, f"{self.label}.rebuild_figures")
        # Published quarters: analysts prepare them and write the commentary, managers sign them
        # off, reopen them, choose what a later change does and get the pack by email.
        signed = ("quartersignoff", "signoffevent", "commentary", "signoffpolicy")
        for role in (Role.MANAGER, Role.ANALYST, Role.ADMINISTRATOR):
            roles.grant(role, *roles.model_permissions(self.label, signed, actions=("view",)))
        roles.grant(
            Role.ADMINISTRATOR,
            *roles.model_permissions(self.label, ("signoffpolicy",), actions=("add", "change")),
        )
        roles.grant(
            Role.ANALYST,
            f"{self.label}.prepare_quarter",
            *roles.model_permissions(self.label, ("commentary",), actions=("add", "change")),
        )
        roles.grant(
            Role.MANAGER,
            f"{self.label}.sign_off_quarter",
            f"{self.label}.reopen_quarter",
            f"{self.label}.change_signoffpolicy",
            *roles.model_permissions(self.label, ("packsubscription",), actions=("add", "change", "view")),
        )

        from core import freshness

        from .rebuilds import figures_clock

        freshness.register(figures_clock)

        navigation.register(
            navigation.Section(
                "Dashboard",
                "strategy:overview",
                "strategy.view_indicator",
                "The supply and demand goals: figures against targets, and the records behind them.",
                order=10,
            )
        )
        navigation.register(
            navigation.Section(
                "Published quarters",
                "strategy:quarters",
                "strategy.view_quartersignoff",
                "Quarters marked ready, signed off and reopened; the quarterly performance pack.",
                order=12,
            )
        )
        from . import signals  # noqa: F401 (an edited target clears cached overviews)
        from .demo import load_published_quarters, load_strategy

        demo.register(load_strategy, order=90)
        demo.register(load_published_quarters, order=95)
