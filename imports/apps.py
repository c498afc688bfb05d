from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bulk import of records from CSV and XLSX files. Each recording app declares the types it
    imports in its `importers.py`; this app reads the files, shows what an import would do and
    writes it all or nothing, keeping a record of every batch."""

    name = "imports"
    verbose_name = "Imports"

    def ready(self):
        from django.core import checks

        from accounts import navigation, roles
        from accounts.models import Role

        checks.register(defused_workbook_parsing, checks.Tags.security)

        # Analysts and administrators import files (of the types they may also record) and see
        # the record of imports; managers and partners do neither.
        for role in (Role.ANALYST, Role.ADMINISTRATOR):
            roles.grant(role, *roles.model_permissions(self.label, ("importbatch",), actions=("add", "view")))

        navigation.register(
            navigation.Section(
                "Imports",
                "imports:list",
                "imports.add_importbatch",
                "Load seizures, warrants, offences and open data from files; every import recorded.",
                order=80,
            )
        )


def defused_workbook_parsing(app_configs, **kwargs):
    """Uploaded workbooks are XML: refuse to start if they would be parsed without defusedxml."""
    from django.core.checks import Error

    from .workbooks import defused_parsing_problems

    return [
        Error(problem, hint="pip install -r requirements.txt", id="imports.E001")
        for problem in defused_parsing_problems()
    ]
