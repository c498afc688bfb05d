"""Home Office police recorded crime: drug offences of the configured forces by quarter."""

from opendata.models import RecordedCrime
from tests.factories.imports import import_path

PRC = "home-office/prc-pfa-201718_new.csv"

# The README's table: quarters 1-4 of 2017/18.
EXPECTED = {
    ("Warwickshire", "92A"): [61, 53, 51, 58],
    ("Warwickshire", "92C"): [0, 0, 0, 1],
    ("Warwickshire", "92D"): [85, 68, 59, 41],
    ("Warwickshire", "92E"): [128, 116, 85, 86],
    ("West Mercia", "92A"): [134, 135, 117, 145],
    ("West Mercia", "92C"): [2, 0, 2, 3],
    ("West Mercia", "92D"): [122, 142, 111, 101],
    ("West Mercia", "92E"): [388, 302, 235, 237],
}


def test_the_alliance_drug_offences_are_exactly_the_published_table(shared_data, analyst):
    batch = import_path(shared_data / PRC, "home-office-recorded-crime", user=analyst)

    assert (batch.rows, batch.created, batch.invalid) == (23_068, 32, 0)
    assert batch.skipped == 23_068 - 32
    assert set(batch.skip_reasons) == {
        "not a drug offence (Home Office codes other than 92A, 92C, 92D, 92E)",
        "drug offences of forces not configured here",
    }
    found = {}
    for figure in RecordedCrime.objects.select_related("force").order_by("quarter"):
        assert figure.financial_year == "2017/18"
        found.setdefault((figure.force.name, figure.offence_code), []).append(figure.offences)
    assert found == EXPECTED
    assert sum(EXPECTED[("Warwickshire", "92A")]) == 223
    assert sum(EXPECTED[("West Mercia", "92E")]) == 1_162


def test_quarters_start_in_april(shared_data, analyst):
    import_path(shared_data / PRC, "home-office-recorded-crime", user=analyst)

    starts = sorted({str(d) for d in RecordedCrime.objects.values_list("quarter_start", flat=True)})
    assert starts == ["2017-04-01", "2017-07-01", "2017-10-01", "2018-01-01"]


def test_importing_the_table_again_changes_nothing(shared_data, analyst):
    import_path(shared_data / PRC, "home-office-recorded-crime", user=analyst)
    before = list(RecordedCrime.objects.order_by("pk").values())

    again = import_path(shared_data / PRC, "home-office-recorded-crime", user=analyst)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 32)
    assert list(RecordedCrime.objects.order_by("pk").values()) == before
