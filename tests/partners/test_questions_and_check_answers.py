"""The referral's questions: the test-on-arrest result is asked only under that pathway, and
each "Change" on the check-answers page opens the question page at its own question, with the
answers kept; sending the page again returns to check answers."""

import re

import pytest
from django.urls import reverse

from partners.choices import Pathway
from partners.models import Referral
from tests.partners.test_submission import answer, form_data, start

pytestmark = pytest.mark.django_db


def ids_in(page):
    return set(re.findall(r'\bid="([^"]+)"', page))


def test_the_test_result_question_is_revealed_only_under_the_test_on_arrest(partner_a_client):
    page = partner_a_client.get(reverse("partners:referral_new")).content.decode()
    # Only the test-on-arrest pathway reveals something, and what it reveals is the result.
    revealing = re.findall(r'value="(\w+)"\s+data-aria-controls="(conditional_pathway_\d+)"', page)
    assert [value for value, _ in revealing] == [Pathway.DIP_TEST_ON_ARREST]
    hidden = re.search(rf'<div [^>]*id="{revealing[0][1]}">(.*?)</fieldset>', page, re.S).group(1)
    assert 'name="dip_test_result"' in hidden
    assert page.count('name="dip_test_result"') == hidden.count('name="dip_test_result"')
    # No choice points at an element that does not exist (the ARIA error axe reported).
    assert set(re.findall(r'aria-controls="([^"]+)"', page)) <= ids_in(page)


def test_a_result_left_under_another_pathway_is_dropped_not_refused(partner_a_client, treatment_service):
    draft, response = answer(partner_a_client, treatment_service, pathway="treatment", dip_test_result="both")
    assert response.status_code == 302
    check = partner_a_client.get(reverse("partners:referral_check", args=[draft])).content.decode()
    assert "Result of the test on arrest" not in check
    partner_a_client.post(reverse("partners:referral_check", args=[draft]))
    assert Referral.objects.get().dip_test_result == ""


def test_a_test_on_arrest_keeps_its_result(partner_a_client, treatment_service):
    draft, response = answer(
        partner_a_client,
        treatment_service,
        pathway=Pathway.DIP_TEST_ON_ARREST,
        dip_test_result="both",
        trigger_offence="theft",
    )
    assert response.status_code == 302
    partner_a_client.post(reverse("partners:referral_check", args=[draft]))
    assert Referral.objects.get().dip_test_result == "both"


def test_a_test_on_arrest_without_its_result_is_asked_for_it_at_the_question(
    partner_a_client, treatment_service
):
    draft, response = answer(partner_a_client, treatment_service, pathway=Pathway.DIP_TEST_ON_ARREST)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_dip_test_result_1">Select the result of the test on arrest</a>' in page
    assert "id_dip_test_result_1" in ids_in(page)


def test_each_change_link_opens_its_own_question_with_the_answers_kept(partner_a_client, treatment_service):
    draft, _ = answer(
        partner_a_client,
        treatment_service,
        pathway=Pathway.DIP_TEST_ON_ARREST,
        dip_test_result="opiates",
        trigger_offence="theft",
    )
    check = partner_a_client.get(reverse("partners:referral_check", args=[draft])).content.decode()
    links = re.findall(
        r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)</span>',
        check,
    )
    assert [question for _, question in links] == [
        "pathway",
        "result of the test on arrest",
        "trigger offence",
        "date of referral",
        "referred to",
        "district",
        "initials",
        "date of birth",
        "sex",
        "substances",
        "reason for referral",
        "consent recorded",
    ]
    anchors = {question: href.split("#")[1] for href, question in links}
    assert anchors == {
        "pathway": "id_pathway_1",
        "result of the test on arrest": "id_dip_test_result_1",
        "trigger offence": "id_trigger_offence",
        "date of referral": "id_referral_date_0",
        "referred to": "id_receiving_agency",
        "district": "id_area",
        "initials": "id_subject_first_initial",
        "date of birth": "id_subject_date_of_birth_0",
        "sex": "id_subject_sex_1",
        "substances": "id_substances_1",
        "reason for referral": "id_notes",
        "consent recorded": "id_consent_recorded",
    }
    question_page = reverse("partners:referral_new") + f"?draft={draft}"
    assert {href.split("#")[0] for href, _ in links} == {question_page.replace("&", "&amp;")}

    # The question page, opened by any of them: every anchor is an input there, answers filled in.
    page = partner_a_client.get(question_page).content.decode()
    assert set(anchors.values()) <= ids_in(page)
    assert re.search(r'value="opiates"\s+checked="checked"', page)
    assert 'name="subject_first_initial" value="j"' in page
    assert f'name="draft" value="{draft}"' in page

    # Continue returns to check answers, with the change made.
    response = partner_a_client.post(
        reverse("partners:referral_new"),
        {
            **form_data(treatment_service, pathway="treatment", notes="Asked again at the hub."),
            "draft": draft,
        },
    )
    assert response.status_code == 302 and response.url == reverse("partners:referral_check", args=[draft])
    check = partner_a_client.get(response.url).content.decode()
    assert "Asked again at the hub." in check and "Result of the test on arrest" not in check


def test_every_error_summary_link_leads_to_an_input_on_the_page(partner_a_client):
    draft = start(partner_a_client)
    response = partner_a_client.post(reverse("partners:referral_new"), {"draft": draft})  # nothing answered
    page = response.content.decode()
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert len(targets) >= 8
    assert set(targets) <= ids_in(page)
