"""manage.py import_records TYPE FILE [--dry-run]."""

import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportBatch
from opendata.models import RecordedCrime, StopSearch


def test_a_dry_run_counts_and_writes_nothing(shared_data, db, capsys):
    call_command(
        "import_records",
        "home-office-recorded-crime",
        str(shared_data / "home-office/prc-pfa-201718_new.csv"),
        "--dry-run",
    )

    out = capsys.readouterr()
    assert "32 quarterly figures would be created" in out.out
    assert "23068/23068" in out.err  # the progress bar
    assert RecordedCrime.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_import_is_recorded_under_the_user(shared_data, analyst, capsys):
    path = shared_data / "police-uk/2018-03-warwickshire-stop-and-search.csv"

    call_command(
        "import_records",
        "police-uk-stop-search",
        str(path),
        "--user",
        "analyst",
        "--option",
        "force=Warwickshire",
    )

    batch = ImportBatch.objects.get()
    assert (batch.created_by, batch.file_name, batch.created, batch.status) == (
        analyst,
        path.name,
        69,
        "done",
    )
    assert batch.checksum.startswith("64177066")
    assert StopSearch.objects.count() == 69
    assert "69 drug searches created" in capsys.readouterr().out


def test_mistakes_are_explained(shared_data, analyst, tmp_path):
    path = shared_data / "police-uk/2018-03-warwickshire-stop-and-search.csv"
    with pytest.raises(CommandError, match="needs --option force"):
        call_command("import_records", "police-uk-stop-search", str(path), "--user", "analyst")
    with pytest.raises(CommandError, match="Unknown TYPE"):
        call_command("import_records", "nonsense", str(path), "--dry-run")
    with pytest.raises(CommandError, match="Give --user"):
        call_command("import_records", "seizures", str(path))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_records", "seizures", str(empty), "--dry-run")
    with pytest.raises(CommandError, match="columns do not match"):
        call_command("import_records", "seizures", str(path), "--user", "analyst")
