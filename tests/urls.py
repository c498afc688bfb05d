"""Every URL pattern of the service, with sample arguments, for the tests that cover them all."""

from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE_ARGUMENTS = {"int": "1", "pk": "1", "uuid": "00000000-0000-0000-0000-000000000001", "slug": "sample"}


def _sample_path(route):
    """Turn a route such as 'seizures/<int:pk>/' into 'seizures/1/'."""
    import re

    def substitute(match):
        converter, _, name = match.group(1).rpartition(":")
        return SAMPLE_ARGUMENTS.get(converter) or SAMPLE_ARGUMENTS.get(name, "1")

    return re.sub(r"<([^>]+)>", substitute, route)


def all_url_patterns(resolver=None, prefix="", namespace=""):
    """Yield (name, sample path) for every URL pattern, namespaced like reverse() wants it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):  # regex patterns (the admin's, DRF's format suffixes)
            route = route.lstrip("^").rstrip("$").replace("\\", "")
            if "(?P<" in route or "(" in route:
                continue  # format-suffix variants duplicate the plain route
        if ":format>" in route:
            continue  # REST framework's ".json" suffix variants duplicate the plain route
        if isinstance(pattern, URLResolver):
            child_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_patterns(pattern, prefix + route, child_namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, "/" + _sample_path(prefix + route)
