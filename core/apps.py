from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks with no tables of their own: withdrawal instead of deletion,
    change history, filtered lists with safe exports, reporting periods, money formatting and
    the metric declarations the recording apps publish for the rollups."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from . import generations, lookups  # noqa: F401 (registers __in_array)

        generations.hear_deletes()
