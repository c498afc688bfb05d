"""The Redis cache a deployment shares (CACHE_URL=redis://…) keeps one client per server, and
behaves as Django's own: what the generations and the cached pages rely on works through it."""

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import pytest

from core.cache import RedisCache


@pytest.fixture
def redis_cache(redis_url, worker_id):
    # A database of its own per test worker, emptied before and after.
    parts = urlsplit(redis_url)
    database = 8 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    cache = RedisCache(urlunsplit(parts._replace(path=f"/{database}")), {"KEY_PREFIX": "test"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_call(redis_cache):
    first = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is first


def test_values_generations_and_missing_keys_behave_as_djangos(redis_cache):
    redis_cache.set("page", "<p>£1,000</p>", 60)
    assert redis_cache.get("page") == "<p>£1,000</p>"
    assert redis_cache.add("generation", 5, timeout=None) is True
    assert redis_cache.add("generation", 9, timeout=None) is False
    assert redis_cache.incr("generation") == 6
    assert redis_cache.get_many(["page", "generation", "absent"]) == {
        "page": "<p>£1,000</p>",
        "generation": 6,
    }
    with pytest.raises(ValueError):
        redis_cache.incr("absent")


def test_settings_use_it_whenever_cache_url_names_redis():
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        ],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy_portal.settings",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "core.cache.RedisCache"
