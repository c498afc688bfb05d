import os
import subprocess
import sys

from django.conf import settings

from tests.production import production_env


def test_time_zone_is_london():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.USE_TZ


def test_production_settings_pass_the_deployment_checklist():
    env = production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
    }
    env["DJANGO_SETTINGS_MODULE"] = "strategy_portal.settings_production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
