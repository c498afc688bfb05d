"""The service navigation: each app registers its sections; a user sees those it may use."""

from dataclasses import dataclass

from django.urls import reverse


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
        {"label": s.label, "url": reverse(s.url_name), "description": s.description, "url_name": s.url_name}
        for s in sorted(allowed, key=lambda s: (s.order, s.label))
    ]
