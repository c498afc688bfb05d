"""`make bench`: build a throwaway PostgreSQL database, fill it with realistic volumes, measure
each figure against its reference in the same run and print one table.

    make bench        # or: BENCH_DATABASE_URL=postgres://… .venv/bin/python -m bench.run

The benchmark database (BENCH_DATABASE_URL, else strategy_portal_bench on DATABASE_URL's server,
else on 127.0.0.1:5432) is DROPPED and created again at the start; its name must contain "bench".

Figures (docs/performance.md says why each reference was chosen):

1. dashboard overview server time, 10k vs 1M seizure items: ratio <= 1.5
2. full rollup rebuild vs hand-written INSERT … SELECT … GROUP BY: ratio <= 2;
   nightly (incremental) run after 1,000 changed records: < 2 s
3. import of a 100k-row seizure CSV through the import machinery vs COPY: >= 0.1 x COPY's rows/s
4. API seizure list with filters at 1M items: p50, p95, and no sequential scan on the big tables
5. load: referral form and API under gunicorn, 20 clients: rows stored == successful submissions
6. CSV download of about 100k seizures through the list page vs COPY … TO STDOUT of the same rows:
   >= 0.1 x COPY's rows/s
7. every URL of the access-control matrix, GET by every role, at 1M items: none over 5 s
8. each page type (the referral form, the seizure list at 1M items, the dashboard computed and
   cached, an indicator page): server time against the sign-in page's in the same run <= 3 x
"""

import argparse
import json
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.api import api_plans, api_times_ms
from bench.dashboard import dashboard_medians_ms, table_sizes
from bench.exporting import copy_rows_per_second as copy_out_rows_per_second
from bench.exporting import download_rows_per_second, first_day_for
from bench.harness import (
    RANDOM_PAGE_COST,
    RESULTS,
    ROOT,
    Clock,
    bench_cache_url,
    bench_database_url,
    items_held,
    recreate_database,
    timed,
    use_database,
)
from bench.importing import copy_rows_per_second, import_rows_per_second, write_import_csv
from bench.load import load_run
from bench.pages import AFTER_WAIT, BENCH_USERS, PAGES, TARGET_RATIO, WITHOUT_TARGET, page_medians_ms
from bench.rollups import (
    bare_rollup_seconds,
    change_records,
    facts_match_bare,
    full_rollup_seconds,
    incremental_seconds,
)
from bench.sweep import LIMIT_SECONDS, slowest_requests


def figure_rollup(options, r, clock):
    r["rollup_runs"], r["bare_runs"] = [], []
    for _ in range(2):  # best of two of each, alternating, to damp other work on the machine
        rollup_s, r["fact_rows"] = full_rollup_seconds()
        bare_s, r["bare_rows"] = bare_rollup_seconds()
        r["rollup_runs"].append(rollup_s)
        r["bare_runs"].append(bare_s)
        clock.say(f"full rollup {rollup_s:.1f} s ({r['fact_rows']:,} facts), bare SQL {bare_s:.1f} s")
    r["match"] = match = facts_match_bare()
    clock.say(
        f"{match['differing']} cells differ in {match['compared']} metrics; with no records: "
        f"{', '.join(match['empty']) or 'none'}"
    )
    r["sizes"] = table_sizes()


def figure_incremental(options, r, clock):
    r["changed"] = change_records(options.changes)
    r["incremental_s"], r["incremental_months"], r["incremental_rows"] = incremental_seconds()
    clock.say(f"nightly run after {r['changed']} changes: {r['incremental_s']:.2f} s")


def figure_api(options, r, clock):
    r["api_p50"], r["api_p95"] = api_times_ms()
    r["api_url"], r["seq_scans"], plans = api_plans()
    (RESULTS / "api-plans.txt").write_text("\n\n".join(f"{sql}\n\n{plan}" for sql, plan in plans))
    clock.say(
        f"API p50 {r['api_p50']:.1f} ms, p95 {r['api_p95']:.1f} ms; seq scans: {r['seq_scans'] or 'none'}"
    )


def figure_import(options, r, clock):
    csv_path = RESULTS / "import.csv"
    seizures = write_import_csv(csv_path, options.import_rows)
    try:
        r["copy_rate"], r["copy_s"], r["raw_copy_rate"], r["unchecked_copy_rate"] = copy_rows_per_second(
            csv_path, options.import_rows
        )
        clock.say(
            f"COPY {r['copy_rate']:,.0f} rows/s into the tables ({r['unchecked_copy_rate']:,.0f} before "
            f"the foreign-key checks), {r['raw_copy_rate']:,.0f} rows/s raw"
        )
        r["import_rate"], r["import_s"], r["preview_s"] = import_rows_per_second(
            csv_path, options.import_rows, seizures
        )
        clock.say(
            f"import {r['import_rate']:,.0f} rows/s ({r['import_s']:.1f} s, preview {r['preview_s']:.1f} s)"
        )
    finally:
        csv_path.unlink()


def figure_export(options, r, clock):
    date_from = first_day_for(options.export_rows)
    r["copy_out_rate"], r["copy_out_s"], r["copy_out_rows"] = copy_out_rows_per_second(date_from)
    r["export_rate"], r["export_s"], r["export_rows"] = download_rows_per_second(date_from)
    clock.say(
        f"CSV download {r['export_rows']:,} rows in {r['export_s']:.1f} s ({r['export_rate']:,.0f} rows/s); "
        f"COPY TO STDOUT {r['copy_out_rate']:,.0f} rows/s"
    )


def figure_sweep(options, r, clock):
    r["sweep"] = slowest_requests()
    seconds, role, path, status = r["sweep"]["slowest"][0]
    clock.say(f"access sweep: {r['sweep']['requests']:,} requests, slowest {seconds:.2f} s ({role} {path})")


def figure_pages(options, r, clock):
    r["pages_ms"], r["pages_ratio"], r["pages_edited_in"] = page_medians_ms(BENCH_USERS)
    clock.say(
        "pages: "
        + "; ".join(f"{key} {r['pages_ms'][key]:.1f} ms ({r['pages_ratio'][key]:.2f} x)" for key, *_ in PAGES)
    )


def figure_load(options, r, clock):
    r["load"], r["submissions"], r["stored"] = load_run(options.load_seconds, options.users)
    clock.say(f"load: {r['load']['total']['rps']:.1f} req/s, stored {r['stored']} of {r['submissions']}")


FIGURES = [
    ("rollup", figure_rollup),
    ("incremental", figure_incremental),
    ("api", figure_api),
    ("import", figure_import),
    ("export", figure_export),
    ("sweep", figure_sweep),
    ("pages", figure_pages),
    ("load", figure_load),
]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10_000, help="seizure items of the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="seizure items of the large database")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--export-rows", type=int, default=100_000, help="seizures in the CSV download")
    parser.add_argument("--changes", type=int, default=1000, help="changed records before the nightly run")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20, help="concurrent clients of the load run")
    parser.add_argument(
        "--reuse-databases",
        action="store_true",
        help="keep a bench database that already holds the asked-for items instead of building it "
        "again (quicker while tuning; the figures that write leave their records behind)",
    )
    parser.add_argument(
        "--only",
        type=lambda value: value.split(","),
        default=None,
        metavar="FIGURE,…",
        help="measure only these figures (of: dashboard, " + ", ".join(name for name, _ in FIGURES) + ")",
    )
    options = parser.parse_args(argv)

    clock = Clock()
    url = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # as in production: no query log, no debug pages
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The bench's own cache, emptied below: the generator writes with COPY, which no cache
    # generation hears of, so nothing kept from an earlier run may be read.
    os.environ["CACHE_URL"] = bench_cache_url()
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(exist_ok=True)
    small_url = urlunsplit(urlsplit(url)._replace(path=urlsplit(url).path + "_small"))
    small_name, large_name = urlsplit(small_url).path.lstrip("/"), urlsplit(url).path.lstrip("/")
    built = []
    for database_url, items in ((small_url, options.small), (url, options.large)):
        if not (options.reuse_databases and items_held(database_url) == items):
            recreate_database(database_url)
            built.append(urlsplit(database_url).path.lstrip("/"))
    clock.say(f"databases {', '.join(built) or 'none'} created afresh")

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    clock.say(f"cache {os.environ['CACHE_URL']} emptied")
    from django.utils import timezone

    from bench.generator import generate
    from strategy.demo import set_demo_targets
    from strategy.models import Strategy

    r = {
        "started": timezone.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "options": vars(options),
        "random_page_cost": RANDOM_PAGE_COST,
    }
    # Two histories, each written in one pass as a service would have recorded it (records in
    # date order): the small one and the large one, not the small one with more appended.
    for name, items in ((small_name, options.small), (large_name, options.large)):
        use_database(name)
        call_command("migrate", verbosity=0)
        if name not in built:
            clock.say(f"{name}: {items:,} items kept from an earlier run")
            continue
        seconds, _ = timed(generate, seizure_items=items)
        full_rollup_seconds()
        set_demo_targets(Strategy.objects.get(), today=timezone.localdate())
        clock.say(f"{name}: {items:,} items generated in {seconds:.0f} s and rolled up")
        r["generate_seconds"] = seconds

    if options.only is None or "dashboard" in options.only:
        medians = dashboard_medians_ms([small_name, large_name])
        (r["small_ms"], r["small_warm_ms"]), (r["large_ms"], r["large_warm_ms"]) = (
            medians[small_name],
            medians[large_name],
        )
        clock.say(
            f"dashboard {r['small_ms']:.1f} ms at {options.small:,} items, {r['large_ms']:.1f} ms at "
            f"{options.large:,} (cached {r['small_warm_ms']:.1f} and {r['large_warm_ms']:.1f} ms)"
        )
    use_database(large_name)

    for name, figure in FIGURES:
        if options.only is not None and name not in options.only:
            continue
        try:
            figure(options, r, clock)
        except Exception as error:  # one broken figure is reported in its row; the rest still run
            r.setdefault("errors", {})[name] = f"{type(error).__name__}: {error}"
            clock.say(f"{name}: FAILED {type(error).__name__}: {error}")

    r["total_minutes"] = round((time.perf_counter() - clock.started) / 60, 1)
    rows = table_rows(options, r)
    r["rows"] = rows
    text = render(rows, r)
    print("\n" + text)
    (RESULTS / "latest.md").write_text(text + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(r, indent=2, default=str) + "\n")
    return 0 if all(row["holds"] == "yes" for row in rows) else 1


def table_rows(o, r):
    """One row per figure; a figure whose measurement failed says so in its row (figures left
    out with --only have none)."""
    rows = []
    for number, figure, build in ROWS:
        if o.only is not None and not any(name in build.__name__ for name in o.only):
            continue
        try:
            measured, reference, ratio, target, holds = build(o, r)
        except (KeyError, TypeError, ZeroDivisionError):
            failed = next(
                (error for name, error in r.get("errors", {}).items() if name in build.__name__), ""
            )
            measured, reference, ratio, target, holds = f"not measured: {failed}", "", "", "", False
        rows.append(
            {
                "n": number,
                "figure": figure(o) if callable(figure) else figure,
                "measured": measured,
                "reference": reference,
                "ratio": ratio,
                "target": target,
                "holds": "yes" if holds else "NO",
            }
        )
    return rows


def row_dashboard(o, r):
    ratio = r["large_ms"] / r["small_ms"]
    return (
        f"{r['large_ms']:.1f} ms (cached {r['large_warm_ms']:.1f} ms)",
        f"{r['small_ms']:.1f} ms at {o.small:,} items (cached {r['small_warm_ms']:.1f} ms)",
        f"{ratio:.2f}",
        "≤ 1.5",
        ratio <= 1.5,
    )


def row_rollup(o, r):
    rollup_s, bare_s = min(r["rollup_runs"]), min(r["bare_runs"])
    ratio = rollup_s / bare_s
    match = r["match"]
    left_out = ", ".join(match["not_compared"])
    compared = (
        f"{match['compared']} of the {match['stored']} stored as facts (not {left_out})"
        if left_out
        else f"all {match['stored']} stored as facts"
    )
    unstored = match["registered"] - match["stored"]
    empty = (
        f"; {len(match['empty'])} of the {match['compared']} have no records in this data"
        if match["empty"]
        else ""
    )
    return (
        f"{rollup_s:.1f} s ({r['fact_rows']:,} facts)",
        f"{bare_s:.1f} s: hand-written INSERT … SELECT … GROUP BY, same rows "
        f"({match['differing']} cells differ in the {match['compared']} metrics compared: {compared}, "
        f"of {match['registered']} registered, the other {unstored} computed when shown{empty})",
        f"{ratio:.2f}",
        "≤ 2",
        ratio <= 2 and match["differing"] == 0 and not match["not_compared"],
    )


def row_incremental(o, r):
    return (
        f"{r['incremental_s']:.2f} s",
        f"{r['changed']:,} records changed through the services; "
        f"{r['incremental_months']} metric-months rebuilt",
        "—",
        "< 2 s",
        r["incremental_s"] < 2,
    )


def row_import(o, r):
    ratio = r["import_rate"] / r["copy_rate"]
    return (
        f"{r['import_rate']:,.0f} rows/s ({r['import_s']:.1f} s; "
        f"the preview before it {r['preview_s']:.1f} s)",
        f"COPY of the same seizures and items into the tables, foreign keys checked: "
        f"{r['copy_rate']:,.0f} rows/s (before the checks {r['unchecked_copy_rate']:,.0f} rows/s, "
        f"{r['import_rate'] / r['unchecked_copy_rate']:.3f} of it; raw COPY of the file "
        f"{r['raw_copy_rate']:,.0f} rows/s)",
        f"{ratio:.3f}",
        "≥ 0.1",
        ratio >= 0.1,
    )


def row_api(o, r):
    return (
        f"p50 {r['api_p50']:.1f} ms, p95 {r['api_p95']:.1f} ms",
        "EXPLAIN (ANALYZE): sequential scans on seizures_seizure and seizures_seizureitem",
        f"{len(r['seq_scans'])} seq scans",
        "0",
        not r["seq_scans"],
    )


def row_export(o, r):
    ratio = r["export_rate"] / r["copy_out_rate"]
    return (
        f"{r['export_rate']:,.0f} rows/s ({r['export_rows']:,} rows in {r['export_s']:.1f} s)",
        f"COPY (the same rows, items and street value) TO STDOUT: {r['copy_out_rate']:,.0f} rows/s "
        f"({r['copy_out_rows']:,} rows in {r['copy_out_s']:.2f} s)",
        f"{ratio:.3f}",
        "≥ 0.1",
        ratio >= 0.1 and r["export_rows"] == r["copy_out_rows"],
    )


def row_sweep(o, r):
    sweep = r["sweep"]
    slowest = "; ".join(
        f"{seconds:.2f} s {role} {path} ({status})" for seconds, role, path, status in sweep["slowest"]
    )
    stream = sweep["longest_stream"]
    whole = (
        f"; the longest streamed download {stream[0]:.1f} s in all ({stream[1]} {stream[2]})"
        if stream
        else ""
    )
    return (
        f"slowest {sweep['slowest'][0][0]:.2f} s of {sweep['requests']:,} requests",
        f"the five slowest: {slowest}{whole}",
        f"{sweep['over_limit']} over {LIMIT_SECONDS} s",
        f"every request ≤ {LIMIT_SECONDS} s",
        sweep["over_limit"] == 0,
    )


def page_row(key):
    def row_page(o, r):
        ratio = r["pages_ratio"][key]
        held = key not in WITHOUT_TARGET
        if key.endswith("_after_edit"):
            reference = (
                f"the sign-in page after as long a wait as the edit's, {r['pages_ms'][AFTER_WAIT]:.1f} ms "
                f"(at once: {r['pages_ms']['sign_in']:.1f} ms); the target edited in {r['pages_edited_in']}"
            )
        else:
            reference = f"the sign-in page, {r['pages_ms']['sign_in']:.1f} ms"
        return (
            f"{r['pages_ms'][key]:.1f} ms",
            reference,
            f"{ratio:.2f}",
            f"≤ {TARGET_RATIO}" if held else "— (where the time goes)",
            ratio <= TARGET_RATIO or not held,
        )

    row_page.__name__ = f"row_pages_{key}"
    return row_page


def row_load(o, r):
    load = r["load"]["total"]
    api = r["load"].get("API seizure list", {"p95": 0})
    form_p95 = max((v["p95"] for k, v in r["load"].items() if k.startswith("referral")), default=0)
    submitted = r["submissions"]["successes"]
    reference = r["load"]["sign-in reference"]
    return (
        f"{load['rps']:.1f} req/s; p95 form steps {form_p95:.0f} ms, API {api['p95']:.0f} ms; "
        f"{load['failures']} errors of {load['requests']}",
        f"{submitted} successful submissions; the sign-in page alone, same server and clients: "
        f"{reference['rps']:.1f} req/s (p95 {reference['p95']:.0f} ms), the load run "
        f"{load['rps'] / reference['rps']:.2f} of its throughput",
        f"{r['stored']} stored",
        "stored = submitted, 0 errors",
        r["stored"] == submitted and load["failures"] == 0,
    )


ROWS = [
    (1, lambda o: f"Dashboard overview, median server time from facts (cache emptied), {o.large:,} items",
     row_dashboard),
    (2, lambda o: f"Full rollup rebuild, {o.large:,} items, best of 2", row_rollup),
    ("2b", lambda o: f"Nightly incremental run after {o.changes:,} changed records", row_incremental),
    (3, lambda o: f"Import of a {o.import_rows:,}-row seizure CSV with validation (import step)", row_import),
    (4, lambda o: f"API seizure list, date_from + force + drug, {o.large:,} items", row_api),
    (6, lambda o: f"Seizure list CSV download, about {o.export_rows:,} rows, streamed", row_export),
    (7, lambda o: f"Every URL of the access matrix, every role, GET, {o.large:,} items", row_sweep),
    *(
        (f"8{letter}", lambda o, label=label, path=path: f"{label} ({path}), server time, {o.large:,} items",
         page_row(key))
        for letter, (key, label, _, path) in zip("abcdefgh", PAGES[1:], strict=False)
    ),
    (5, lambda o: f"Load: referral form and API, gunicorn 4 workers, {o.users} clients, {o.load_seconds} s",
     row_load),
]  # fmt: skip


def render(rows, results):
    header = ["#", "figure", "measured", "reference", "ratio", "target", "holds"]
    lines = [
        f"Strategy Portal benchmark — {results['started']} — {results['cpus']} CPUs — "
        f"make bench took {results['total_minutes']} min",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for row in rows:
        cells = [
            str(row["n"]),
            row["figure"],
            row["measured"],
            row["reference"],
            row["ratio"],
            row["target"],
            row["holds"],
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
