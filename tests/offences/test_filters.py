"""Every OffenceFilter parameter, tested one by one on the list page and in the API; and no
user-facing field of the offence goes without a filter."""

import datetime

import pytest
from django.urls import reverse

from geography.models import Area
from offences.filters import OffenceFilter
from offences.models import Offence
from tests.factories.offences import OffenceFactory, warrant
from tests.factories.seizures import drug

API = "/api/v1/offences/"


@pytest.fixture
def offences(db):
    """Four offences that differ in every way a filter can tell apart."""
    under_warrant = warrant("WK-W-0042", area_name="Warwick", executed_on=datetime.date(2025, 1, 30))
    return {
        "cannabis": OffenceFactory(crime_reference="WK/0001", recorded_date=datetime.date(2024, 5, 1)),
        "factory": OffenceFactory(
            crime_reference="WK/0002",
            recorded_date=datetime.date(2025, 2, 1),
            area=Area.objects.get(name="Warwick"),
            factory_site=True,
            outcome="charged",
            outcome_date=datetime.date(2025, 3, 15),
            warrant=under_warrant,
        ),
        "home_grow": OffenceFactory(
            crime_reference="WM/0003",
            recorded_date=datetime.date(2025, 8, 1),
            force=Area.objects.get(name="Worcester").force,
            grown=True,
            drug=drug("cannabis-plants"),
            outcome="evidential_difficulties",
            outcome_date=datetime.date(2025, 9, 1),
        ),
        "possession": OffenceFactory(
            crime_reference="WM/0004",
            recorded_date=datetime.date(2026, 1, 5),
            force=Area.objects.get(name="Worcester").force,
            area=Area.objects.get(name="Redditch"),
            offence_type="possession_other",
            drug=drug("cocaine"),
            outcome="caution_adult",
            outcome_date=datetime.date(2026, 1, 6),
        ),
    }


def _ids(ids):
    return lambda o: ids


CASES = [
    ("q", lambda o: "wm/", {"home_grow", "possession"}),
    ("date_from", lambda o: "2025-02-01", {"factory", "home_grow", "possession"}),
    ("date_to", lambda o: "2025-02-01", {"cannabis", "factory"}),
    ("force", lambda o: o["home_grow"].force_id, {"home_grow", "possession"}),
    ("area", lambda o: o["factory"].area_id, {"factory"}),
    ("partnership", lambda o: o["possession"].area.partnership_id, {"possession"}),
    ("offence_type", lambda o: "production_cannabis", {"factory", "home_grow"}),
    ("offence_group", lambda o: "92D", {"possession"}),
    ("offence_group", lambda o: "92A", {"factory", "home_grow"}),
    ("cultivation", lambda o: "true", {"factory", "home_grow"}),
    ("cultivation", lambda o: "false", {"cannabis", "possession"}),
    ("site_type", lambda o: "commercial", {"factory"}),
    ("has_site", lambda o: "true", {"factory"}),
    ("has_site", lambda o: "false", {"cannabis", "home_grow", "possession"}),
    ("site", lambda o: o["factory"].site_id, {"factory"}),
    ("drug", lambda o: "cocaine", {"possession"}),
    ("drug", lambda o: "cannabis-plants", {"home_grow"}),
    ("drug_class", lambda o: "A", {"possession"}),
    ("drug_class", lambda o: "B", {"home_grow"}),
    ("drug_class", lambda o: "none", {"cannabis", "factory"}),
    ("plants_min", lambda o: 100, {"factory"}),
    ("plants_max", lambda o: 100, {"home_grow"}),
    ("outcome", lambda o: "charged", {"factory"}),
    ("outcome", lambda o: "ongoing", {"cannabis"}),
    ("outcome_from", lambda o: "2025-09-01", {"home_grow", "possession"}),
    ("outcome_to", lambda o: "2025-09-01", {"factory", "home_grow"}),
    ("has_warrant", lambda o: "true", {"factory"}),
    ("has_warrant", lambda o: "false", {"cannabis", "home_grow", "possession"}),
    ("warrant", lambda o: o["factory"].warrant_id, {"factory"}),
]


@pytest.mark.parametrize(
    ("parameter", "value", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_filter_on_the_list_page(analyst_client, offences, parameter, value, expected):
    response = analyst_client.get(reverse("offences:offence_list"), {parameter: value(offences)})

    assert response.status_code == 200
    shown = {row.record.crime_reference for row in response.context["table"].paginated_rows}
    assert shown == {offences[name].crime_reference for name in expected}


@pytest.mark.parametrize(
    ("parameter", "value", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_filter_in_the_api(analyst_client, offences, parameter, value, expected):
    response = analyst_client.get(API, {parameter: value(offences)})

    assert response.status_code == 200
    assert {row["crime_reference"] for row in response.json()["results"]} == {
        offences[name].crime_reference for name in expected
    }


def test_every_filter_parameter_is_tested():
    assert {case[0] for case in CASES} == set(OffenceFilter.base_filters)


def test_the_parameter_names_other_apps_link_with_exist():
    contract = {
        "date_from", "date_to", "force", "area", "partnership", "offence_type",
        "offence_group", "cultivation", "has_site", "site", "drug", "drug_class", "outcome", "q",
    }  # fmt: skip
    assert contract <= set(OffenceFilter.base_filters)


def test_every_user_facing_field_has_a_filter():
    """A field users see on the form, the list or the API must be filterable."""
    withdrawal = {"withdrawn_at", "withdrawn_by", "withdrawal_reason"}
    fields = {field.name for field in Offence._meta.concrete_fields if not field.primary_key} - withdrawal
    filtered = {f.field_name.split("__")[0] for f in OffenceFilter.base_filters.values()}
    assert fields - filtered == set()


def test_filters_combine(analyst_client, offences):
    response = analyst_client.get(
        reverse("offences:offence_list"), {"cultivation": "true", "force": offences["home_grow"].force_id}
    )
    assert [row.record for row in response.context["table"].paginated_rows] == [offences["home_grow"]]


@pytest.mark.parametrize("bad", [{"date_from": "yesterday"}, {"force": "999999"}, {"offence_group": "92Z"}])
def test_a_bad_filter_value_is_an_error_not_everything(analyst_client, offences, bad):
    page = analyst_client.get(reverse("offences:offence_list"), bad)
    api = analyst_client.get(API, bad)

    assert page.status_code == 200
    assert list(page.context["table"].paginated_rows) == []
    assert api.status_code == 400
    assert set(api.json()) == set(bad)


def test_the_panel_summarises_only_the_filters_chosen(analyst_client, offences):
    response = analyst_client.get(
        reverse("offences:offence_list"), {"cultivation": "true", "offence_group": "92A"}
    )

    chosen = response.context["active_filters"]
    assert [(tag.label, tag.value) for tag in chosen] == [
        ("Home Office group", "92A Trafficking in controlled drugs"),
        ("Cannabis cultivation", "Yes"),
    ]
    # Each tag removes its own filter and keeps the other.
    assert [tag.remove_url for tag in chosen] == ["?cultivation=true", "?offence_group=92A"]


@pytest.mark.django_db
def test_place_and_choice_filters_add_no_select_distinct():
    """Every multiple-choice filter follows a foreign key forward or reads the offence's own
    column: no offence can be listed twice, so the list must not sort all rows to de-duplicate."""
    from geography.models import Area, Force
    from offences.filters import OffenceFilter
    from offences.models import Offence

    params = {
        "force": [Force.objects.first().pk],
        "area": [Area.objects.first().pk],
        "partnership": [Area.objects.first().partnership_id],
        "offence_group": ["92A"],
    }
    listed = OffenceFilter(params, queryset=Offence.objects.all()).qs

    assert "DISTINCT" not in str(listed.query)
