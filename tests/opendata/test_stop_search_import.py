"""police.uk stop and search: searches for controlled drugs, kept as published."""

from collections import Counter

import pytest

from opendata.models import StopSearch
from tests.factories.imports import import_path

WARWICKSHIRE = "police-uk/2018-03-warwickshire-stop-and-search.csv"
WEST_MERCIA = "police-uk/2016-11-west-mercia-stop-and-search.csv"

EXPECTED = {
    WARWICKSHIRE: (
        "Warwickshire",
        122,
        69,
        9,
        {
            "Nothing found - no further action": 45,
            "Suspect arrested": 16,
            "Offender given drugs possession warning": 4,
            "Local resolution": 3,
            "Offender given penalty notice": 1,
        },
    ),
    WEST_MERCIA: (
        "West Mercia",
        382,
        241,
        26,
        {
            "Nothing found - no further action": 140,
            "Suspect arrested": 54,
            "Offender given drugs possession warning": 30,
            "Local resolution": 11,
            "Offender given penalty notice": 3,
            "Offender cautioned": 3,
        },
    ),
}


@pytest.mark.parametrize("file_name", [WARWICKSHIRE, WEST_MERCIA])
def test_each_file_imports_exactly_its_drug_searches(shared_data, analyst, file_name):
    force, rows, drug_searches, without_coordinates, outcomes = EXPECTED[file_name]

    batch = import_path(
        shared_data / file_name, "police-uk-stop-search", user=analyst, options={"force": force}
    )

    assert (batch.rows, batch.created, batch.invalid) == (rows, drug_searches, 0)
    assert batch.skip_reasons == {"a search for something other than controlled drugs": rows - drug_searches}
    searches = StopSearch.objects.filter(force__name=force)
    assert searches.count() == drug_searches
    assert searches.filter(latitude__isnull=True).count() == without_coordinates
    # Outcome labels as police.uk publishes them (the README shortens two of them).
    assert Counter(searches.values_list("outcome", flat=True)) == outcomes


def test_the_two_years_ethnicity_labels_and_other_legislation_are_kept_as_published(shared_data, analyst):
    for file_name in (WARWICKSHIRE, WEST_MERCIA):
        force = EXPECTED[file_name][0]
        import_path(shared_data / file_name, "police-uk-stop-search", user=analyst, options={"force": force})

    labels = set(StopSearch.objects.values_list("self_defined_ethnicity", flat=True))
    assert "White - White British (W1)" in labels
    assert "White - English/Welsh/Scottish/Northern Irish/British" in labels
    assert "" in labels  # not stated
    laws = set(StopSearch.objects.values_list("legislation", flat=True))
    assert "Misuse of Drugs Act 1971 (section 23)" in laws
    assert len(laws - {"Misuse of Drugs Act 1971 (section 23)"}) >= 1


@pytest.mark.parametrize("file_name", [WARWICKSHIRE, WEST_MERCIA])
def test_importing_a_file_again_changes_nothing_even_with_identical_rows(shared_data, analyst, file_name):
    force, _, drug_searches, _, _ = EXPECTED[file_name]
    import_path(shared_data / file_name, "police-uk-stop-search", user=analyst, options={"force": force})
    before = list(StopSearch.objects.order_by("pk").values())

    again = import_path(
        shared_data / file_name, "police-uk-stop-search", user=analyst, options={"force": force}
    )

    assert (again.created, again.updated, again.unchanged) == (0, 0, drug_searches)
    assert list(StopSearch.objects.order_by("pk").values()) == before
