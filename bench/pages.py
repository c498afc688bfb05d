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
import io
import itertools
import multiprocessing
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
AFTER_WAIT = "sign_in_after_wait"
_VIEWS_NOT_ASKED_BEFORE = itertools.count(1)

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


def _edit_target():
    """A manager saves a target. Its signals have the pages as they open rendered again once the
    save is committed — here at once, as tasks run in the process that queues them where no
    broker is set."""
    from strategy.models import Target

    target = Target.objects.order_by("pk").first()
    if target is None:
        raise RuntimeError("no target to edit: the dashboard rows need the strategy's targets")
    target.save()


def _edits_served(connection):
    import django

    django.setup()
    while connection.recv() is not None:
        try:
            _edit_target()
        except Exception as error:  # said in the parent, which stops the run
            connection.send(repr(error))
        else:
            connection.send(None)


class Editor:
    """Where the target is edited: in another process when the cache is shared (as a deployment's
    worker renders the pages, not the web process that serves them), else in this one."""

    def __init__(self):
        from django.conf import settings

        shared = "locmem" not in settings.CACHES["default"]["BACKEND"]
        self.process = None
        self.waited = 0.0  # seconds the last edit took
        if shared:
            context = multiprocessing.get_context("spawn")
            # A pipe, not a queue: a queue's feeder thread would take turns with the timed request.
            self.connection, theirs = context.Pipe()
            self.process = context.Process(target=_edits_served, args=(theirs,), daemon=True)
            self.process.start()
        self.where = "another process" if shared else "this process (the cache is this process's memory)"

    def edit(self):
        if self.process is None:
            _edit_target()
            return
        self.connection.send("edit")
        if not self.connection.poll(300):
            raise RuntimeError("editing a target took over five minutes")
        failed = self.connection.recv()
        if failed:
            raise RuntimeError(f"editing a target failed: {failed}")

    def close(self):
        if self.process is not None:
            self.connection.send(None)
            self.process.join(30)


def _get(client, key, path, editor):
    if key.endswith("_after_edit"):
        edited = time.perf_counter()
        editor.edit()
        editor.waited = time.perf_counter() - edited
    if key.endswith("_computed"):
        # A view nobody has asked for since the last run: the figures computed and rendered
        # afresh. A query string never asked before keys it (an unknown parameter changes no
        # figure), so the cached pages of the other rows stay as they are.
        path = f"{path}?asked={next(_VIEWS_NOT_ASKED_BEFORE)}"
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed


def page_medians_ms(users, requests=15, warmup=3):
    """{key: median server time in ms} of every page, {key: ratio to its reference's}, and where
    the targets were edited.

    A page asked for right after an edit follows a wait (the edit and its rendering, a second or
    two): a process that has waited serves its next request about a millisecond slower, whatever
    the page (caches of the processor gone cold), so its reference is the sign-in page asked for
    after as long a wait ("sign_in_after_wait"), not the sign-in page asked for at once."""
    clients = _clients(users)
    times = {key: [] for key, *_ in PAGES}
    times[AFTER_WAIT] = []
    editor = Editor()
    # The pages asked for after a wait go last, on their own: a wait slows the next few requests.
    at_once = [page for page in PAGES if not page[0].endswith("_after_edit")]
    after_edit = [page for page in PAGES if page[0].endswith("_after_edit")]
    try:
        for number in range(warmup + requests):
            for key, _, role, path in at_once:
                elapsed = _get(clients[role], key, path, editor)
                if number >= warmup:
                    times[key].append(elapsed)
        for number in range(warmup + requests):
            for key, _, role, path in after_edit:
                elapsed = _get(clients[role], key, path, editor)
                time.sleep(editor.waited)
                reference = _get(clients[None], "sign_in", "/sign-in/", editor)
                if number >= warmup:
                    times[key].append(elapsed)
                    times[AFTER_WAIT].append(reference)
    finally:
        editor.close()
    medians = {key: statistics.median(values) for key, values in times.items()}
    references = {key: medians[AFTER_WAIT if key.endswith("_after_edit") else "sign_in"] for key in medians}
    return medians, {key: medians[key] / references[key] for key in medians}, editor.where


def page_profiles(users, requests=10, top=25):
    """cProfile of each page over `requests` requests (after one warm-up): the functions that
    take the most time, inclusive of what they call, and the time its queries took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = _clients(users)
    editor = Editor()
    report = io.StringIO()
    for key, label, role, path in PAGES:
        _get(clients[role], key, path, editor)
        profile = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profile.enable()
            for _ in range(requests):
                _get(clients[role], key, path, editor)
            profile.disable()
            elapsed = (time.perf_counter() - started) * 1000 / requests
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000 / requests
        report.write(
            f"\n=== {label} ({path}): {elapsed:.1f} ms a request under the profiler, "
            f"{len(queries.captured_queries) / requests:.0f} queries taking {sql_ms:.1f} ms ===\n"
        )
        stats = pstats.Stats(profile, stream=report)
        stats.sort_stats("cumulative").print_stats(top)
    editor.close()
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
    medians, ratios, edited_in = page_medians_ms(users, requests=options.requests)
    print(f"targets edited in {edited_in}")
    for key, label, _, path in [*PAGES, (AFTER_WAIT, "Sign-in page after as long a wait", None, "/sign-in/")]:
        print(f"{label:50} {path:32} {medians[key]:7.1f} ms  {ratios[key]:5.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
