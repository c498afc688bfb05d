"""Ages by pathway, the refused test and the trigger offence: bad input is refused with a message
in the form and a 400 with field errors in the API, each rule tried on both sides of its line.
Free text is held to the form's length and personal-data checks whichever door it comes by."""

import datetime

import pytest
from django.urls import reverse

from partners.models import Referral
from tests.factories import AgencyFactory, UserFactory
from tests.factories.geography import area
from tests.factories.partners import api_payload, make_referral
from tests.partners.test_submission import form_data, start

pytestmark = pytest.mark.django_db

REFERRED = datetime.date(2026, 3, 2)


def born_aged(years, *, days_short=0):
    """A date of birth giving `years` on the day of referral (or a day short of it)."""
    return REFERRED.replace(year=REFERRED.year - years) + datetime.timedelta(days=days_short)


@pytest.fixture
def police_client(client, db):
    police = AgencyFactory(name="Custody suite", kind="police")
    client.force_login(UserFactory(username="sergeant", role="Partner", agency=police))
    return client


def post(client, receiving, **overrides):
    return client.post(
        "/api/v1/referrals/", api_payload(receiving, **overrides), content_type="application/json"
    )


def dip_test(born, **extra):
    return {
        "pathway": "dip_test_on_arrest",
        "dip_test_result": "opiates",
        "trigger_offence": "theft",
        "subject_date_of_birth": born.isoformat(),
        **extra,
    }


def test_a_test_on_arrest_is_for_adults(police_client, treatment_service):
    response = post(police_client, treatment_service, **dip_test(born_aged(18, days_short=1)))
    assert response.status_code == 400
    assert response.json()["subject_date_of_birth"] == [
        "The Drugs Intervention Programme is for adults: the person was 17 on the date of referral. "
        "Refer a young person for early intervention"
    ]
    assert post(police_client, treatment_service, **dip_test(born_aged(18))).status_code == 201


def test_a_required_assessment_is_for_adults_too(police_client, treatment_service):
    assessment = {"pathway": "dip_assessment_initial", "subject_date_of_birth": born_aged(15).isoformat()}
    assert post(police_client, treatment_service, **assessment).status_code == 400


def test_fourteen_to_seventeen_only_where_configured(police_client, treatment_service, settings):
    settings.DIP_TESTS_FROM_14_IN_FORCES = [area("Rugby").force.ons_code]
    assert post(police_client, treatment_service, **dip_test(born_aged(14))).status_code == 201
    young = post(police_client, treatment_service, **dip_test(born_aged(14, days_short=1)))
    assert young.status_code == 400
    assert (
        "in Warwickshire is for people aged 14 and over: the person was 13"
        in young.json()["subject_date_of_birth"][0]
    )
    # Another force's district is still adults only.
    worcester = post(police_client, treatment_service, **dip_test(born_aged(15)), area=area("Worcester").pk)
    assert worcester.status_code == 400


def test_early_intervention_is_for_young_people_under_the_configured_age(
    partner_a_client, treatment_service, settings
):
    def early(born):
        return post(
            partner_a_client,
            treatment_service,
            pathway="early_intervention",
            subject_date_of_birth=born.isoformat(),
        )

    assert early(born_aged(25, days_short=1)).status_code == 201  # 24
    too_old = early(born_aged(25))
    assert too_old.status_code == 400
    assert too_old.json()["subject_date_of_birth"] == [
        "Early intervention is for young people under 25: the person was 25 on the date of referral. "
        "Select another pathway"
    ]
    settings.EARLY_INTERVENTION_AGE_LIMIT = 18
    assert early(born_aged(18)).status_code == 400
    assert early(born_aged(18, days_short=1)).status_code == 201


def test_a_refused_test_is_recorded(police_client, treatment_service):
    response = post(police_client, treatment_service, **dip_test(born_aged(30), dip_test_result="refused"))
    assert response.status_code == 201
    assert Referral.objects.get().get_dip_test_result_display() == "Refused to give a sample"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"trigger_offence": ""}, "Select the trigger offence the person was arrested for"),
        ({"trigger_offence": "jaywalking"}, '"jaywalking" is not a valid choice.'),
        ({"dip_test_result": ""}, "Select the result of the test on arrest"),
    ],
)
def test_a_test_needs_its_trigger_offence_and_result(police_client, treatment_service, extra, message):
    response = post(police_client, treatment_service, **dip_test(born_aged(30), **extra))
    assert response.status_code == 400
    assert message in str(response.json())


def test_a_trigger_offence_belongs_to_a_test_only(partner_a_client, treatment_service):
    response = post(partner_a_client, treatment_service, trigger_offence="theft")
    assert response.status_code == 400
    assert response.json()["trigger_offence"] == [
        "Only give a trigger offence for a Drugs Intervention Programme test on arrest"
    ]


FORM_CASES = [
    (
        {
            "pathway": "dip_test_on_arrest",
            "dip_test_result": "cocaine",
            "trigger_offence": "burglary",
            "subject_date_of_birth_2": "2010",
        },
        "The Drugs Intervention Programme is for adults: the person was 15",
    ),
    (
        {"pathway": "dip_test_on_arrest", "dip_test_result": "refused"},
        "Select the trigger offence the person was arrested for",
    ),
    ({"pathway": "early_intervention"}, "Early intervention is for young people under 25: the person was 35"),
    ({"notes": "Ring 07700.900.123 after six"}, "Remove the phone number"),
    ({"notes": "Mobile +44 (0)7700 900123"}, "Remove the phone number"),
    ({"notes": "Write to john at example dot com"}, "Remove the email address"),
    ({"notes": "Lives near CV21 3BZ"}, "Remove the postcode"),
]


@pytest.mark.parametrize(("overrides", "message"), FORM_CASES)
def test_the_form_gives_the_same_rules_as_messages(client, treatment_service, overrides, message):
    police = AgencyFactory(name="Custody suite", kind="police")
    client.force_login(UserFactory(username="sergeant", role="Partner", agency=police))
    draft = start(client)
    response = client.post(
        reverse("partners:referral_new"), {**form_data(treatment_service, **overrides), "draft": draft}
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "There is a problem" in page
    assert message in page
    assert not Referral.objects.exists()


def test_the_form_takes_a_test_with_its_trigger_offence(client, treatment_service):
    police = AgencyFactory(name="Custody suite", kind="police")
    client.force_login(UserFactory(username="sergeant", role="Partner", agency=police))
    draft = start(client)
    data = form_data(
        treatment_service, pathway="dip_test_on_arrest", dip_test_result="refused", trigger_offence="theft"
    )
    response = client.post(reverse("partners:referral_new"), {**data, "draft": draft})
    assert response.status_code == 302
    check = client.get(response.url).content.decode()
    assert "Refused to give a sample" in check and "Theft (including theft from a vehicle or shop)" in check


# --- free text through the API ----------------------------------------------------------------

NOTES = [
    ("x" * 2001, "Ensure this field has no more than 2000 characters."),
    ("x" * 1_000_000, "Ensure this field has no more than 2000 characters."),
    ("Call him on 07700.900.123", "Remove the phone number"),
    ("Mobile +44 (0)7700 900123", "Remove the phone number"),
    ("Landline (01926) 415-000", "Remove the phone number"),
    ("Email john at example dot com", "Remove the email address"),
    ("Email j.smith(at)mail(dot)co(dot)uk", "Remove the email address"),
    ("Lives at 4 High Street, cv34 4rl", "Remove the postcode"),
]


@pytest.mark.parametrize(("notes", "message"), NOTES, ids=[m for _, m in NOTES])
def test_the_api_holds_notes_to_the_forms_checks(partner_a_client, treatment_service, notes, message):
    response = post(partner_a_client, treatment_service, notes=notes)
    assert response.status_code == 400
    assert message in response.json()["notes"][0]
    assert not Referral.objects.exists()


def test_the_api_takes_ordinary_notes(partner_a_client, treatment_service):
    notes = "Seen at the hub on 2 March; took 2.5g; asked about REF-2026-000123. Born 1990."
    assert post(partner_a_client, treatment_service, notes=notes).status_code == 201


@pytest.mark.parametrize("note", ["Phone 07700 900 123", "at john at example dot com", "B1 1AA"])
def test_a_status_note_with_contact_details_is_refused_in_the_api(client, treatment_worker, referral_a, note):
    client.force_login(treatment_worker)
    response = client.post(
        f"/api/v1/referrals/{referral_a.pk}/transition/",
        {"to_status": "declined", "note": note},
        content_type="application/json",
    )
    assert response.status_code == 400 and "note" in response.json()
    referral_a.refresh_from_db()
    assert referral_a.status == "submitted"


def test_a_withdrawal_reason_with_contact_details_is_refused_by_the_service(partner_a, referral_a):
    from django.core.exceptions import ValidationError

    from partners import services

    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            referral=referral_a, user=partner_a, to_status="withdrawn", note="Mother asked, tel 07700900123"
        )
    assert "Remove the phone number" in str(refused.value)


def test_old_records_stay_valid(partner_a, treatment_service):
    """A referral stored before the age rules can still be read and moved on."""
    old = make_referral(by=partner_a, to=treatment_service)
    Referral.objects.filter(pk=old.pk).update(pathway="early_intervention")  # a 35-year-old, as once accepted
    old.refresh_from_db()
    assert old.get_pathway_display() == "Early intervention for a young person"
