"""Which permissions each role holds.

Each app declares the permissions its models need per role in its AppConfig.ready() with
`grant()`; after every migrate the groups are brought in line (`sync_role_permissions`). So an
app adds its permissions without this module knowing about it, and the dependency points down.
"""

from collections import defaultdict

from .models import Role

_grants = defaultdict(set)


def grant(role, *permissions):
    """Declare that `role` holds each of `permissions` ("app_label.codename")."""
    _grants[Role(role)].update(permissions)


def model_permissions(app_label, models, actions=("add", "change", "view")):
    """["app.add_model", "app.change_model", …] for each model and action."""
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


def declared_permissions(role):
    return frozenset(_grants[Role(role)])


def sync_role_permissions(**kwargs):
    """post_migrate handler: every role's group holds exactly its declared permissions that
    exist so far (apps migrate one by one; the last call sees them all)."""
    from django.contrib.auth.models import Group, Permission

    by_name = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {by_name[name] for name in _grants[role] if name in by_name}
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
