"""Figure 5: the referral form and the API under load (gunicorn and locust on 127.0.0.1)."""

import json
import os
import sys
import time
from pathlib import Path

from bench.api import api_client, api_urls
from bench.harness import RESULTS, ROOT


def load_run(seconds, users=20):
    """gunicorn on 127.0.0.1 and locust headless: half the clients submit referrals through the
    form, half read the API; then as many clients ask for the sign-in page alone, the reference.
    Returns the figures and the referrals stored during the run."""
    import socket
    import subprocess
    import urllib.request

    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from partners.models import Referral

    sessions = []
    for user in User.objects.filter(username__startswith="bench.load.").order_by("username")[:users]:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    _, token = api_client()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = RESULTS / "load"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_DEBUG": "false", "LOG_LEVEL": "WARNING"}
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "strategy_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    started_at = timezone.now()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        areas, agencies = _form_choices()
        host = f"http://127.0.0.1:{port}"
        load_env = {
            **env,
            "BENCH_SESSIONS": json.dumps(sessions),
            "BENCH_TOKEN": token,
            "BENCH_API_URLS": json.dumps(api_urls()),
            "BENCH_FORM_CHOICES": json.dumps({"areas": areas, "agencies": agencies}),
            "BENCH_LOAD_RESULT": str(out / "submissions.json"),
        }
        _locust(bin_dir, host, users, seconds, out / "locust", load_env, ["Caseworker", "ApiClient"])
        # The reference: the sign-in page alone, under the same gunicorn and as many clients.
        _locust(bin_dir, host, users, seconds, out / "sign-in", env, ["SignInVisitor"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    stats = _locust_stats(out / "locust_stats.csv")
    stats["sign-in reference"] = _locust_stats(out / "sign-in_stats.csv")["total"]
    submitted = json.loads((out / "submissions.json").read_text())
    stored = Referral.objects.filter(
        submitted_by__username__startswith="bench.load.", created_at__gte=started_at
    ).count()
    return stats, submitted, stored


def _locust(bin_dir, host, users, seconds, csv_prefix, env, user_classes):
    import subprocess

    subprocess.run(
        [
            str(bin_dir / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
            *user_classes,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=seconds + 120,
    )


def _form_choices():
    from accounts.models import Agency
    from geography.models import Area

    areas = list(Area.objects.in_alliance().values_list("pk", flat=True))
    agencies = list(
        Agency.objects.filter(kind="treatment", name__contains="Bench").values_list("pk", flat=True)
    )
    return areas, agencies


def _locust_stats(path):
    import csv

    with open(path, newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows.pop("Aggregated")

    def figures(row):
        return {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"]),
            "p95": float(row["95%"]),
        }

    return {"total": figures(total), **{name: figures(row) for name, row in rows.items()}}
