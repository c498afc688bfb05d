"""What every figure of `make bench` shares: the throwaway database, a clock and timing."""

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/strategy_portal_bench"
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIG_TABLES = {"seizures_seizure", "seizures_seizureitem"}
RANDOM_PAGE_COST = 1.1


def bench_database_url():
    """BENCH_DATABASE_URL, else a database named strategy_portal_bench on the server that
    DATABASE_URL names (or on 127.0.0.1): never the database the service itself uses."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    given = urlsplit(os.environ.get("DATABASE_URL", ""))
    if given.scheme in ("postgres", "postgresql"):
        return urlunsplit(given._replace(path="/strategy_portal_bench", query=""))
    return DEFAULT_DATABASE_URL


DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"


def bench_cache_url():
    """BENCH_CACHE_URL, else Redis database 15 on 127.0.0.1 if a Redis answers there — the pages
    are measured with the shared cache a deployment has (CACHE_URL) — else each process's memory."""
    if os.environ.get("BENCH_CACHE_URL"):
        return os.environ["BENCH_CACHE_URL"]
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return "locmemcache://"
    return DEFAULT_CACHE_URL


def recreate_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or parts.scheme not in ("postgres", "postgresql"):
        sys.exit("BENCH_DATABASE_URL must name a PostgreSQL database: the benchmark needs COPY and EXPLAIN")
    if "bench" not in name:
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        # The planner setting docs/performance.md asks of a production database on SSD (or with
        # its data in memory): random reads cost about what sequential ones do.
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {RANDOM_PAGE_COST}')


def items_held(url):
    """The seizure items in the bench database at `url`; None when it or its tables are missing."""
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM seizures_seizureitem").fetchone()[0]
    except psycopg.Error:
        return None


def use_database(name):
    """Point the default connection at another of the bench databases."""
    from django.core.cache import cache
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    cache.clear()  # what is kept of the other database (its runs, its figures) is not this one's


class Clock:
    def __init__(self):
        self.started = time.perf_counter()

    def say(self, message):
        print(f"[{time.perf_counter() - self.started:6.0f} s] {message}", flush=True)


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
