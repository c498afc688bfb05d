"""Bad input is a clear field error, in the form and in the API — never a 500."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from offences.models import Offence
from seizures.models import Drug
from tests.factories.offences import OffenceFactory, offence_api_data, offence_form_data, warrant

API = "/api/v1/offences/"
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)

# (case, form overrides, API overrides, field named in the error, words in the message)
CASES = [
    (
        "recorded in the future",
        {"recorded_date": TOMORROW},
        {"recorded_date": TOMORROW.isoformat()},
        "recorded_date",
        "today or in the past",
    ),
    (
        "outcome before it was recorded",
        {"outcome": "charged", "outcome_date": datetime.date(2025, 6, 1)},
        {"outcome": "charged", "outcome_date": "2025-06-01"},
        "outcome_date",
        "on or after the date recorded",
    ),
    (
        "outcome with no date",
        {"outcome": "charged"},
        {"outcome": "charged"},
        "outcome_date",
        "Enter the date of the outcome",
    ),
    (
        "negative plants",
        {
            "offence_type": "production_cannabis",
            "cultivation": "yes",
            "plants": "-5",
            "site_type": "residential",
        },
        {
            "offence_type": "production_cannabis",
            "cultivation": True,
            "plants": -5,
            "site_type": "residential",
        },
        "plants",
        "0 or more",
    ),
    (
        "absurd number of plants",
        {
            "offence_type": "production_cannabis",
            "cultivation": "yes",
            "plants": "2000000",
            "site_type": "outdoor",
        },
        {
            "offence_type": "production_cannabis",
            "cultivation": True,
            "plants": 2_000_000,
            "site_type": "outdoor",
        },
        "plants",
        "no more than 20,000",
    ),
    (
        "plants without cultivation",
        {"offence_type": "supply", "plants": "12"},
        {"offence_type": "supply", "plants": 12},
        "plants",
        "Only a cultivation offence",
    ),
    (
        "cultivation without plants or site",
        {"offence_type": "production_cannabis", "cultivation": "yes"},
        {"offence_type": "production_cannabis", "cultivation": True},
        "plants",
        "Enter the number of plants",
    ),
    (
        "cultivation of cannabis answered no",
        {"offence_type": "production_cannabis", "cultivation": "no"},
        {"offence_type": "production_cannabis", "cultivation": False},
        "cultivation",
        "answer yes",
    ),
    (
        "cultivation on a possession offence",
        {
            "offence_type": "possession_cannabis",
            "cultivation": "yes",
            "plants": "3",
            "site_type": "residential",
        },
        {"offence_type": "possession_cannabis", "cultivation": True, "plants": 3, "site_type": "residential"},
        "cultivation",
        "Only production or cultivation of cannabis is a cannabis cultivation offence",
    ),
    (
        "cultivation on possession with intent to supply",
        {
            "offence_type": "possession_with_intent",
            "cultivation": "yes",
            "plants": "30",
            "site_type": "residential",
        },
        {
            "offence_type": "possession_with_intent",
            "cultivation": True,
            "plants": 30,
            "site_type": "residential",
        },
        "cultivation",
        "answer no for possession with intent to supply",
    ),
    (
        "cultivation on supply",
        {"offence_type": "supply", "cultivation": "yes", "plants": "30", "site_type": "residential"},
        {"offence_type": "supply", "cultivation": True, "plants": 30, "site_type": "residential"},
        "cultivation",
        "answer no for supplying or offering to supply",
    ),
    (
        "possession of cannabis naming another drug",
        {"drug": "COCAINE"},
        {"drug": "cocaine"},
        "drug",
        "is an offence of cannabis: choose a cannabis drug",
    ),
    (
        "a drug not controlled on the date recorded",
        {
            "offence_type": "possession_other",
            "drug": "MEPHEDRONE",
            "recorded_date": datetime.date(2010, 3, 1),
        },
        {"offence_type": "possession_other", "drug": "mephedrone", "recorded_date": "2010-03-01"},
        "drug",
        "Mephedrone was not a controlled drug on 1 March 2010",
    ),
    (
        "an outcome recorded before the outcome types",
        {"outcome": "caution", "outcome_date": datetime.date(2025, 6, 12)},
        {"outcome": "caution", "outcome_date": "2025-06-12"},
        "outcome",
        "Choose one of the Home Office outcome types",
    ),
    (
        "cannabis warning for supply",
        {"offence_type": "supply", "outcome": "drugs_warning", "outcome_date": datetime.date(2025, 6, 12)},
        {"offence_type": "supply", "outcome": "drugs_warning", "outcome_date": "2025-06-12"},
        "outcome",
        "only for possession",
    ),
    (
        "district outside the chosen force",
        {"area_name": "Worcester"},
        {"area_name": "Worcester"},
        "area",
        "is not in Warwickshire's area",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "form_changes", "api_changes", "field", "words"), CASES, ids=[c[0] for c in CASES]
)
class TestBadInput:
    def test_form_shows_a_field_error(self, analyst_client, case, form_changes, api_changes, field, words):
        if form_changes.get("drug"):  # the form posts the drug's id
            form_changes = {
                **form_changes,
                "drug": str(Drug.objects.get(code=form_changes["drug"].lower()).pk),
            }
        response = analyst_client.post(reverse("offences:offence_create"), offence_form_data(**form_changes))

        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors, errors
        assert words in " ".join(errors[field])
        assert "There is a problem" in response.text
        assert not Offence.objects.exists()

    def test_api_answers_400_naming_the_field(
        self, analyst_client, case, form_changes, api_changes, field, words
    ):
        response = analyst_client.post(API, offence_api_data(**api_changes), content_type="application/json")

        assert response.status_code == 400, response.content
        assert field in response.json(), response.json()
        assert words in " ".join(response.json()[field])
        assert not Offence.objects.exists()


@pytest.mark.django_db
class TestDuplicateCrimeReference:
    def test_form_refuses_a_reference_the_force_already_has(self, analyst_client):
        OffenceFactory(crime_reference="23/11111/25")

        response = analyst_client.post(
            reverse("offences:offence_create"), offence_form_data(crime_reference=" 23/11111/25 ")
        )

        assert response.status_code == 200
        assert response.context["form"].errors["crime_reference"] == [
            "This force already has an offence with this crime reference"
        ]
        assert Offence.objects.count() == 1

    def test_api_answers_400_on_the_crime_reference(self, analyst_client):
        OffenceFactory(crime_reference="23/11111/25")

        response = analyst_client.post(
            API, offence_api_data(crime_reference="23/11111/25"), content_type="application/json"
        )

        assert response.status_code == 400
        assert response.json() == {
            "crime_reference": ["This force already has an offence with this crime reference"]
        }

    def test_the_same_reference_in_another_force_is_accepted(self, analyst_client):
        OffenceFactory(crime_reference="23/11111/25")

        by_form = analyst_client.post(
            reverse("offences:offence_create"),
            offence_form_data(crime_reference="23/11111/25", force_name="West Mercia", area_name="Worcester"),
        )
        assert by_form.status_code == 302
        OffenceFactory(crime_reference="23/22222/25")
        by_api = analyst_client.post(
            API,
            offence_api_data(crime_reference="23/22222/25", force_name="West Mercia", area_name="Worcester"),
            content_type="application/json",
        )
        assert by_api.status_code == 201, by_api.json()
        assert Offence.objects.filter(force__name="West Mercia").count() == 2

    def test_changing_an_offence_to_a_taken_reference_is_refused(self, analyst_client):
        OffenceFactory(crime_reference="23/11111/25")
        other = OffenceFactory(crime_reference="23/22222/25")

        response = analyst_client.patch(
            f"{API}{other.pk}/", {"crime_reference": "23/11111/25"}, content_type="application/json"
        )

        assert response.status_code == 400
        assert "crime_reference" in response.json()


@pytest.mark.django_db
class TestWarrants:
    def test_a_warrant_of_another_force_is_not_found_by_reference(self, analyst_client):
        warrant("WM-W-0001", force_name="West Mercia", area_name="Worcester")

        response = analyst_client.post(
            reverse("offences:offence_create"), offence_form_data(warrant="WM-W-0001")
        )

        assert response.context["form"].errors["warrant"] == [
            "Warwickshire has no warrant with the reference WM-W-0001"
        ]

    def test_the_api_refuses_a_warrant_of_another_force(self, analyst_client):
        other_force = warrant("WM-W-0001", force_name="West Mercia", area_name="Worcester")

        response = analyst_client.post(
            API, offence_api_data(warrant=other_force.pk), content_type="application/json"
        )

        assert response.status_code == 400
        assert response.json() == {"warrant": ["The warrant belongs to another force"]}

    def test_the_api_refuses_an_unknown_warrant(self, analyst_client):
        response = analyst_client.post(API, offence_api_data(warrant=999999), content_type="application/json")

        assert response.status_code == 400
        assert "warrant" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garbage",
    [
        {"recorded_date": "31/02/2025"},
        {"force": "Warwickshire"},
        {"area": 99999},
        {"offence_type": "murder"},
        {"plants": "lots"},
        {"crime_reference": "x" * 31},
        {"outcome": "hanged"},
    ],
)
def test_malformed_api_values_are_field_errors(analyst_client, garbage):
    response = analyst_client.post(API, {**offence_api_data(), **garbage}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()) == set(garbage)


@pytest.mark.django_db
def test_malformed_form_values_are_field_errors(analyst_client):
    data = offence_form_data(cultivation="yes", offence_type="production_cannabis", site_type="residential")
    data.update({"recorded_date_0": "31", "recorded_date_1": "2", "plants": "lots", "area": "99999"})

    response = analyst_client.post(reverse("offences:offence_create"), data)

    assert response.status_code == 200
    assert {"recorded_date", "plants", "area"} <= set(response.context["form"].errors)
