"""The keyed hash spots a person referred by two agencies; only analysts and managers see the flag,
and nobody ever gets the raw identifiers from the API or an export."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from partners.pseudonymisation import subject_key
from tests.factories import AgencyFactory
from tests.factories.partners import make_referral

pytestmark = pytest.mark.django_db

IDENTIFYING_KEYS = (
    "subject_first_initial",
    "subject_surname_initial",
    "subject_date_of_birth",
    "subject_key",
)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def same_person_twice(partner_a, partner_b, treatment_service):
    first = make_referral(by=partner_a, to=treatment_service)
    # Agency B types the initials in lower case: the person is still recognised.
    second = make_referral(
        by=partner_b, to=treatment_service, subject_first_initial="j", subject_surname_initial="s"
    )
    return first, second


def test_the_same_person_from_two_agencies_is_a_possible_repeat(same_person_twice):
    first, second = same_person_twice
    first.refresh_from_db()
    assert first.possible_repeat and second.possible_repeat
    assert first.subject_key == second.subject_key


def test_a_different_person_is_not_a_repeat(partner_a, treatment_service, referral_a):
    other = make_referral(
        by=partner_a, to=treatment_service, subject_date_of_birth=datetime.date(1990, 5, 18)
    )
    referral_a.refresh_from_db()
    assert not other.possible_repeat and not referral_a.possible_repeat


def test_the_key_is_keyed(settings):
    fields = {
        "first_initial": "J",
        "surname_initial": "S",
        "date_of_birth": datetime.date(1990, 5, 17),
        "sex": "M",
    }
    before = subject_key(**fields)
    settings.PSEUDONYMISATION_KEY = "another-key"
    assert subject_key(**fields) != before


def test_analysts_see_the_flag_on_the_list_and_the_page(analyst_client, same_person_twice):
    first, _ = same_person_twice
    assert "Possible repeat" in analyst_client.get(reverse("partners:referral_list")).content.decode()
    page = analyst_client.get(reverse("partners:referral_detail", args=[first.pk])).content.decode()
    assert "this person has another journey" in page
    rows = analyst_client.get("/api/v1/referrals/", {"possible_repeat": "true"}).json()["results"]
    assert len(rows) == 2 and all(row["possible_repeat"] for row in rows)


def test_neither_agency_sees_the_flag_or_the_other_referral(partner_a, partner_b, same_person_twice):
    first, second = same_person_twice
    for client, own, other in ((signed_in(partner_a), first, second), (signed_in(partner_b), second, first)):
        page = client.get(reverse("partners:referral_detail", args=[own.pk])).content.decode()
        assert "Possible repeat" not in page and "another journey" not in page
        assert other.reference not in client.get(reverse("partners:referral_list")).content.decode()
        assert client.get(reverse("partners:referral_detail", args=[other.pk])).status_code == 404
        rows = client.get("/api/v1/referrals/", {"possible_repeat": "true"}).json()["results"]
        assert [row["reference"] for row in rows] == [own.reference]  # the filter is not theirs to use
        assert rows[0]["possible_repeat"] is None  # the flag is not theirs to know


def test_the_agencies_on_a_referral_see_its_initials_but_analysts_do_not(
    partner_a, treatment_worker, analyst, manager, referral_a
):
    url = reverse("partners:referral_detail", args=[referral_a.pk])
    assert "17 May 1990" in signed_in(partner_a).get(url).content.decode()
    assert "17 May 1990" in signed_in(treatment_worker).get(url).content.decode()
    for client in (signed_in(analyst), signed_in(manager)):
        page = client.get(url).content.decode()
        assert "17 May 1990" not in page and "Initials" not in page
        assert "35 to 49" in page


@pytest.mark.parametrize("user", ["partner_a", "analyst"])
def test_raw_identifiers_never_appear_in_api_output(request, user, same_person_twice):
    client = signed_in(request.getfixturevalue(user))
    first, _ = same_person_twice
    for row in [
        client.get(f"/api/v1/referrals/{first.pk}/").json(),
        *client.get("/api/v1/referrals/").json()["results"],
    ]:
        for key in IDENTIFYING_KEYS:
            assert key not in row
        assert "1990-05-17" not in str(row) and first.subject_key not in str(row)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_raw_identifiers_never_appear_in_exports(
    partner_a_client, analyst_client, same_person_twice, export_format
):
    first, _ = same_person_twice
    for client in (partner_a_client, analyst_client):
        response = client.get(reverse("partners:referral_list"), {"_export": export_format})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if export_format == "xlsx":
            from io import BytesIO

            from openpyxl import load_workbook

            cells = [str(c.value) for row in load_workbook(BytesIO(body)).active.iter_rows() for c in row]
            text = "\n".join(cells)
        else:
            text = body.decode()
        assert first.reference in text
        assert "1990" not in text and first.subject_key not in text
        assert "Initial" not in text and "birth" not in text.lower()


def test_a_withdrawn_referral_no_longer_makes_a_repeat(
    partner_a, partner_b, treatment_service, same_person_twice
):
    from partners import services

    first, second = same_person_twice
    services.referral_transition(referral=second, user=partner_b, to_status="withdrawn", note="Sent in error")
    first.refresh_from_db()
    assert not first.possible_repeat


def test_a_repeat_by_the_same_agency_counts_too(partner_a, referral_a):
    again = make_referral(by=partner_a, to=AgencyFactory(name="Another service"))
    assert again.possible_repeat
