"""Figure 4: the filtered API seizure list at volume: server times and the plans of its queries."""

import datetime
import json
import time

from bench.harness import BIG_TABLES, percentile


def api_urls():
    from django.utils import timezone

    from geography.models import Force

    since = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    forces = list(Force.objects.filter(in_alliance=True).order_by("name").values_list("pk", flat=True))
    return [
        f"/api/v1/seizures/?date_from={since}&force={force}&drug={drug}"
        for drug in ("cocaine", "heroin", "herbal-cannabis")
        for force in forces
    ]


def api_client():
    """A client with a new API token of the benchmark's analyst (a day's validity: tokens are
    stored hashed, so each run issues its own), and the token."""
    from django.test import Client

    from accounts.api_tokens import api_token_issue
    from accounts.models import User

    analyst = User.objects.get(username="bench.analyst")
    _, token = api_token_issue(user=analyst, days=1, issued_by=analyst)
    return Client(HTTP_AUTHORIZATION=f"Token {token}"), token


def api_times_ms(requests=36):
    client, _ = api_client()
    urls = api_urls()
    for url in urls:  # warm-up
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} did not answer 200")
    times = []
    for number in range(requests):
        started = time.perf_counter()
        client.get(urls[number % len(urls)])
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5), percentile(times, 0.95)


def _seq_scans(plan):
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found.extend(_seq_scans(child))
    return found


def api_plans():
    """EXPLAIN (ANALYZE) of every query the filtered list makes that reads the big tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, _ = api_client()
    url = api_urls()[-1]
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    scans, plans = [], []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not any(table in sql for table in BIG_TABLES) or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            scans.extend(_seq_scans(plan[0]["Plan"]))
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}")
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return url, scans, plans
