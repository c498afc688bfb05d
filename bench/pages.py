"""Figure 8: each page type's server time against the sign-in page's, in the same run.

The sign-in page is the reference: a GOV.UK page with a form and no records, the least a page of
the service can cost (middleware, session, template, CSRF). Every other page is timed the same
way, through the test client and the whole middleware stack, signed in as the role that uses
it, the pages taking turns request by request so that other work on the machine weighs on each
alike. The median of each is divided by the sign-in page's.

    .venv/bin/python -m bench.pages                 # the pages on DATABASE_URL (e.g. the demo data)
    .venv/bin/python -m bench.pages --profile 25    # and where each page's time goes (cProfile)
"""

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time

# (key, what the row says, the role that asks for it, path). The dashboard pages are asked for
# three ways: as the first request after an edited target (the edit has the pages as they open
# rendered again once it is committed, as the nightly run does after a rollup), as everyone else
# gets them, from the cache, and computed from facts and rendered afresh — as the first request
# for a view nobody has asked for since the last run or edit is (another period or place).
PAGES = [
    ("sign_in", "Sign-in page (the reference)", None, "/sign-in/"),
    ("referral_form", "Referral form", "partner", "/referrals/new/"),
    ("seizure_list", "Seizure list, unfiltered", "analyst", "/seizures/"),
    ("dashboard_after_edit", "Dashboard overview, first after an edited target", "manager", "/dashboard/"),
    ("dashboard_cached", "Dashboard overview, cached", "manager", "/dashboard/"),
    ("dashboard_computed", "Dashboard overview, computed from facts", "manager", "/dashboard/"),
    (
        "indicator_after_edit",
        "Indicator page, first after an edited target",
        "manager",
        "/dashboard/street-value-seized/",
    ),
    ("indicator_cached", "Indicator page, cached", "manager", "/dashboard/street-value-seized/"),
    (
        "indicator_computed",
        "Indicator page, computed from facts",
        "manager",
        "/dashboard/street-value-seized/",
    ),
]
# A page computed from facts is not held to the ratio: its time is the facts' queries and the
# rendering of every figure, shown so that where the time goes stays in view.
WITHOUT_TARGET = {"dashboard_computed", "indicator_computed"}
TARGET_RATIO = 3

BENCH_USERS = {"analyst": "bench.analyst", "manager": "bench.manager", "partner": "bench.load.01"}
DEMO_USERS = {"analyst": "analyst", "manager": "manager", "partner": "partner"}


def _clients(users):
    from django.test import Client

    from accounts.models import User

    clients = {None: Client()}
    for role, username in users.items():
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=username))
    return clients


def _get(client, key, path):
    from core import generations
    from strategy.models import Target
    from strategy.selectors import TARGETS_GENERATION

    if key.endswith("_after_edit"):
        # A manager saves a target: its signals have the pages rendered again after commit (here
        # at once, in this process, as tasks run where no broker is set), before the page is asked.
        target = Target.objects.order_by("pk").first()
        if target is None:
            raise RuntimeError("no target to edit: the dashboard rows need the strategy's targets")
        target.save()
        # In a deployment the rendering runs in a worker process; run here, its garbage is
        # collected before the page is timed, not during it.
        gc.collect()
    if key.endswith("_computed"):
        # As after an edit whose pages were not rendered again, or for a view not asked before:
        # the figures computed and rendered afresh (the rest of the cache is left as it is).
        generations.advance(TARGETS_GENERATION)
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed


def page_medians_ms(users, requests=15, warmup=3):
    """{key: median server time in ms} of every page, and {key: ratio to the sign-in page's}."""
    clients = _clients(users)
    times = {key: [] for key, *_ in PAGES}
    for number in range(warmup + requests):
        for key, _, role, path in PAGES:
            elapsed = _get(clients[role], key, path)
            if number >= warmup:
                times[key].append(elapsed)
    medians = {key: statistics.median(values) for key, values in times.items()}
    return medians, {key: medians[key] / medians["sign_in"] for key in medians}


def page_profiles(users, requests=10, top=25):
    """cProfile of each page over `requests` requests (after one warm-up): the functions that
    take the most time, inclusive of what they call, and the time its queries took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = _clients(users)
    report = io.StringIO()
    for key, label, role, path in PAGES:
        _get(clients[role], key, path)
        profile = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profile.enable()
            for _ in range(requests):
                _get(clients[role], key, path)
            profile.disable()
            elapsed = (time.perf_counter() - started) * 1000 / requests
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000 / requests
        report.write(
            f"\n=== {label} ({path}): {elapsed:.1f} ms a request under the profiler, "
            f"{len(queries.captured_queries) / requests:.0f} queries taking {sql_ms:.1f} ms ===\n"
        )
        stats = pstats.Stats(profile, stream=report)
        stats.sort_stats("cumulative").print_stats(top)
    return report.getvalue()


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", choices=("demo", "bench"), default="demo", help="whose users sign in")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--profile", type=int, metavar="TOP", help="profile each page, TOP functions each")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")  # as in production: no query log, no debug pages
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    users = DEMO_USERS if options.users == "demo" else BENCH_USERS
    if options.profile:
        print(page_profiles(users, top=options.profile))
    medians, ratios = page_medians_ms(users, requests=options.requests)
    for key, label, _, path in PAGES:
        print(f"{label:40} {path:35} {medians[key]:7.1f} ms  {ratios[key]:5.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
