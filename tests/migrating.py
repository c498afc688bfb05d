"""Moving the test database's schema back in time, for the tests of a data migration.

Migrating an app backwards also unapplies every later migration of the apps that depend on it
(the partners' referrals depend on accounts, the sites on offences), and migrating it forward
again re-applies only the app asked for. Each such test is marked `migrates`, and the fixture in
`tests/conftest.py` applies every migration again afterwards: the tests that run next on the
same database (a browser journey reading referrals, say) need the schema as it is now."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to `targets` ([(app, migration name or None)]): the models as they stood there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
