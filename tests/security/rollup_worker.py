"""Test-only launcher: a real Celery worker whose rollup stops for a long while inside its
transaction, right after writing the first metric's facts, so that a test can kill the worker
mid-run (tests/security/test_faults.py). Writes the metric's name to $ROLLUP_MARKER when it
reaches that point. Never used outside the tests."""

import os
import pathlib
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")
django.setup()

from strategy import rollups  # noqa: E402
from strategy_portal.celery import app  # noqa: E402

real_write_facts = rollups._write_facts


def write_facts_then_stall(metric, *args, **kwargs):
    written = real_write_facts(metric, *args, **kwargs)
    pathlib.Path(os.environ["ROLLUP_MARKER"]).write_text(metric.name)
    time.sleep(120)  # the test kills the worker here, inside the rollup's transaction
    return written


rollups._write_facts = write_facts_then_stall

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--queues",
            os.environ["ROLLUP_QUEUE"],
        ]
    )
