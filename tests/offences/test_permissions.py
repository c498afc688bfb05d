"""Analysts and Administrators write; Managers read; Partners neither — 403 everywhere."""

import pytest
from django.urls import reverse

from offences.models import Offence
from tests.factories.offences import OffenceFactory, offence_api_data, offence_form_data

API = "/api/v1/offences/"


@pytest.fixture
def offence(db):
    return OffenceFactory(crime_reference="23/00001/25")


def pages(offence):
    return [
        reverse("offences:offence_list"),
        reverse("offences:offence_list") + "?_export=csv",
        reverse("offences:offence_list") + "?_export=xlsx",
        reverse("offences:offence_create"),
        reverse("offences:offence_detail", args=[offence.pk]),
        reverse("offences:offence_edit", args=[offence.pk]),
        reverse("offences:offence_withdraw", args=[offence.pk]),
    ]


def test_every_offence_url_is_covered_here(offence):
    from tests.urls import all_url_patterns

    ours = {name for name, _ in all_url_patterns() if name and name.startswith("offences:")}
    assert ours == {
        "offences:offence_list",
        "offences:offence_create",
        "offences:offence_detail",
        "offences:offence_edit",
        "offences:offence_withdraw",
    }


class TestPartner:
    def test_gets_403_on_every_page(self, partner_a_client, offence):
        for url in pages(offence):
            assert partner_a_client.get(url).status_code == 403, url
        for url in pages(offence)[3:]:
            assert partner_a_client.post(url, offence_form_data()).status_code == 403, url

    def test_gets_403_on_every_endpoint(self, partner_a_client, offence):
        detail = f"{API}{offence.pk}/"
        assert partner_a_client.get(API).status_code == 403
        assert partner_a_client.get(detail).status_code == 403
        assert (
            partner_a_client.post(API, offence_api_data(), content_type="application/json").status_code == 403
        )
        assert (
            partner_a_client.put(detail, offence_api_data(), content_type="application/json").status_code
            == 403
        )
        assert partner_a_client.patch(detail, {}, content_type="application/json").status_code == 403
        assert partner_a_client.delete(detail).status_code == 403
        withdraw = partner_a_client.post(
            f"{detail}withdraw/", {"reason": "x"}, content_type="application/json"
        )
        assert withdraw.status_code == 403

    def test_sees_no_offences_section(self, partner_a_client):
        response = partner_a_client.get(reverse("home"), follow=True)
        assert reverse("offences:offence_list") not in response.text


class TestManager:
    def test_reads_pages_and_the_api(self, manager_client, offence):
        assert manager_client.get(reverse("offences:offence_list")).status_code == 200
        assert manager_client.get(reverse("offences:offence_detail", args=[offence.pk])).status_code == 200
        assert manager_client.get(API).status_code == 200
        assert manager_client.get(f"{API}{offence.pk}/").status_code == 200

    def test_cannot_write_through_pages(self, manager_client, offence):
        for url in pages(offence)[3:4] + pages(offence)[5:]:
            assert manager_client.get(url).status_code == 403, url
            assert manager_client.post(url, offence_form_data(crime_reference="NEW/1")).status_code == 403, (
                url
            )
        assert Offence.objects.count() == 1

    def test_cannot_write_through_the_api(self, manager_client, offence):
        detail = f"{API}{offence.pk}/"
        assert (
            manager_client.post(API, offence_api_data(), content_type="application/json").status_code == 403
        )
        assert manager_client.patch(detail, {"plants": 3}, content_type="application/json").status_code == 403
        withdraw = manager_client.post(f"{detail}withdraw/", {"reason": "x"}, content_type="application/json")
        assert withdraw.status_code == 403
        offence.refresh_from_db()
        assert not offence.is_withdrawn

    def test_sees_no_write_buttons(self, manager_client, offence):
        detail = manager_client.get(reverse("offences:offence_detail", args=[offence.pk]))
        listing = manager_client.get(reverse("offences:offence_list"))
        assert "Withdraw" not in detail.text
        assert "Record an offence" not in listing.text


@pytest.mark.parametrize("user_client", ["analyst_client", "administrator_client"])
def test_analysts_and_administrators_write(request, user_client, offence):
    client = request.getfixturevalue(user_client)
    created = client.post(reverse("offences:offence_create"), offence_form_data(crime_reference="NEW/1"))
    assert created.status_code == 302
    changed = client.patch(f"{API}{offence.pk}/", {"outcome": "ongoing"}, content_type="application/json")
    assert changed.status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in_or_refused(client, offence):
    assert client.get(reverse("offences:offence_list")).status_code == 302
    assert client.get(API).status_code in (401, 403)


def test_the_navigation_offers_offences_to_those_who_may_read(analyst_client, manager_client):
    for client in (analyst_client, manager_client):
        response = client.get(reverse("home"), follow=True)
        assert reverse("offences:offence_list") in response.text
