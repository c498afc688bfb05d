"""Every field's bad input gets a GOV.UK-style message, never a 500; the API answers 400."""

import pytest
from django.urls import reverse

from partners.models import Referral
from tests.factories import AgencyFactory
from tests.factories.geography import area
from tests.partners.test_submission import form_data, start

pytestmark = pytest.mark.django_db

BAD_INPUT = [
    ({"pathway": None}, "pathway", "Select the pathway"),
    ({"pathway": "snooker"}, "pathway", "Select the pathway"),
    ({"pathway": "dip_test_on_arrest"}, "dip_test_result", "Select the result of the test on arrest"),
    (
        {"pathway": "dip_test_on_arrest", "dip_test_result": "purple"},
        "dip_test_result",
        "Select the result of the test on arrest",
    ),
    (
        {"referral_date_0": "", "referral_date_1": "", "referral_date_2": ""},
        "referral_date",
        "Enter date of referral",
    ),
    (
        {"referral_date_0": "31", "referral_date_1": "2"},
        "referral_date",
        "Date of referral must be a real date",
    ),
    ({"referral_date_0": "x"}, "referral_date", "Date of referral must be a real date"),
    ({"referral_date_2": "26"}, "referral_date", "Date of referral must include a year with 4 numbers"),
    ({"referral_date_1": ""}, "referral_date", "Date of referral must include a month"),
    ({"referral_date_2": "2099"}, "referral_date", "Date of referral must be today or in the past"),
    ({"referral_date_2": "99999999999999999999"}, "referral_date", "Date of referral must"),
    ({"receiving_agency": None}, "receiving_agency", "Select the agency you are referring the person to"),
    ({"receiving_agency": "999999"}, "receiving_agency", "Select the agency you are referring the person to"),
    ({"receiving_agency": "abc"}, "receiving_agency", "Select the agency you are referring the person to"),
    ({"area": None}, "area", "Select the district where the person lives"),
    ({"area": "999999"}, "area", "Select the district where the person lives"),
    (
        {"subject_first_initial": None},
        "subject_first_initial",
        "Enter the first letter of the person's first name",
    ),
    (
        {"subject_first_initial": "John"},
        "subject_first_initial",
        "Enter only the first letter of the person's first name",
    ),
    ({"subject_first_initial": "7"}, "subject_first_initial", "must be a letter"),
    (
        {"subject_surname_initial": ""},
        "subject_surname_initial",
        "Enter the first letter of the person's surname",
    ),
    (
        {"subject_surname_initial": "Smith"},
        "subject_surname_initial",
        "Enter only the first letter of the person's surname",
    ),
    (
        {"subject_date_of_birth_0": "", "subject_date_of_birth_1": "", "subject_date_of_birth_2": ""},
        "subject_date_of_birth",
        "Enter date of birth",
    ),
    ({"subject_date_of_birth_1": "13"}, "subject_date_of_birth", "Date of birth must be a real date"),
    (
        {"subject_date_of_birth_2": "2027"},
        "subject_date_of_birth",
        "Date of birth must be before the date of referral",
    ),
    (
        {"subject_date_of_birth_2": "1880"},
        "subject_date_of_birth",
        "Date of birth must be less than 110 years ago",
    ),
    ({"subject_sex": None}, "subject_sex", "Select the person's sex"),
    ({"subject_sex": "Q"}, "subject_sex", "Select the person's sex"),
    ({"substances": None}, "substances", "Select at least one substance the person uses"),
    ({"substances": ["glue"]}, "substances", "Select substances from the list"),
    ({"notes": "x" * 2001}, "notes", "Reason for referral must be 2,000 characters or fewer"),
    ({"notes": "Call him on 07700 900123"}, "notes", "Remove the phone number"),
    ({"notes": "mail j.s@example.org"}, "notes", "Remove the email address"),
    ({"consent_recorded": None}, "consent_recorded", "Confirm the person has consented to the referral"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), BAD_INPUT, ids=[f"{i}-{c[1]}" for i, c in enumerate(BAD_INPUT)]
)
def test_bad_input_gives_a_govuk_error(partner_a_client, treatment_service, overrides, field, message):
    draft = start(partner_a_client)
    response = partner_a_client.post(
        reverse("partners:referral_new"),
        {**form_data(treatment_service, **overrides), "draft": draft},
    )
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert message in page
    assert "govuk-error-message" in page
    assert page.count(f'href="#id_{field}') >= 1 or field in ("referral_date", "subject_date_of_birth")
    assert "<title>Error:" in page
    assert not Referral.objects.exists()


def test_an_inactive_agency_cannot_receive_referrals(partner_a_client):
    closed = AgencyFactory(name="Closed service", active=False)
    draft = start(partner_a_client)
    page = partner_a_client.post(
        reverse("partners:referral_new"), {**form_data(closed), "draft": draft}
    ).content.decode()
    assert "Select the agency you are referring the person to" in page


def test_status_form_bad_input(client, treatment_worker, referral_a):
    client.force_login(treatment_worker)
    url = reverse("partners:referral_status", args=[referral_a.pk])
    cases = [
        ({"from_status": "submitted"}, "Select what has happened to the referral"),
        ({"to_status": "nonsense", "from_status": "submitted"}, "Select what has happened to the referral"),
        ({"to_status": "declined", "from_status": "submitted"}, "Enter a note saying why"),
        (
            {
                "to_status": "accepted",
                "from_status": "submitted",
                "effective_on_0": "40",
                "effective_on_1": "1",
                "effective_on_2": "2026",
            },
            "The date it happened must be a real date",
        ),
        (
            {
                "to_status": "accepted",
                "from_status": "submitted",
                "effective_on_0": "1",
                "effective_on_1": "1",
                "effective_on_2": "2099",
            },
            "The date must be today or in the past",
        ),
        (
            {"to_status": "accepted", "from_status": "submitted", "note": "ring 07700900123"},
            "Remove the phone number",
        ),
        ({"to_status": "accepted", "from_status": "bogus"}, "Select a valid choice"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    referral_a.refresh_from_db()
    assert referral_a.status == "submitted"


API_BAD_INPUT = [
    ({"pathway": "snooker"}, "pathway"),
    ({"referral_date": "yesterday"}, "referral_date"),
    ({"referral_date": "2099-01-01"}, "referral_date"),
    ({"area": 999999}, "area"),
    ({"receiving_agency": "x"}, "receiving_agency"),
    ({"substances": []}, "substances"),
    ({"substances": ["glue"]}, "substances"),
    ({"subject_first_initial": "Jo"}, "subject_first_initial"),
    ({"subject_first_initial": "1"}, "subject_first_initial"),
    ({"subject_date_of_birth": "1990-13-01"}, "subject_date_of_birth"),
    ({"subject_date_of_birth": "2027-01-01"}, "subject_date_of_birth"),
    ({"subject_sex": "Q"}, "subject_sex"),
    ({"consent_recorded": False}, "consent_recorded"),
    ({"dip_test_result": "both"}, "dip_test_result"),
    ({"pathway": "dip_test_on_arrest"}, "dip_test_result"),
    ({"notes": "07700 900123"}, "notes"),
]


@pytest.mark.parametrize(
    ("overrides", "field"), API_BAD_INPUT, ids=[f"{i}-{c[1]}" for i, c in enumerate(API_BAD_INPUT)]
)
def test_the_api_answers_400_with_field_errors(partner_a_client, treatment_service, overrides, field):
    payload = {
        "pathway": "treatment",
        "referral_date": "2026-03-02",
        "area": area("Rugby").pk,
        "receiving_agency": treatment_service.pk,
        "substances": ["crack"],
        "consent_recorded": True,
        "subject_first_initial": "J",
        "subject_surname_initial": "S",
        "subject_date_of_birth": "1990-05-17",
        "subject_sex": "M",
        **overrides,
    }
    response = partner_a_client.post("/api/v1/referrals/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Referral.objects.exists()


def test_the_api_refuses_an_illegal_idempotency_key(partner_a_client, treatment_service):
    response = partner_a_client.post(
        "/api/v1/referrals/", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="nope"
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query", ["date_from=notadate", "area=abc", "status=nonsense", "force=999999", "age_band=old"]
)
def test_bad_filters_are_a_message_or_a_400(partner_a_client, analyst_client, query):
    assert partner_a_client.get(f"{reverse('partners:referral_list')}?{query}").status_code == 200
    assert analyst_client.get(f"/api/v1/referrals/?{query}").status_code == 400


def test_one_mistake_gets_one_message_even_where_the_model_checks_the_field_again(
    partner_a_client, treatment_service
):
    draft = start(partner_a_client)
    overrides = {"subject_date_of_birth_0": "", "subject_date_of_birth_1": "", "subject_date_of_birth_2": ""}
    response = partner_a_client.post(
        reverse("partners:referral_new"),
        {**form_data(treatment_service, **overrides), "consent_recorded": "", "draft": draft},
    )

    page = response.content.decode()
    field_messages = page.count('class="govuk-error-message"')
    summary_links = page.split("govuk-error-summary__list")[1].split("</ul>")[0].count("<li>")
    assert summary_links == field_messages == 2  # date of birth and consent, once each
