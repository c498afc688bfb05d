"""Shared fixtures: the users of each role, two partner agencies, and the services."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from accounts.models import Agency
from tests.factories import AgencyFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "real_celery_worker"}


@pytest.fixture(scope="session")
def _seeded_state(django_db_setup, django_db_blocker):
    """The database as the migrations leave it (districts, roles, drugs, prices), captured
    before any test that commits has run."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _reseeded_after_flush(request):
    """A test that commits (browser journeys, real workers) ends with every table flushed,
    which also removes what the data migrations seeded; the next such test gets it back."""
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction")) or TRANSACTIONAL_FIXTURES & set(
        request.fixturenames
    )
    if not commits:
        return
    state = request.getfixturevalue("_seeded_state")
    request.getfixturevalue("transactional_db")
    from django.core.management import call_command
    from django.db import connection

    from geography.models import Area

    if not Area.objects.exists():
        # The flush re-ran post_migrate (content types, permissions, role groups under new
        # ids): empty the tables again without it, then restore the migrated state whole.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(state)
        # The rows come back with their ids, but the flush restarted the id sequences
        # (PostgreSQL): move each past its table's rows, or the next row would take id 1 again.
        from django.apps import apps
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)


@pytest.fixture(autouse=True)
def _every_migration_applied_after(request):
    """After a test marked `migrates` (see tests/migrating.py), the schema as it is now."""
    yield
    if request.node.get_closest_marker("migrates"):
        from tests.migrating import migrate_to_latest

        migrate_to_latest()


def require(available, reason):
    """Skip a test whose service is missing — but in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: every service must be available)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run eagerly unless a test asks for the real worker (`celery_worker`)."""
    from strategy_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(scope="session")
def shared_data():
    """The real public data files kept beside the project (see their README)."""
    path = Path(os.environ.get("SHARED_DATA_DIR", Path(django_settings.BASE_DIR).parent / "shared" / "data"))
    require(path.is_dir(), f"shared data folder not found at {path}")
    return path


@pytest.fixture
def redis_url():
    url = os.environ.get("CELERY_BROKER_URL", "")
    require(url.startswith("redis"), "CELERY_BROKER_URL is not a Redis URL")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require(False, f"Redis at {url} does not answer: {error}")
    return url


@pytest.fixture
def real_celery_worker(redis_url, transactional_db, worker_id):
    """A real Celery worker consuming from Redis inside the test process (so it shares the
    test database). Each pytest-xdist process gets its own queue."""
    from celery.contrib.testing.worker import start_worker

    from strategy_portal.celery import app

    queue = f"test-{worker_id}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", queues=[queue]
        ) as worker:
            yield worker
    finally:
        app.conf.task_default_queue = previous_queue


@pytest.fixture
def agency_a(db):
    return AgencyFactory(
        name="Rugby Community Safety Partnership", kind=Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP
    )


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Shropshire Recovery Service", kind=Agency.Kind.TREATMENT)


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", role="Analyst")


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role="Manager")


@pytest.fixture
def partner_a(agency_a):
    return UserFactory(username="partner_a", role="Partner", agency=agency_a)


@pytest.fixture
def partner_b(agency_b):
    return UserFactory(username="partner_b", role="Partner", agency=agency_b)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role="Administrator")


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def analyst_client(client, analyst):
    return client_for(client, analyst)


@pytest.fixture
def manager_client(client, manager):
    return client_for(client, manager)


@pytest.fixture
def partner_a_client(client, partner_a):
    return client_for(client, partner_a)


@pytest.fixture
def partner_b_client(client, partner_b):
    return client_for(client, partner_b)


@pytest.fixture
def administrator_client(client, administrator):
    return client_for(client, administrator)
