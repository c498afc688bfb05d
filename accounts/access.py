"""What a user may do — the names of their groups (their roles) and their permissions — read from
the database once and then kept in the shared cache, so that a page asks for neither again.

The key holds the generation of every table they are read from (core.generations): adding a
user to a group, changing a group's permissions or a user's own, or removing a group or a
permission, moves every key on at once in every process. `is_superuser` is in the key too; an
inactive user has no permissions whatever is cached (Django's ModelBackend checks first)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from core import generations


def _tables():
    User = get_user_model()
    return (Group, Permission, User.groups.through, User.user_permissions.through, Group.permissions.through)


def access_of(user):
    """{"roles": the names of the user's groups, "permissions": "app_label.codename" of each
    permission the user holds, directly or through a group}. Kept on the user for the request
    (a user from `CachedAccessBackend.get_user` brings it with them)."""
    if not hasattr(user, "_access"):
        user._access = generations.kept_until_changed(
            _tables(), lambda: _access_read(user), "access", user.pk, user.is_superuser
        )
    return user._access


def _access_read(user):
    backend = ModelBackend()
    return {
        "roles": frozenset(user.groups.values_list("name", flat=True)),
        "permissions": frozenset(backend.get_user_permissions(user) | backend.get_group_permissions(user)),
    }


class CachedAccessBackend(ModelBackend):
    """Django's ModelBackend, with a user's permissions read through `access_of`, and the user
    (with their agency, which the partner pages ask for on every request) kept in the cache."""

    def get_user(self, user_id):
        User = get_user_model()

        def read():
            user = User._default_manager.select_related("agency").filter(pk=user_id).first()
            if user is not None:
                # The cache keeps the session hash, never the password hash it is made from: the
                # password is left deferred, read from the database only if something asks for it.
                user.kept_session_auth_hash = user.get_session_auth_hash()
                del user.__dict__["password"]
                user._access = _access_read(user)  # kept with the user: one read of the cache
            return user

        # Kept until any user or agency is saved (a password changed, an account deactivated or
        # an agency closed shows at the next request; a sign-in saves the user too) or what the
        # user may do changes.
        user = generations.kept_until_changed([User, *_tables()], read, "user", user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = set(access_of(user_obj)["permissions"])
        return user_obj._perm_cache
