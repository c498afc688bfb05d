"""Recording, changing and reading an offence through the pages."""

import datetime

from django.urls import reverse

from offences.models import Offence
from tests.factories.offences import OffenceFactory, offence_form_data, site, warrant


def test_the_form_reveals_cultivation_details_under_yes(analyst_client):
    response = analyst_client.get(reverse("offences:offence_create"))

    assert response.status_code == 200
    html = response.text
    assert 'data-module="govuk-radios"' in html
    assert "govuk-radios__conditional" in html
    assert html.index('name="cultivation"') < html.index('name="plants"')
    assert "92A Trafficking in controlled drugs" in html  # offences grouped by Home Office code


def test_an_analyst_records_an_offence_at_a_cannabis_factory_under_a_warrant(analyst_client, analyst):
    linked = warrant("WK-W-0007")
    farm = site("WK-F-9", force=linked.force, area=linked.area, day=linked.executed_on, warrant=linked)

    response = analyst_client.post(
        reverse("offences:offence_create"),
        offence_form_data(
            crime_reference="23/77777/25",
            offence_type="production_cannabis",
            cultivation="yes",
            plants="640",
            site_type="commercial",
            site="wk-f-9",
            outcome="charged",
            outcome_date=datetime.date(2025, 6, 12),
            warrant="wk-w-0007",
        ),
    )

    offence = Offence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == offence.get_absolute_url()
    assert (offence.offence_group, offence.cultivation, offence.plants, offence.site) == (
        "92A",
        True,
        640,
        farm,
    )
    assert offence.warrant == linked
    assert offence.history.get().history_user == analyst


def test_the_detail_page_shows_the_offence_and_its_changes(analyst_client, analyst):
    linked = warrant("WK-W-0007")
    offence = OffenceFactory(crime_reference="23/1/25", factory_site=True, warrant=linked)
    data = offence_form_data(
        crime_reference="23/1/25",
        offence_type="production_cannabis",
        cultivation="yes",
        plants="520",
        site_type="commercial",
        site=offence.site.reference,
        warrant="WK-W-0007",
    )
    edited = analyst_client.post(reverse("offences:offence_edit", args=[offence.pk]), data)
    assert edited.status_code == 302

    response = analyst_client.get(reverse("offences:offence_detail", args=[offence.pk]))

    html = response.text
    assert "Production or cultivation of cannabis" in html
    assert "92A Trafficking in controlled drugs" in html
    assert "Commercial or industrial unit" in html
    assert f'href="{linked.get_absolute_url()}"' in html
    assert "Number of plants: 450 → 520" in html
    assert "Change history" in html


def test_the_edit_form_shows_the_warrant_by_its_reference(analyst_client):
    offence = OffenceFactory(warrant=warrant("WK-W-0007"))

    response = analyst_client.get(reverse("offences:offence_edit", args=[offence.pk]))

    assert 'value="WK-W-0007"' in response.text


def test_answering_no_to_cultivation_after_typing_details_explains(analyst_client):
    response = analyst_client.post(
        reverse("offences:offence_create"),
        offence_form_data(
            offence_type="supply", cultivation="no", plants="12", site_type="residential", site="NO-SUCH"
        ),
    )

    errors = response.context["form"].errors
    assert set(errors) == {"plants", "site_type", "site"}
    assert errors["site"] == ["Warwickshire has no cannabis factory with the reference NO-SUCH"]
    assert 'href="#id_site"' in response.text


def test_the_list_links_each_offence(analyst_client):
    offence = OffenceFactory(crime_reference="23/9/25")

    response = analyst_client.get(reverse("offences:offence_list"))

    assert f'href="{offence.get_absolute_url()}"' in response.text
    assert "Download CSV" in response.text
    assert 'class="moj-filter"' in response.text
