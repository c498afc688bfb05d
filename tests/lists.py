"""What a record list shows beside its rows: the totals its figures add up."""


def list_totals(client, url):
    """{label: what the list shows for it} — the figure, with its note in brackets."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {
        label: f"{figure} ({note})" if note else figure
        for label, figure, note in response.context.get("list_totals") or []
    }
