"""The service menu's items, built in Python: every signed-in page shows them, and a loop of
template tags over the sections cost more than the rest of the page around it."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _is_current(section_url, current):
    return current == section_url or (section_url != "/" and section_url in current)


@register.simple_tag
def navigation_items(sections, current):
    """One <li> per section; the section the page belongs to is marked, and is the page itself
    (aria-current) when its address is the page's."""
    current = current or ""
    return format_html_join(
        "\n",
        '<li class="govuk-service-navigation__item{}">'
        '<a class="govuk-service-navigation__link" href="{}"{}>{}</a></li>',
        (
            (
                " govuk-service-navigation__item--active" if _is_current(section["url"], current) else "",
                section["url"],
                mark_safe(' aria-current="page"') if current == section["url"] else "",
                format_html(
                    '<strong class="govuk-service-navigation__active-fallback">{}</strong>', section["label"]
                )
                if _is_current(section["url"], current)
                else section["label"],
            )
            for section in sections
        ),
    )
