"""The service navigation: each app registers its sections; a user sees those it may use."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    description: str = ""
    order: int = 100


_sections = []


def register(section):
    if section not in _sections:
        _sections.append(section)


def sections_for(user):
    allowed = [s for s in _sections if s.permission is None or user.has_perm(s.permission)]
    return [
        {
            "label": s.label,
            "url": _url(s.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF),
            "description": s.description,
            "url_name": s.url_name,
        }
        for s in sorted(allowed, key=lambda s: (s.order, s.label))
    ]


@functools.lru_cache(maxsize=256)
def _url(url_name, script_prefix, urlconf):
    # A section's address takes no arguments: reversed once a process, not on every page.
    return reverse(url_name)
