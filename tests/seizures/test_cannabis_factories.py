"""Cannabis factories as sites: "factories closed" counts sites, not offenders; the size band is
the Sentencing Council's, kept as data; every writer (form, API, admin) goes through the
services and refuses what the rules refuse."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import metrics
from offences.models import Offence
from seizures import services
from seizures.models import Site, SizeBand
from tests.factories.geography import area
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, band, item

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2025, 6, 1)


def figure(name, **conditions):
    metric = metrics.get(name)
    records = metric.queryset().filter(**conditions)
    return records.aggregate(value=metric.value)["value"] or 0


def form_data(**changes):
    rugby = area("Rugby")
    data = {
        "reference": "wk-f-1",
        "force": str(rugby.force_id),
        "area": str(rugby.pk),
        "postcode_sector": "cv21 2dp",
        "premises": "commercial",
        "discovered_on_0": "1",
        "discovered_on_1": "6",
        "discovered_on_2": "2025",
        "closed_on_0": "2",
        "closed_on_1": "6",
        "closed_on_2": "2025",
        "plants": "450",
        "size_band": str(band(2).pk),
        "warrant_reference": "",
        "notes": "",
    }
    data.update(changes)
    return data


# --- the guideline's bands, as data ---------------------------------------------------------


def test_the_size_bands_are_the_guidelines_with_their_source():
    bands = {b.category: (b.indicative_plants, b.description) for b in SizeBand.objects.all()}
    assert bands[4][0] == 9 and "domestic" in bands[4][1]
    assert bands[3][0] == 28
    assert bands[2] == (None, "Operation capable of producing significant quantities for commercial use")
    assert bands[1] == (None, "Operation capable of producing industrial quantities for commercial use")
    assert {b.source_url for b in SizeBand.objects.all()} == {
        "https://www.sentencingcouncil.org.uk/offences/item/production-of-a-controlled-drug-cultivation-of-cannabis-plant/"
    }


@pytest.mark.parametrize(("plants", "category"), [(0, 4), (9, 4), (10, 3), (28, 3)])
def test_up_to_the_guidelines_plant_numbers_the_band_is_found_from_the_plants(plants, category):
    site = SiteFactory(plants=plants, size_band=None)
    assert site.size_band.category == category


def test_above_them_the_band_must_be_chosen():
    with pytest.raises(ValidationError) as refused:
        SiteFactory(plants=29, size_band=None)
    assert refused.value.message_dict["size_band"] == [
        "Choose the size band: more than 28 plants is category 2 (Operation capable of producing significant "
        "quantities for commercial use) or category 1 (Operation capable of producing industrial quantities "
        "for commercial use)"
    ]
    assert SiteFactory(plants=29, size_band=band(2)).size_band.category == 2


def test_a_band_below_the_plants_found_is_refused():
    with pytest.raises(ValidationError) as refused:
        SiteFactory(plants=10, size_band=band(4))
    assert refused.value.message_dict["size_band"] == [
        "Category 4 is based on 9 plants; 10 plants is a higher category"
    ]


# --- factories closed counts sites ----------------------------------------------------------


def test_two_offenders_at_one_farm_are_one_factory_closed(analyst):
    farm = SiteFactory(reference="WK-F-1", closed_on=JUNE, user=analyst)
    for reference in ("23/1/25", "23/2/25"):
        OffenceFactory(crime_reference=reference, recorded_date=JUNE, grown=True, site=farm, force=farm.force)

    assert figure("sites.closed") == 1
    assert figure("offences.cultivation") == 2
    listed = metrics.get("sites.closed").records_url(date_from=JUNE, date_to=datetime.date(2025, 6, 30))
    assert listed.startswith("/cannabis-factories/?closed=true")


def test_a_site_counts_when_closed_not_when_discovered_nor_while_open(analyst):
    open_site = SiteFactory(discovered_on=JUNE, closed_on=None)
    assert figure("sites.closed") == 0

    services.site_update(site=open_site, user=analyst, closed_on=datetime.date(2025, 7, 3))

    assert figure("sites.closed", closed_on__month=7) == 1
    assert figure("sites.closed", closed_on__month=6) == 0


def test_a_withdrawn_site_leaves_the_figure(analyst):
    site = SiteFactory()
    services.site_withdraw(site=site, user=analyst, reason="Recorded twice")
    assert figure("sites.closed") == 0


# --- pages ----------------------------------------------------------------------------------


def test_an_analyst_records_a_factory_through_the_form(analyst_client, analyst):
    warrant = WarrantFactory(reference="WK-W-5")

    response = analyst_client.post(reverse("seizures:site_create"), form_data(warrant_reference="wk-w-5"))

    site = Site.objects.get()
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    assert (site.reference, site.postcode_sector, site.size_band.category) == ("WK-F-1", "CV21 2", 2)
    assert site.warrant == warrant
    assert site.history.get().history_user == analyst


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"plants": "60", "size_band": ""}, "size_band", "Choose the size band: more than 28 plants"),
        ({"plants": "12", "size_band": "category 4"}, "size_band", "Category 4 is based on 9 plants"),
        ({"closed_on_2": "2024"}, "closed_on", "The date closed must be on or after the date discovered"),
        ({"postcode_sector": "nowhere"}, "postcode_sector", "Enter a postcode sector, like CV21 2"),
        ({"plants": "-3"}, "plants", "Enter a number of plants of 0 or more"),
        ({"plants": "lots"}, "plants", "Enter the number of plants as a whole number"),
        (
            {"warrant_reference": "NOPE"},
            "warrant_reference",
            "Warwickshire has no warrant with this reference",
        ),
        ({"area": ""}, "area", "Select the district"),
    ],
)
def test_the_form_refuses_bad_input_with_a_message(analyst_client, changes, field, message):
    if changes.get("size_band", "").startswith("category "):
        changes = {**changes, "size_band": str(band(int(changes["size_band"].split()[1])).pk)}
    response = analyst_client.post(reverse("seizures:site_create"), form_data(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert "There is a problem" in response.text
    assert not Site.objects.exists()


def test_the_detail_page_lists_the_sites_offences_and_seizures(analyst_client, analyst):
    farm = SiteFactory(reference="WK-F-9", user=analyst)
    SeizureFactory(reference="S-PLANTS", site=farm, items=[item("cannabis-plants", 450, "plants")])
    OffenceFactory(crime_reference="23/7/25", grown=True, site=farm, recorded_date=JUNE)

    response = analyst_client.get(farm.get_absolute_url())

    html = response.text
    assert "Cannabis factory WK-F-9" in html
    assert "Category 2: Operation capable of producing significant quantities for commercial use" in html
    assert "S-PLANTS" in html and "23/7/25" in html
    assert "Sentencing Council" in html


def test_a_partner_may_not_see_factories(partner_a_client):
    farm = SiteFactory()
    assert partner_a_client.get(reverse("seizures:site_list")).status_code == 403
    assert partner_a_client.get(farm.get_absolute_url()).status_code == 403
    assert partner_a_client.post(reverse("seizures:site_create"), form_data()).status_code == 403
    assert not Site.objects.exclude(pk=farm.pk).exists()


def test_a_manager_reads_but_may_not_record(manager_client):
    SiteFactory()
    assert manager_client.get(reverse("seizures:site_list")).status_code == 200
    assert manager_client.post(reverse("seizures:site_create"), form_data()).status_code == 403


def test_withdrawing_through_the_page_keeps_the_site_and_its_history(analyst_client):
    farm = SiteFactory()

    response = analyst_client.post(
        reverse("seizures:site_withdraw", args=[farm.pk]), {"reason": "Entered twice"}
    )

    assert response.status_code == 302
    farm.refresh_from_db()
    assert farm.is_withdrawn and farm.history.first().history_change_reason == "Withdrawn: Entered twice"


# --- the API --------------------------------------------------------------------------------

API = "/api/v1/cannabis-factories/"


def api_data(**changes):
    rugby = area("Rugby")
    return {
        "reference": "WK-F-2",
        "force": rugby.force_id,
        "area": rugby.pk,
        "premises": "residential",
        "discovered_on": "2025-06-01",
        "closed_on": "2025-06-01",
        "plants": 20,
        **changes,
    }


def test_the_api_records_a_factory_and_finds_its_band(analyst_client):
    response = analyst_client.post(API, api_data(), content_type="application/json")

    assert response.status_code == 201, response.json()
    assert response.json()["size_band"] == 3
    assert Site.objects.get().history.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"plants": 400}, "size_band", "Choose the size band"),
        ({"plants": 400, "size_band": 7}, "size_band", "does not exist"),
        ({"closed_on": "2025-05-01"}, "closed_on", "on or after the date discovered"),
        ({"plants": -1}, "plants", "greater than or equal to 0"),
        ({"area": "x"}, "area", "Incorrect type"),
    ],
)
def test_the_api_answers_400_naming_the_field(analyst_client, changes, field, words):
    response = analyst_client.post(API, api_data(**changes), content_type="application/json")

    assert response.status_code == 400, response.content
    assert words in " ".join(response.json()[field]), response.json()
    assert not Site.objects.exists()


def test_a_partner_is_refused_by_the_api(partner_a_client):
    assert partner_a_client.post(API, api_data(), content_type="application/json").status_code == 403


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_records_through_the_service_and_refuses_what_it_refuses(client, administrator):
    client.force_login(administrator)
    rugby = area("Rugby")
    data = {
        "reference": "WK-F-ADMIN",
        "force": rugby.force_id,
        "area": rugby.pk,
        "postcode_sector": "",
        "premises": "outdoor",
        "discovered_on": "2025-06-01",
        "closed_on": "2025-06-01",
        "plants": "5",
        "size_band": "",
        "warrant": "",
        "notes": "",
    }

    refused = client.post(reverse("admin:seizures_site_add"), {**data, "plants": "50"})
    assert refused.status_code == 200 and "Choose the size band" in refused.text
    saved = client.post(reverse("admin:seizures_site_add"), data)

    assert saved.status_code == 302, saved.text
    site = Site.objects.get()
    assert site.size_band.category == 4
    assert site.history.get().history_user == administrator
    assert client.get(reverse("admin:seizures_site_delete", args=[site.pk])).status_code != 200


def test_an_offence_or_seizure_of_another_force_cannot_point_at_the_site(analyst):
    farm = SiteFactory()  # Warwickshire
    worcester = area("Worcester")
    with pytest.raises(ValidationError) as refused:
        SeizureFactory(force=worcester.force, area=worcester, site=farm)
    assert refused.value.message_dict["site"] == ["The cannabis factory belongs to another force"]
    offence = OffenceFactory.build(force=worcester.force, area=worcester, grown=True, site=farm)
    with pytest.raises(ValidationError) as refused:
        offence.full_clean()
    assert refused.value.message_dict["site"] == ["The cannabis factory belongs to another force"]
    assert not Offence.objects.exists()
