"""`manage.py add_force`: a force for comparison, with its partnerships and districts, from the
real ONS lookup; never in the alliance, and the same however often it is run."""

import io
import re
from unittest import mock

import pytest
from django.core.management import call_command, load_command_class

from geography.management.commands import add_force
from geography.models import Area, CommunitySafetyPartnership, Force, Lsoa

WEST_YORKSHIRE = "E23000010"
WEST_YORKSHIRE_DISTRICTS = {
    ("E08000032", "Bradford", "E22000342"),
    ("E08000033", "Calderdale", "E22000343"),
    ("E08000034", "Kirklees", "E22000344"),
    ("E08000035", "Leeds", "E22000345"),
    ("E08000036", "Wakefield", "E22000346"),
}


@pytest.fixture
def lookup(shared_data):
    return str(shared_data / "ons" / "lad19-csp19-pfa19.csv")


def add(*args):
    out = io.StringIO()
    call_command("add_force", *args, stdout=out)
    return out.getvalue()


def run_as_operator(*args, capsys):
    """The command as `manage.py` runs it: (exit status, what it printed to stderr). Its last act
    is to close the database connections, which would end the test's own transaction on
    PostgreSQL: here they are left open."""
    command = load_command_class("geography", "add_force")
    with mock.patch("django.core.management.base.connections.close_all"), pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["manage.py", "add_force", *args])
    return exit_.value.code, capsys.readouterr().err


def configured():
    """Every force, partnership and district as stored."""
    return (
        list(Force.objects.values_list("ons_code", "name", "in_alliance")),
        list(CommunitySafetyPartnership.objects.values_list("ons_code", "name", "force__ons_code")),
        list(Area.objects.values_list("ons_code", "name", "force__ons_code", "partnership__ons_code")),
    )


def test_west_yorkshire_gets_its_five_districts_and_partnerships_outside_the_alliance(db, lookup):
    output = add(WEST_YORKSHIRE, "--context", "--lookup", lookup)

    force = Force.objects.get(ons_code=WEST_YORKSHIRE)
    assert force.name == "West Yorkshire"
    assert not force.in_alliance
    districts = set(force.areas.values_list("ons_code", "name", "partnership__ons_code"))
    assert districts == WEST_YORKSHIRE_DISTRICTS
    assert force.partnerships.count() == 5
    assert not Area.objects.in_alliance().filter(force=force).exists()
    assert output == (
        "West Yorkshire (E23000010) added as a context force: "
        "5 of 5 partnerships and 5 of 5 districts added\n"
    )


def test_running_it_twice_changes_nothing(db, lookup):
    add(WEST_YORKSHIRE, "--context", "--lookup", lookup)
    before = configured()

    output = add(WEST_YORKSHIRE, "--context", "--lookup", lookup)

    assert configured() == before
    assert output == (
        "West Yorkshire (E23000010) is already a context force: "
        "0 of 5 partnerships and 0 of 5 districts added\n"
    )


def test_the_seeded_alliance_forces_are_what_the_lookup_says(db, lookup):
    """The migration seeded Warwickshire and West Mercia from the same lookup: nothing to add."""
    before = configured()

    assert "0 of 4 partnerships and 0 of 5 districts added" in add("E23000017", "--lookup", lookup)
    assert "0 of 5 partnerships and 0 of 9 districts added" in add("E23000016", "--lookup", lookup)
    assert configured() == before


def test_the_lsoas_of_its_districts_come_from_the_lsoa_lookup(db, lookup, shared_data):
    lsoas = str(shared_data / "ons" / "lsoa11-lad19-england.csv")

    output = add(WEST_YORKSHIRE, "--context", "--lookup", lookup, "--lsoas", lsoas)

    assert Lsoa.objects.filter(area__force__ons_code=WEST_YORKSHIRE).count() == 1388
    # Every configured district's: the alliance's 339 + 781 as well.
    assert "LSOAs of the configured districts: 2508 added, 0 updated" in output
    assert add(WEST_YORKSHIRE, "--context", "--lookup", lookup, "--lsoas", lsoas).endswith(
        "LSOAs of the configured districts: 0 added, 0 updated\n"
    )


def test_an_unknown_code_exits_1_with_a_message(db, lookup, capsys):
    status, message = run_as_operator("E23000099", "--context", "--lookup", lookup, capsys=capsys)

    assert status == 1
    assert message == f"CommandError: There is no police force area E23000099 in {lookup}\n"
    assert not Force.objects.filter(ons_code="E23000099").exists()


def test_a_code_that_is_not_a_force_code_exits_1_with_a_message(db, lookup, capsys):
    status, message = run_as_operator("E07000218", "--lookup", lookup, capsys=capsys)

    assert status == 1
    assert "'E07000218' is not a police force area code (E23…, or W15… in Wales)" in message


def test_a_missing_lookup_file_exits_1_with_a_message(db, tmp_path, capsys):
    missing = tmp_path / "lad19-csp19-pfa19.csv"

    status, message = run_as_operator(WEST_YORKSHIRE, "--context", "--lookup", str(missing), capsys=capsys)

    assert status == 1
    assert message.startswith(f"CommandError: Cannot read {missing}: ")


def test_a_missing_lsoa_file_leaves_no_force_behind(db, lookup, tmp_path, capsys):
    status, message = run_as_operator(
        WEST_YORKSHIRE, "--context", "--lookup", lookup, "--lsoas", str(tmp_path / "no.csv"), capsys=capsys
    )

    assert status == 1 and "Cannot read" in message
    assert not Force.objects.filter(ons_code=WEST_YORKSHIRE).exists()


def test_an_alliance_force_is_not_turned_into_a_context_force(db, lookup, capsys):
    status, message = run_as_operator("E23000017", "--context", "--lookup", lookup, capsys=capsys)

    assert status == 1
    assert "Warwickshire (E23000017) is already configured as an alliance force" in message
    assert Force.objects.get(ons_code="E23000017").in_alliance


def test_a_context_force_is_not_turned_into_an_alliance_force(db, lookup):
    add(WEST_YORKSHIRE, "--context", "--lookup", lookup)

    with pytest.raises(Exception, match="already configured as a context force"):
        add(WEST_YORKSHIRE, "--lookup", lookup)
    assert not Force.objects.get(ons_code=WEST_YORKSHIRE).in_alliance


def test_a_district_configured_under_another_force_is_refused_not_moved(db, lookup):
    force = Force.objects.create(name="Somewhere", ons_code="E23000099")
    partnership = CommunitySafetyPartnership.objects.create(name="Leeds", ons_code="E22000345", force=force)
    Area.objects.create(name="Leeds", ons_code="E08000035", force=force, partnership=partnership)

    with pytest.raises(
        Exception, match=r"Community safety partnership Leeds \(E22000345\) is configured under Somewhere"
    ):
        add(WEST_YORKSHIRE, "--context", "--lookup", lookup)
    assert not Force.objects.filter(ons_code=WEST_YORKSHIRE).exists()


def test_the_lookup_defaults_to_the_shared_data_folder_beside_the_project(settings, tmp_path):
    settings.BASE_DIR = tmp_path / "project"
    assert add_force.default_lookup() is None

    beside = tmp_path / "shared" / "data" / "ons" / "lad19-csp19-pfa19.csv"
    beside.parent.mkdir(parents=True)
    beside.write_text("FID,LAD19CD,LAD19NM,CSP19CD,CSP19NM,PFA19CD,PFA19NM\n")
    assert add_force.default_lookup() == beside


def test_without_a_lookup_the_command_asks_for_one(db, monkeypatch, capsys):
    monkeypatch.setattr(add_force, "default_lookup", lambda: None)

    status, message = run_as_operator(WEST_YORKSHIRE, "--context", capsys=capsys)

    assert status == 1
    assert "Give the ONS lookup with --lookup FILE" in message


def test_the_admin_adds_a_force_outside_the_alliance_unless_told(administrator_client):
    page = administrator_client.get("/admin/geography/force/add/").content.decode()

    (checkbox,) = re.findall(r'<input type="checkbox" name="in_alliance"[^>]*>', page)
    assert "checked" not in checkbox
    assert Force._meta.get_field("in_alliance").default is False
