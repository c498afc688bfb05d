"""A workbook of a long list is built in the background from the same list, filters, sort and
permissions, collected by its requester alone, and removed after a day."""

import csv
import datetime
import io
import os

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from core import downloads
from core.models import Download
from tests.factories import UserFactory
from tests.factories.seizures import SeizureFactory, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_seizures(analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOWNLOAD_INLINE_ROWS = 2
    for number, code in enumerate(["cocaine", "heroin", "cocaine", "=cmd"]):
        drug = "cocaine" if code.startswith("=") else code
        SeizureFactory(reference=f"{code}-{number}", items=[item(drug, number + 1, "g")], user=analyst)


def cells(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [
        ["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)
    ]


def csv_rows(client, query):
    return list(csv.reader(io.StringIO(client.get(f"/seizures/?{query}&_export=csv").getvalue().decode())))


def ask(client, query, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/seizures/?{query}&_export=xlsx")
    assert response.status_code == 302
    return Download.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def test_a_list_within_the_limit_is_written_while_the_page_waits(analyst_client, settings, analyst):
    settings.DOWNLOAD_INLINE_ROWS = 5000
    SeizureFactory(reference="S-1", items=[item("cocaine", 1, "g")], user=analyst)
    response = analyst_client.get("/seizures/?_export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="seizures.xlsx"'
    assert cells(response.content) == csv_rows(analyst_client, "")
    assert not Download.objects.exists()


def test_a_longer_list_is_built_in_the_background_with_the_same_rows(
    analyst_client, four_seizures, django_capture_on_commit_callbacks
):
    query = "drug=cocaine&sort=reference"
    download = ask(analyst_client, query, django_capture_on_commit_callbacks)
    assert download.status == Download.Status.READY and download.rows == 3
    page = analyst_client.get(download.get_absolute_url())
    assert "Your download is ready" in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()
    file = analyst_client.get(f"/downloads/{download.pk}/file/")
    assert file.status_code == 200
    assert file["Content-Disposition"] == 'attachment; filename="seizures.xlsx"'
    rows = cells(file.getvalue())
    assert rows == csv_rows(analyst_client, query)
    assert [row[0] for row in rows[1:]] == ["'=cmd-3", "cocaine-0", "cocaine-2"]


def test_while_it_is_being_prepared_the_page_says_so_and_looks_again(analyst_client, analyst):
    download = Download.objects.create(requested_by=analyst, list_path="/seizures/", title="seizures")
    page = analyst_client.get(download.get_absolute_url()).content.decode()
    assert "Preparing your download" in page and 'http-equiv="refresh" content="3"' in page
    assert analyst_client.get(f"/downloads/{download.pk}/file/").status_code == 404


def test_nobody_else_may_see_or_collect_it(
    client, analyst_client, four_seizures, django_capture_on_commit_callbacks, manager
):
    download = ask(analyst_client, "", django_capture_on_commit_callbacks)
    other_analyst = UserFactory(username="other_analyst", role="Analyst")
    for user in (other_analyst, manager):
        client.force_login(user)
        assert client.get(download.get_absolute_url()).status_code == 404
        assert client.get(f"/downloads/{download.pk}/file/").status_code == 404
    client.logout()
    assert client.get(f"/downloads/{download.pk}/file/").status_code == 302


def test_a_requester_who_lost_the_permission_gets_no_file(analyst, four_seizures):
    download = Download.objects.create(requested_by=analyst, list_path="/seizures/", title="seizures")
    analyst.groups.set([Group.objects.get(name="Partner")])
    built = downloads.download_build(download.pk)
    assert built.status == Download.Status.FAILED and not built.file
    assert "PermissionDenied" in built.error


def test_building_twice_builds_once(analyst, four_seizures):
    download = Download.objects.create(requested_by=analyst, list_path="/seizures/", title="seizures")
    first = downloads.download_build(download.pk)
    name = first.file.name
    second = downloads.download_build(download.pk)
    assert second.status == Download.Status.READY and second.file.name == name


def test_old_downloads_are_removed_and_say_so(
    analyst_client, four_seizures, django_capture_on_commit_callbacks, settings
):
    download = ask(analyst_client, "", django_capture_on_commit_callbacks)
    path = download.file.path
    later = timezone.now() + datetime.timedelta(hours=settings.DOWNLOAD_KEEP_HOURS, minutes=1)
    assert downloads.downloads_tidy(now=later) == (1, 0)
    download.refresh_from_db()
    assert download.status == Download.Status.EXPIRED and not download.file
    assert not os.path.exists(path)
    assert (
        "This download has been removed" in analyst_client.get(download.get_absolute_url()).content.decode()
    )
    assert analyst_client.get(f"/downloads/{download.pk}/file/").status_code == 404


def test_one_left_waiting_is_queued_again_by_the_sweep(analyst, four_seizures):
    download = Download.objects.create(requested_by=analyst, list_path="/seizures/", title="seizures")
    Download.objects.filter(pk=download.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert downloads.downloads_tidy() == (0, 1)
    download.refresh_from_db()
    assert download.status == Download.Status.READY  # tasks run in-process here


def test_a_long_export_in_the_import_format_is_built_in_the_background_too(
    analyst_client, four_seizures, django_capture_on_commit_callbacks
):
    csv_response = analyst_client.get("/imports/new/seizures/export.csv?drug=cocaine")
    assert csv_response.streaming
    expected = list(csv.reader(io.StringIO(csv_response.getvalue().decode())))
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.get("/imports/new/seizures/export.xlsx?drug=cocaine")
    assert response.status_code == 302
    download = Download.objects.get()
    assert download.status == Download.Status.READY, download.error
    assert download.filename == "seizures-for-import.xlsx"
    assert cells(analyst_client.get(f"/downloads/{download.pk}/file/").getvalue()) == expected
    assert len(expected) == 1 + 3


def test_a_short_export_in_the_import_format_is_written_while_the_page_waits(
    analyst_client, analyst, settings
):
    settings.DOWNLOAD_INLINE_ROWS = 5000
    SeizureFactory(reference="S-1", items=[item("cocaine", 1, "g"), item("heroin", 2, "g")], user=analyst)
    response = analyst_client.get("/imports/new/seizures/export.xlsx")
    assert response.status_code == 200
    rows = cells(response.content)
    assert rows[0][:2] == ["Reference", "Date seized"] and len(rows) == 3
    assert not Download.objects.exists()
