"""One door: partner B never sees partner A's referral, in any page, export or API."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partners.models import Referral

pytestmark = pytest.mark.django_db


def test_partner_b_gets_404_for_partner_as_referral_page(partner_b_client, referral_a):
    assert partner_b_client.get(reverse("partners:referral_detail", args=[referral_a.pk])).status_code == 404


def test_partner_b_gets_404_for_the_edit_form(partner_b_client, referral_a):
    url = reverse("partners:referral_edit", args=[referral_a.pk])
    assert partner_b_client.get(url).status_code == 404
    assert partner_b_client.post(url, {"notes": "changed"}).status_code == 404


def test_partner_b_gets_404_for_the_status_action(partner_b_client, referral_a):
    url = reverse("partners:referral_status", args=[referral_a.pk])
    assert partner_b_client.get(url).status_code == 404
    response = partner_b_client.post(url, {"to_status": "accepted", "from_status": "submitted"})
    assert response.status_code == 404
    referral_a.refresh_from_db()
    assert referral_a.status == "submitted"


def test_partner_b_gets_404_for_the_confirmation_page(partner_b_client, referral_a):
    assert (
        partner_b_client.get(reverse("partners:referral_submitted", args=[referral_a.pk])).status_code == 404
    )


def test_partner_b_gets_404_in_the_api(partner_b_client, referral_a):
    url = f"/api/v1/referrals/{referral_a.pk}/"
    assert partner_b_client.get(url).status_code == 404
    assert partner_b_client.patch(url, {"notes": "x"}, content_type="application/json").status_code == 404
    response = partner_b_client.post(
        f"{url}transition/", {"to_status": "accepted"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_partner_as_referrals_never_appear_in_partner_bs_list(partner_b_client, referral_a, referral_b):
    page = partner_b_client.get(reverse("partners:referral_list")).content.decode()
    assert referral_b.reference in page
    assert referral_a.reference not in page


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_partner_as_referrals_never_appear_in_partner_bs_exports(
    partner_b_client, referral_a, referral_b, export_format
):
    response = partner_b_client.get(reverse("partners:referral_list"), {"_export": export_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "xlsx":
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(body)).active
        body = "\n".join(",".join(str(c.value) for c in row) for row in sheet.iter_rows()).encode()
    assert referral_b.reference.encode() in body
    assert referral_a.reference.encode() not in body


def test_partner_as_referrals_never_appear_in_partner_bs_api_list(partner_b_client, referral_a, referral_b):
    references = [row["reference"] for row in partner_b_client.get("/api/v1/referrals/").json()["results"]]
    assert references == [referral_b.reference]


def test_the_receiving_agency_sees_the_referral(treatment_worker, client, referral_a):
    client.force_login(treatment_worker)
    assert client.get(reverse("partners:referral_detail", args=[referral_a.pk])).status_code == 200


def test_analysts_and_managers_see_every_referral(analyst_client, referral_a, referral_b):
    references = {row["reference"] for row in analyst_client.get("/api/v1/referrals/").json()["results"]}
    assert references == {referral_a.reference, referral_b.reference}


def test_analysts_cannot_change_or_move_referrals(analyst_client, referral_a):
    assert analyst_client.get(reverse("partners:referral_edit", args=[referral_a.pk])).status_code == 403
    assert analyst_client.get(reverse("partners:referral_status", args=[referral_a.pk])).status_code == 403
    assert analyst_client.get(reverse("partners:referral_new")).status_code == 403


def test_visible_to_is_the_one_door(partner_a, partner_b, analyst, referral_a, referral_b):
    assert list(Referral.objects.visible_to(partner_a)) == [referral_a]
    assert list(Referral.objects.visible_to(partner_b)) == [referral_b]
    assert set(Referral.objects.visible_to(analyst)) == {referral_a, referral_b}


def test_a_partner_without_an_agency_sees_nothing(referral_a):
    from tests.factories import UserFactory

    stray = UserFactory(username="stray", role="Partner")
    assert not Referral.objects.visible_to(stray).exists()


def test_anonymous_requests_are_refused(client, referral_a):
    assert client.get(f"/api/v1/referrals/{referral_a.pk}/").status_code in (401, 403)
    assert client.get(reverse("partners:referral_list")).status_code == 302


def test_partner_role_holds_only_referral_permissions(db):
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="Partner").permissions.select_related("content_type")
    }
    assert held == {"partners.add_referral", "partners.change_referral", "partners.view_referral"}
