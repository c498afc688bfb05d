"""What a record list shows beside its rows: the totals its figures add up and how many of its
records the figures do not include yet."""


def list_totals(client, url):
    """{label: what the list shows for it} — the figure, with its note in brackets."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {
        label: f"{figure} ({note})" if note else figure
        for label, figure, note in response.context.get("list_totals") or []
    }


def figures_lag(client, url):
    """How many of the listed records the figures do not include yet, with when they were built
    and are next built; None when the list says nothing of it."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context.get("figures_lag")
