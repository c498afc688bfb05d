"""Keeping the seeded data (forces, districts, drugs, prices, roles: written by migrations) for
the transactional tests that ask for it with `serialized_rollback=True`.

Two things defeat pytest-django's restore of that data:

- Playwright's sync API leaves its asyncio loop marked as running in the test thread. From then
  on Django's connections come from context-local storage instead of the thread's own: new
  connection objects, without the test database's serialized contents, so serialized_rollback
  silently restores nothing.
- A transactional test without serialized_rollback ends with a flush that re-runs the
  post_migrate handlers, which recreate the role groups under new ids; restoring the serialized
  groups on top of those then fails on their unique names.

So, before such a test is set up: empty the test database without running post_migrate and
restore the serialized contents ourselves (committed, so whichever connection object the test
ends up with sees them), and give the connection in use the contents too.
"""

from django.core.management import call_command
from django.db import connections


def restore_serialized_contents():
    storage = object.__getattribute__(connections._connections, "_storage")  # the thread's own
    for alias in connections:
        original, current = getattr(storage, alias, None), connections[alias]
        contents = getattr(original, "_test_serialized_contents", None)
        if contents is not None and not hasattr(current, "_test_serialized_contents"):
            current._test_serialized_contents = contents


def prepare_seeded_database(item):
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    restore_serialized_contents()
    connection = connections["default"]
    name = str(connection.settings_dict["NAME"])
    if not hasattr(connection, "_test_serialized_contents") or not ("test" in name or "memorydb" in name):
        return  # the test database is not set up yet (pytest-django serializes it when it is)
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
