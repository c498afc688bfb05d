"""Bad input is a field error in the form and a 400 with field errors in the API, never a 500."""

import datetime

import pytest

from geography.models import Area
from seizures.models import Seizure, Warrant
from tests.factories.seizures import SeizureFactory, WarrantFactory

from .helpers import seizure_form, seizure_payload, warrant_form, warrant_payload

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=2)


def form_errors(response):
    assert response.status_code == 200, response.status_code
    form, formset = response.context["form"], response.context["formset"]
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for number, item in enumerate(formset.forms):
        errors.update({f"items-{number}-{name}": list(messages) for name, messages in item.errors.items()})
    if formset.non_form_errors():
        errors["items"] = list(formset.non_form_errors())
    return errors


BAD_ITEMS = [
    ("negative quantity", ("cocaine", "-5", "g"), "quantity", "Enter a quantity greater than 0"),
    ("zero quantity", ("cocaine", "0", "g"), "quantity", "Enter a quantity greater than 0"),
    ("absurd quantity", ("cocaine", "50000", "kg"), "quantity", "no more than 10,000 kilograms"),
    ("too many digits", ("cocaine", "1" * 20, "g"), "quantity", "digits"),
    ("not a number", ("cocaine", "lots", "g"), "quantity", "Enter a number"),
    (
        "unit that does not fit",
        ("cocaine", "5", "plants"),
        "unit",
        "Cocaine is recorded in grams or kilograms",
    ),
    (
        "plants by dose",
        ("cannabis-plants", "5", "doses"),
        "unit",
        "Cannabis plants is recorded in plants, grams or kilograms",
    ),
]


@pytest.mark.parametrize(
    ("case", "bad_item", "field", "message"), BAD_ITEMS, ids=[case[0] for case in BAD_ITEMS]
)
def test_bad_items_are_field_errors_in_the_form(analyst_client, case, bad_item, field, message):
    response = analyst_client.post("/seizures/new/", seizure_form(items=[bad_item]))
    errors = form_errors(response)
    assert any(message in text for text in errors[f"items-0-{field}"]), errors
    assert "There is a problem" in response.content.decode()
    assert not Seizure.objects.exists()


@pytest.mark.parametrize(
    ("case", "bad_item", "field", "message"), BAD_ITEMS, ids=[case[0] for case in BAD_ITEMS]
)
def test_bad_items_are_field_errors_in_the_api(analyst_client, case, bad_item, field, message):
    response = analyst_client.post(
        "/api/v1/seizures/", seizure_payload(items=[bad_item]), content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["items"]
    item_errors = errors["0"] if isinstance(errors, dict) else errors[0]  # keyed by the item's position
    assert field in item_errors, item_errors
    if case not in ("too many digits", "not a number"):
        assert any(message in text for text in item_errors[field])
    assert not Seizure.objects.exists()


def test_a_future_date_and_an_area_outside_the_force_are_field_errors_in_the_form(analyst_client):
    hereford = Area.objects.get(name="Herefordshire, County of")
    response = analyst_client.post("/seizures/new/", seizure_form(seized_on=TOMORROW, area=hereford.pk))
    errors = form_errors(response)
    assert errors["seized_on"] == ["The date seized must be today or in the past"]
    assert errors["area"] == ["Herefordshire, County of is not in Warwickshire's area"]


def test_a_future_date_and_an_area_outside_the_force_are_field_errors_in_the_api(analyst_client):
    hereford = Area.objects.get(name="Herefordshire, County of")
    payload = seizure_payload(seized_on=TOMORROW.isoformat(), area=hereford.pk)
    response = analyst_client.post("/api/v1/seizures/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["seized_on"] == ["The date seized must be today or in the past"]
    assert response.json()["area"] == ["Herefordshire, County of is not in Warwickshire's area"]


def test_no_items_a_bad_postcode_and_an_impossible_date_are_refused(analyst_client):
    data = seizure_form(items=[], postcode="ZZ99 ZZZ")
    data["seized_on_0"] = "31"
    data["seized_on_1"] = "2"
    errors = form_errors(analyst_client.post("/seizures/new/", data))
    assert "Add at least one drug seized" in errors["items"]
    assert errors["postcode"] == ["Enter a full UK postcode, like CV34 4RL"]
    assert errors["seized_on"]

    payload = seizure_payload(items=[], postcode="ZZ99 ZZZ", seized_on="2025-02-31")
    response = analyst_client.post("/api/v1/seizures/", payload, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) >= {"items", "seized_on"}


def test_a_good_postcode_is_stored_in_its_standard_form(analyst_client):
    response = analyst_client.post(
        "/api/v1/seizures/", seizure_payload(postcode=" cv212dp"), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["postcode"] == "CV21 2DP"


def test_a_duplicate_reference_in_the_same_force_is_refused_and_in_another_force_accepted(analyst_client):
    SeizureFactory(reference="WK-S-1")
    errors = form_errors(analyst_client.post("/seizures/new/", seizure_form(reference="WK-S-1")))
    assert errors["reference"] == ["This force already has a seizure with this reference"]
    response = analyst_client.post(
        "/api/v1/seizures/", seizure_payload(reference="WK-S-1"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["reference"] == ["This force already has a seizure with this reference"]

    west_mercia = Area.objects.get(name="Worcester")
    payload = seizure_payload(reference="WK-S-1", force=west_mercia.force_id, area=west_mercia.pk)
    assert (
        analyst_client.post("/api/v1/seizures/", payload, content_type="application/json").status_code == 201
    )


def test_a_warrant_reference_of_another_force_is_a_field_error(analyst_client):
    WarrantFactory(reference="WM-W-9", force=Area.objects.get(name="Worcester").force)
    errors = form_errors(analyst_client.post("/seizures/new/", seizure_form(warrant_reference="WM-W-9")))
    assert errors["warrant_reference"] == ["Warwickshire has no warrant with this reference"]


def test_a_warrant_reference_is_found_whatever_its_case_as_a_factory_s_is(analyst_client):
    warrant = WarrantFactory(reference="WK-W-9", force=Area.objects.get(name="Rugby").force)
    response = analyst_client.post("/seizures/new/", seizure_form(warrant_reference="wk-w-9"))
    assert response.status_code == 302
    assert Seizure.objects.get(reference=seizure_form()["reference"]).warrant == warrant


WARRANT_CASES = [
    (
        "future execution",
        {"executed": TOMORROW},
        "executed_on",
        "The date executed must be today or in the past",
    ),
    (
        "executed before issued",
        {"issued": datetime.date(2025, 5, 2), "executed": datetime.date(2025, 5, 1)},
        "executed_on",
        "The date executed must be on or after the date issued",
    ),
    (
        "applied after issued",
        {"applied": datetime.date(2025, 5, 3)},
        "applied_on",
        "The date applied for must be on or before the date issued",
    ),
    ("executed without a date", {"executed": None}, "executed_on", "Enter the date the warrant was executed"),
]


@pytest.mark.parametrize(
    ("case", "dates", "field", "message"), WARRANT_CASES, ids=[c[0] for c in WARRANT_CASES]
)
def test_warrant_dates_out_of_order_are_field_errors_in_form_and_api(
    analyst_client, case, dates, field, message
):
    response = analyst_client.post("/warrants/new/", warrant_form(**dates))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]

    payload = warrant_payload(
        **{
            f"{name}_on": (dates[name].isoformat() if dates[name] else None)
            for name in ("applied", "issued", "executed")
            if name in dates
        }
    )
    response = analyst_client.post("/api/v1/warrants/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not Warrant.objects.exists()


def test_negative_arrests_and_a_duplicate_warrant_reference_are_refused(analyst_client):
    WarrantFactory(reference="WK-W-1")
    response = analyst_client.post("/warrants/new/", warrant_form(arrests=-1))
    assert response.context["form"].errors["arrests"]
    assert response.context["form"].errors["reference"] == [
        "This force already has a warrant with this reference"
    ]
    response = analyst_client.post(
        "/api/v1/warrants/", warrant_payload(arrests=-1), content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"arrests"}
    response = analyst_client.post("/api/v1/warrants/", warrant_payload(), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"reference": ["This force already has a warrant with this reference"]}


def test_malformed_api_bodies_are_400s(analyst_client):
    for body in ("not json", "[]", '{"items": "cocaine"}', '{"items": [{"drug": "unobtainium"}]}'):
        response = analyst_client.post("/api/v1/seizures/", body, content_type="application/json")
        assert response.status_code == 400, body
    response = analyst_client.get("/api/v1/seizures/?date_from=yesterday&force=abc")
    assert response.status_code == 400
    assert analyst_client.get("/seizures/?date_from=yesterday&force=abc").status_code == 200


TOO_MANY = "A seizure can list at most 50 drugs: record the rest as another seizure"


@pytest.mark.parametrize(("count", "accepted"), [(50, True), (51, False)])
def test_a_seizure_lists_at_most_50_drugs_in_the_form(analyst_client, count, accepted):
    response = analyst_client.post("/seizures/new/", seizure_form(items=[("cocaine", "1", "g")] * count))
    if accepted:
        assert response.status_code == 302
        assert Seizure.objects.get().items.count() == 50
    else:
        assert form_errors(response)["items"] == [TOO_MANY]
        assert not Seizure.objects.exists()


def test_a_form_claiming_a_hundred_thousand_items_builds_no_more_than_51(analyst_client):
    data = seizure_form(items=[("cocaine", "1", "g")])
    data["items-TOTAL_FORMS"] = "100000"
    response = analyst_client.post("/seizures/new/", data)
    assert len(response.context["formset"].forms) <= 51
    assert TOO_MANY in form_errors(response)["items"]
    assert not Seizure.objects.exists()


@pytest.mark.parametrize(("count", "status"), [(50, 201), (51, 400)])
def test_a_seizure_lists_at_most_50_drugs_in_the_api(analyst_client, count, status):
    response = analyst_client.post(
        "/api/v1/seizures/",
        seizure_payload(items=[("cocaine", "1", "g")] * count),
        content_type="application/json",
    )
    assert response.status_code == status, response.json()
    if status == 400:
        assert response.json() == {"items": {"non_field_errors": [TOO_MANY]}}
        assert not Seizure.objects.exists()


def test_the_service_refuses_a_51st_item(analyst):
    from django.core.exceptions import ValidationError

    from seizures import services
    from tests.factories.seizures import item

    with pytest.raises(ValidationError) as refused:
        services.seizure_create(
            user=analyst,
            items=[item("cocaine", 1, "g")] * 51,
            reference="WK-S-51",
            seized_on=datetime.date(2025, 6, 1),
            force=Area.objects.get(name="Rugby").force,
            area=Area.objects.get(name="Rugby"),
            place="Vehicle stop",
        )
    assert refused.value.message_dict == {"items": [TOO_MANY]}
