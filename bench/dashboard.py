"""Figure 1: the dashboard overview's server time at two volumes, computed and cached."""

import statistics
import time

from bench.harness import use_database


def dashboard_medians_ms(databases, requests=15, warmup=3):
    """Median server time of the overview page (test client, whole middleware stack) in each
    database, the databases taking turns so that other work on the machine weighs on each alike:
    computed from facts with the cache emptied first, then served from the cache."""
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User

    times = {name: {"cold": [], "warm": []} for name in databases}
    for number in range(warmup + requests):
        for name in databases:
            use_database(name)
            client = Client()
            client.force_login(User.objects.get(username="bench.manager"))
            cache.clear()  # the two databases' cache keys are alike
            for kind in ("cold", "warm"):
                started = time.perf_counter()
                response = client.get("/dashboard/")
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise RuntimeError(f"dashboard answered {response.status_code}")
                if number >= warmup:
                    times[name][kind].append(elapsed * 1000)
    return {name: (statistics.median(t["cold"]), statistics.median(t["warm"])) for name, t in times.items()}


def table_sizes():
    """Rows and bytes (with indexes) of the recording tables and the facts: the scaling plan's base."""
    from django.db import connection

    tables = [
        "seizures_seizure",
        "seizures_seizureitem",
        "seizures_warrant",
        "offences_offence",
        "partners_referral",
        "partners_referraltransition",
        "strategy_fact",
    ]
    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*), pg_total_relation_size(%s) FROM {table}", [table])
            rows, size = cursor.fetchone()
            sizes[table] = {"rows": rows, "bytes": size}
    return sizes
