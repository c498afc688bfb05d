"""Withdrawn offences vanish from lists, exports, the API and metrics; administrators still open
them with their history; nothing is hard-deleted."""

import pytest
from django.urls import reverse

from core.metrics import get as get_metric
from offences import services
from offences.models import Offence
from tests.factories.offences import OffenceFactory

API = "/api/v1/offences/"


@pytest.fixture
def withdrawn(analyst):
    offence = OffenceFactory(crime_reference="23/00666/25", grown=True)
    return services.offence_withdraw(offence=offence, user=analyst, reason="Recorded twice")


@pytest.fixture
def kept(db):
    return OffenceFactory(crime_reference="23/00001/25", grown=True)


def test_the_withdraw_page_asks_for_a_reason(analyst_client, kept):
    url = reverse("offences:offence_withdraw", args=[kept.pk])

    refused = analyst_client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "Enter why the offence is being withdrawn" in refused.text

    done = analyst_client.post(url, {"reason": "Recorded against the wrong force"})
    assert done.status_code == 302
    kept.refresh_from_db()
    assert kept.is_withdrawn
    assert kept.withdrawal_reason == "Recorded against the wrong force"


def test_withdrawn_offences_leave_the_list_and_exports(analyst_client, withdrawn, kept):
    listing = analyst_client.get(reverse("offences:offence_list"))
    export = analyst_client.get(reverse("offences:offence_list") + "?_export=csv").getvalue().decode()

    assert [row.record for row in listing.context["table"].paginated_rows] == [kept]
    assert "23/00666/25" not in export
    assert "23/00001/25" in export


def test_withdrawn_offences_leave_the_api_list(analyst_client, withdrawn, kept):
    response = analyst_client.get(API)

    assert [row["crime_reference"] for row in response.json()["results"]] == ["23/00001/25"]


def test_withdrawn_offences_are_not_counted(withdrawn, kept):
    for name in ("offences.recorded", "offences.cultivation"):
        metric = get_metric(name)
        assert list(metric.queryset()) == [kept]


def test_analysts_and_managers_get_404_for_a_withdrawn_offence(analyst_client, withdrawn):
    assert analyst_client.get(reverse("offences:offence_detail", args=[withdrawn.pk])).status_code == 404
    assert analyst_client.get(f"{API}{withdrawn.pk}/").status_code == 404
    assert analyst_client.get(reverse("offences:offence_edit", args=[withdrawn.pk])).status_code == 404


def test_administrators_open_a_withdrawn_offence_with_its_history(administrator_client, withdrawn):
    page = administrator_client.get(reverse("offences:offence_detail", args=[withdrawn.pk]))
    api = administrator_client.get(f"{API}{withdrawn.pk}/")

    assert page.status_code == 200
    assert "Withdrawn on" in page.text
    assert "Recorded twice" in page.text
    history = page.context["history"]
    assert [entry.action for entry in history] == ["Changed", "Created"]
    assert history[0].who.username == "analyst"
    assert history[0].reason == "Withdrawn: Recorded twice"
    assert api.status_code == 200
    assert api.json()["is_withdrawn"] is True
    assert api.json()["withdrawal_reason"] == "Recorded twice"


def test_the_api_withdraws_with_a_reason(analyst_client, kept):
    missing_reason = analyst_client.post(f"{API}{kept.pk}/withdraw/", {}, content_type="application/json")
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.json()

    response = analyst_client.post(
        f"{API}{kept.pk}/withdraw/", {"reason": "Duplicate of 23/00002/25"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["is_withdrawn"] is True
    again = analyst_client.post(
        f"{API}{kept.pk}/withdraw/", {"reason": "again"}, content_type="application/json"
    )
    assert again.status_code == 404


@pytest.mark.parametrize("user_client", ["analyst_client", "administrator_client"])
def test_the_api_never_deletes(request, user_client, kept):
    client = request.getfixturevalue(user_client)

    response = client.delete(f"{API}{kept.pk}/")

    assert response.status_code == 405
    assert Offence.objects.filter(pk=kept.pk).exists()


def test_a_withdrawn_offence_cannot_be_changed(analyst, analyst_client, withdrawn):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.offence_update(offence=withdrawn, user=analyst, plants=3)
    assert (
        analyst_client.patch(
            f"{API}{withdrawn.pk}/", {"plants": 3}, content_type="application/json"
        ).status_code
        == 404
    )


def test_no_page_or_endpoint_deletes(analyst_client, kept):
    from tests.urls import all_url_patterns

    names = [name for name, _ in all_url_patterns() if name and name.startswith("offences:")]
    assert not [name for name in names if "delete" in name]
    assert "DELETE" not in analyst_client.options(f"{API}{kept.pk}/").headers.get("Allow", "")
