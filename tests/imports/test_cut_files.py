"""A file cut short, or with rows that do not match its header, is refused whole, naming the
line: nothing is stored or changed. Tested on the real police.uk files, cut in memory."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from imports import reading, registry
from imports.models import ImportBatch
from opendata.models import StreetCrime
from tests.factories.imports import import_bytes, xlsx_bytes

STREET = "police-uk/2019-01-warwickshire-street.csv"
STREET_TYPE = "police-uk-street-crime"
ONE_ROW = "One"  # stands in for whatever the cut leaves


@pytest.fixture
def street_file(shared_data):
    return (shared_data / STREET).read_bytes()


def read(content, kind="csv", record_type=STREET_TYPE):
    return reading.read_table(io.BytesIO(content), kind, registry.get(record_type).columns)


def lines_in(content):
    return content.count(b"\n") + (0 if content.endswith(b"\n") else 1)


def test_the_whole_file_reads(street_file):
    assert len(read(street_file).rows) == 4_486


def test_a_file_cut_at_60_per_cent_is_refused_naming_its_last_line(street_file, analyst):
    cut = street_file[: len(street_file) * 60 // 100]
    assert not cut.endswith(b"\n")  # the cut falls inside a row, as a cut copy or upload does
    last_line = lines_in(cut)

    batch = import_bytes("street.csv", cut, STREET_TYPE, user=analyst)

    assert batch.status == ImportBatch.Status.REFUSED
    assert f"The file ends part-way through line {last_line:,}" in batch.error
    assert "looks cut short" in batch.error
    assert (batch.created, batch.rows) == (0, 0)
    assert StreetCrime.objects.count() == 0


def test_a_cut_inside_the_last_row_is_refused_not_stored_with_a_cut_value(street_file, analyst, shared_data):
    # The last drug crime of the month, cut inside its outcome: "Local resolution" -> "Local".
    last_drugs = street_file.rindex(b",Drugs,")
    end_of_row = street_file.index(b"\n", last_drugs)
    row = street_file[street_file.rindex(b"\n", 0, last_drugs) + 1 : end_of_row]
    outcome = row.split(b",")[10]
    assert len(outcome) > 3
    cut = street_file[: street_file.rindex(b"\n", 0, last_drugs) + 1] + row[: row.index(outcome) + 3]

    batch = import_bytes("street.csv", cut, STREET_TYPE, user=analyst)

    assert batch.status == ImportBatch.Status.REFUSED
    assert f"ends part-way through line {lines_in(cut):,}: that line has 11 of the header’s 12 cells" in (
        batch.error
    )
    assert StreetCrime.objects.count() == 0


def test_a_refused_file_changes_nothing_already_stored(street_file, analyst):
    import_bytes("street.csv", street_file, STREET_TYPE, user=analyst)
    before = list(StreetCrime.objects.order_by("crime_id").values())
    cut = street_file[: len(street_file) * 60 // 100]
    changed = cut.replace(b"Local resolution", b"Under investigation")

    batch = import_bytes("street.csv", changed, STREET_TYPE, user=analyst)

    assert batch.status == ImportBatch.Status.REFUSED
    assert list(StreetCrime.objects.order_by("crime_id").values()) == before


def test_the_page_says_why_and_the_command_exits_1(street_file, analyst_client, pages, tmp_path):
    cut = street_file[: len(street_file) * 60 // 100]

    response = pages.upload(STREET_TYPE, "street.csv", cut)
    page = analyst_client.get(response.url).content.decode()
    assert "This file cannot be imported" in page and "looks cut short" in page

    path = tmp_path / "street.csv"
    path.write_bytes(cut)
    with pytest.raises(CommandError, match="looks cut short") as refusal:
        call_command("import_records", STREET_TYPE, str(path), "--user", "analyst")
    assert refusal.value.returncode == 1
    assert ImportBatch.objects.order_by("-pk").first().status == ImportBatch.Status.REFUSED
    with pytest.raises(CommandError, match="looks cut short"):
        call_command("import_records", STREET_TYPE, str(path), "--dry-run")
    assert StreetCrime.objects.count() == 0


def test_a_quote_left_open_is_refused_naming_where_it_starts(street_file):
    lines = street_file.split(b"\n")
    lines[5] = lines[5].replace(b",On or near", b',"On or near', 1)
    with pytest.raises(reading.FileRefused) as refusal:
        read(b"\n".join(lines))
    assert "quoted value that starts on line 6 is never closed" in refusal.value.message


def test_a_cut_inside_a_quoted_last_value_is_refused(shared_data):
    content = b'Type,Date\nA,"2019-01-01T14:26:43+00:00"\nB,"2019-01-02T'
    with pytest.raises(reading.FileRefused, match="starts on line 3 is never closed"):
        reading.read_table(io.BytesIO(content), "csv", [registry.Column("Type"), registry.Column("Date")])


def test_a_character_cut_in_two_at_the_end_is_called_a_cut(street_file):
    content = street_file + "Caf\u00e9".encode()[:-1]
    with pytest.raises(reading.FileRefused, match="ends part-way through a character on line 4,488"):
        read(content)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda line: line + b",extra", "line 4 has 13"),
        (lambda line: line.rsplit(b",", 2)[0], "line 4 has 10"),
    ],
)
def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused(street_file, change, message):
    lines = street_file.split(b"\n")
    lines[3] = change(lines[3])
    with pytest.raises(reading.FileRefused) as refusal:
        read(b"\n".join(lines))
    assert "Every line must have the header’s 12 cells, but " + message in refusal.value.message


def test_ragged_lines_are_all_named_up_to_five(street_file):
    lines = street_file.split(b"\n")
    for index in (3, 4, 7, 9, 11, 13, 15):
        lines[index] += b",x"
    with pytest.raises(reading.FileRefused) as refusal:
        read(b"\n".join(lines))
    assert "line 4 has 13; line 5 has 13; line 8 has 13; line 10 has 13; line 12 has 13 (and more)" in (
        refusal.value.message
    )


def test_a_last_row_without_a_line_ending_but_whole_is_read(street_file):
    """Some programs write no line ending after the last row: a whole row is not a cut."""
    assert len(read(street_file.rstrip(b"\n")).rows) == 4_486


def test_a_value_after_a_closing_quote_is_refused():
    content = b'Type,Date\nA,"2019"x\n'
    with pytest.raises(reading.FileRefused, match="Line 2 of the file cannot be read as CSV"):
        reading.read_table(io.BytesIO(content), "csv", [registry.Column("Type"), registry.Column("Date")])


workbook = xlsx_bytes


SEIZURE_HEADER = ["Reference", "Date seized", "Force", "District", "Place", "Drug", "Quantity", "Unit"]
SEIZURE = ["WK-1", "2025-06-01", "Warwickshire", "Rugby", "House", "cocaine", "3", "g"]


def test_a_workbook_cut_short_is_refused_on_the_form(analyst_client, pages):
    content = workbook([SEIZURE_HEADER, SEIZURE])

    response = pages.upload("seizures", "s.xlsx", content[: len(content) * 60 // 100])

    assert response.status_code == 400
    assert "its end is missing, as when a file is cut short" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_value_beyond_the_headers_columns_in_a_workbook_is_refused():
    content = workbook([SEIZURE_HEADER, SEIZURE, [*SEIZURE, None, "stray"]])
    with pytest.raises(reading.FileRefused, match="Row 3 has a value in column J"):
        read(content, "xlsx", "seizures")


def test_a_workbook_whose_size_note_is_wrong_is_read_whole():
    """Files written by scripts may note a wrong sheet size; every row present is read."""
    content = workbook([SEIZURE_HEADER] + [[f"WK-{n}", *SEIZURE[1:]] for n in range(10)])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:H11" />', b'<dimension ref="A1:H3" />')
                assert b'ref="A1:H3"' in data
            target.writestr(item, data)

    assert len(read(out.getvalue(), "xlsx", "seizures").rows) == 10
