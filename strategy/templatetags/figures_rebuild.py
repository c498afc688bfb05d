"""The freshness line's rebuild button and the nightly schedule, for the pages that show them
(the dashboards and the runs page) without each view fetching them."""

from django import template

from .. import rebuilds

register = template.Library()


@register.simple_tag
def rebuild_state():
    return rebuilds.rebuild_state()


@register.simple_tag
def next_nightly_run():
    return rebuilds.next_nightly_run()
