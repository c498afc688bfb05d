"""A page of the seizure list is rendered once and then kept (SeizureListView, seizure_list.html):
asked for again it reads none of its rows, and shows exactly what it would have computed. Every
write that changes what the page shows — through the services, an import, a re-pricing, a
renamed drug or district, a build of the figures — moves its key, so it shows at once; users
who may do different things, and different filters, sorts and pages, are kept apart."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import mark_changed
from core.templatetags import rendering
from geography.models import Area
from seizures import repricing, services
from seizures.models import Drug, SeizureItem
from strategy.rollups import rollup_run
from tests.factories.accounts import UserFactory
from tests.factories.imports import csv_bytes, import_bytes
from tests.factories.seizures import SeizureFactory, item

# Committed, as in use: what a transaction has written and not yet committed is never kept.
pytestmark = pytest.mark.django_db(transaction=True)

MAY = datetime.date(2025, 5, 3)
JUNE = datetime.date(2025, 6, 3)
LATER = datetime.date(2025, 6, 20)
ROWS_READ = ("seizures_seizure", "seizures_seizureitem")


def page(client, url="/seizures/"):
    """The page as the user reads it: what differs on every request (the CSRF token) left out."""
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def rows(html):
    """The table's rows, each as the text of its cells."""
    body = re.search(r'<tbody class="govuk-table__body">(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def rows_read(queries):
    return [
        query["sql"]
        for query in queries.captured_queries
        if any(table in query["sql"] for table in ROWS_READ)
    ]


@pytest.fixture
def listed(analyst):
    return [
        SeizureFactory(reference="S-MAY", seized_on=MAY, items=[item("cocaine", 5, "g")]),
        SeizureFactory(
            reference="S-JUNE",
            seized_on=JUNE,
            items=[item("heroin", 2, "g"), item("herbal-cannabis", 30, "g")],
            user=analyst,
        ),
    ]


def test_a_page_asked_for_again_reads_none_of_its_rows_and_shows_the_same(analyst_client, listed):
    first = page(analyst_client)

    with CaptureQueriesContext(connection) as queries:
        again = page(analyst_client)

    assert again == first
    assert rows_read(queries) == []  # no rows, no items, no count, no totals
    assert [row[0] for row in rows(again)] == ["S-JUNE", "S-MAY"]


def test_a_page_whose_kept_content_was_evicted_is_computed_again_and_kept(
    analyst_client, listed, monkeypatch
):
    first = page(analyst_client)
    kept_content = rendering.cache

    class Evicted:
        """The cache as the template sees it once the page's content has been evicted."""

        def get(self, key):
            return None

        def set(self, *args, **kwargs):
            kept_content.set(*args, **kwargs)

    monkeypatch.setattr(rendering, "cache", Evicted())
    with CaptureQueriesContext(connection) as queries:
        assert page(analyst_client) == first
    assert rows_read(queries)
    monkeypatch.undo()

    with CaptureQueriesContext(connection) as queries:
        assert page(analyst_client) == first
    assert rows_read(queries) == []


def test_a_seizure_recorded_changed_or_withdrawn_through_the_services_shows_at_once(
    analyst, analyst_client, listed
):
    may, june = listed
    page(analyst_client)

    SeizureFactory(reference="S-NEW", seized_on=LATER, items=[item("cocaine", 1, "g")], user=analyst)
    shown = page(analyst_client)
    assert [row[0] for row in rows(shown)] == ["S-NEW", "S-JUNE", "S-MAY"]
    assert "3 seizures" in shown

    heroin = june.items.get(drug__code="heroin")
    services.seizure_update(
        seizure=june,
        user=analyst,
        place="Garden shed",
        items=[{"id": heroin.pk, "drug": heroin.drug, "quantity": 7, "unit": "g"}],
    )
    changed = {row[0]: row for row in rows(page(analyst_client))}["S-JUNE"]
    assert changed[4] == "Garden shed" and changed[5] == "Heroin 7 g"

    services.seizure_withdraw(seizure=may, user=analyst, reason="Recorded twice")
    shown = page(analyst_client)
    assert [row[0] for row in rows(shown)] == ["S-NEW", "S-JUNE"]
    assert "2 seizures" in shown


def test_a_seizure_re_priced_in_bulk_shows_its_new_value_at_once(manager, analyst_client, listed):
    may, _ = listed
    before = {row[0]: row[6] for row in rows(page(analyst_client))}

    price = may.items.get().price
    services.street_price_update(
        price=price, user=manager, price_per_unit_pence=price.price_per_unit_pence * 2
    )
    repricing.reprice_job_start(price=price, user=manager)  # the job runs once this commits

    after = {row[0]: row[6] for row in rows(page(analyst_client))}
    assert after["S-MAY"] != before["S-MAY"]
    assert after["S-JUNE"] == before["S-JUNE"]


def test_an_import_shows_at_once(analyst, analyst_client, listed):
    page(analyst_client)
    header = [
        "Reference",
        "Date seized",
        "Force",
        "District",
        "Place",
        "Postcode",
        "Drug",
        "Quantity",
        "Unit",
    ]
    rows_imported = [["WK-IMPORTED", "2025-06-04", "Warwickshire", "Rugby", "House", "", "cocaine", "3", "g"]]

    import_bytes("seizures.csv", csv_bytes(header, rows_imported), "seizures", user=analyst)

    assert rows(page(analyst_client))[0][:5] == [
        "WK-IMPORTED",
        "4 Jun 2025",
        "Warwickshire",
        "Rugby",
        "House",
    ]


def test_a_renamed_drug_or_district_shows_at_once(analyst_client, listed):
    _, june = listed
    page(analyst_client)

    heroin = Drug.objects.get(code="heroin")
    heroin.name = "Diamorphine"
    heroin.save()
    district = june.area
    district.name = "Rugby Borough"
    district.save()

    shown = {row[0]: row for row in rows(page(analyst_client))}["S-JUNE"]
    assert shown[3] == "Rugby Borough"
    assert shown[5].startswith("Diamorphine 2 g")


def test_what_a_transaction_shows_of_its_own_uncommitted_writes_is_never_kept(analyst_client, listed):
    page(analyst_client)

    with transaction.atomic():
        heroin = Drug.objects.get(code="heroin")
        heroin.name = "Diamorphine"
        heroin.save()
        assert "Diamorphine 2 g" in page(analyst_client)  # its own rows, not the kept page
        transaction.set_rollback(True)

    assert {row[0]: row[5] for row in rows(page(analyst_client))}["S-JUNE"].startswith("Heroin 2 g")


def test_users_who_may_do_different_things_never_get_each_others_page(
    analyst, manager, analyst_client, client, listed
):
    assert analyst.has_perm("seizures.add_seizure") and not manager.has_perm("seizures.add_seizure")
    recording = "Record a seizure"

    assert recording in page(analyst_client)
    client.force_login(manager)
    assert recording not in page(client)
    client.force_login(analyst)
    assert recording in page(client)


def test_a_manager_asking_first_does_not_hide_the_analysts_button(analyst, manager, client, listed):
    client.force_login(manager)
    assert "Record a seizure" not in page(client)
    client.force_login(analyst)
    assert "Record a seizure" in page(client)


def test_the_name_and_the_messages_are_each_users_own(analyst, analyst_client, client, listed):
    colleague = UserFactory(username="colleague", first_name="Pat", last_name="Colleague", role="Analyst")
    page(analyst_client)
    # Once the seizure is withdrawn the analyst is sent to the list with a message; a colleague
    # who may do the same asks for the list first, and it is kept as it now stands.
    may, _ = listed
    withdrawn = analyst_client.post(f"/seizures/{may.pk}/withdraw/", {"reason": "Recorded twice"})
    assert withdrawn.status_code == 302
    other = Client()
    other.force_login(colleague)
    assert str(colleague) in page(other)

    with CaptureQueriesContext(connection) as queries:
        shown = page(analyst_client, withdrawn.url)
    assert rows_read(queries) == []  # the colleague's page, kept
    assert f"Seizure {may.reference} withdrawn" in shown
    assert str(analyst) in shown and str(colleague) not in shown
    assert f"Seizure {may.reference} withdrawn" not in page(other)


@pytest.mark.parametrize(
    "url",
    [
        "/seizures/?page=2&per_page=1",
        "/seizures/?sort=reference",
        "/seizures/?drug=cocaine",
        "/seizures/?date_from=not-a-date",
    ],
)
def test_filtered_sorted_and_paged_lists_are_kept_apart(analyst_client, listed, url):
    unfiltered = page(analyst_client)
    first = page(analyst_client, url)
    assert first != unfiltered

    with CaptureQueriesContext(connection) as queries:
        assert page(analyst_client, url) == first
    assert rows_read(queries) == []
    assert page(analyst_client) == unfiltered


def test_each_list_shows_its_own_rows(analyst_client, listed):
    page(analyst_client)
    assert [row[0] for row in rows(page(analyst_client, "/seizures/?page=2&per_page=1"))] == ["S-MAY"]
    assert [row[0] for row in rows(page(analyst_client, "/seizures/?sort=-reference"))] == ["S-MAY", "S-JUNE"]
    assert [row[0] for row in rows(page(analyst_client, "/seizures/?drug=cocaine"))] == ["S-MAY"]
    assert rows(page(analyst_client, "/seizures/?date_from=not-a-date")) == [
        ["No records match these filters."]
    ]


def test_a_build_of_the_figures_moves_what_the_page_says_of_them(analyst, analyst_client, listed):
    rollup_run(full=True)
    assert "since the dashboard figures were last built" not in page(analyst_client)

    SeizureFactory(seized_on=JUNE, items=[item("cocaine", 1, "g")], user=analyst)
    assert "1 of these seizures was recorded or changed" in page(analyst_client)

    rollup_run()
    assert "since the dashboard figures were last built" not in page(analyst_client)


def test_a_download_is_the_records_not_the_kept_page(analyst_client, listed):
    page(analyst_client)
    page(analyst_client)

    response = analyst_client.get("/seizures/?_export=csv")

    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["S-JUNE", "S-MAY"]


def test_a_bulk_write_that_marks_its_months_shows_at_once(analyst_client, listed):
    _, june = listed
    page(analyst_client)

    # As an import or a re-pricing job writes: no signal, the months marked instead.
    SeizureItem.objects.filter(seizure=june, drug__code="heroin").update(quantity=9)
    mark_changed("seizures", june.seized_on)

    assert {row[0]: row[5] for row in rows(page(analyst_client))}["S-JUNE"].startswith("Heroin 9 g")


def test_a_district_added_shows_in_the_filter_panel_at_once(analyst_client, listed):
    page(analyst_client)
    rugby = Area.objects.get(name="Rugby")
    Area.objects.create(
        name="New District", force=rugby.force, partnership=rugby.partnership, ons_code="E07999999"
    )

    assert "New District" in page(analyst_client)


def test_an_invalid_filter_whose_kept_content_was_evicted_is_shown_again(analyst_client, listed, monkeypatch):
    url = "/seizures/?date_from=not-a-date"
    first = page(analyst_client, url)

    class Evicted:
        def get(self, key):
            return None

        def set(self, *args, **kwargs):
            pass

    monkeypatch.setattr(rendering, "cache", Evicted())
    assert page(analyst_client, url) == first
