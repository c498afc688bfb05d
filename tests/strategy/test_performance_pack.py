"""The quarterly performance pack: every indicator's figure, target, RAG, trend, year on year,
forecast and commentary, with the exceptions; as a page and as a PDF whose text reads back; sent
by the beat to the managers who asked, monthly or once the quarter is signed off."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from core.periods import financial_quarter
from strategy import signoff
from strategy.models import PackDelivery, PackSubscription, Target
from strategy.pack_mail import packs_send_due
from strategy.rollups import rollup_run
from strategy.tasks import send_performance_packs
from tests.factories import UserFactory
from tests.factories.seizures import SeizureFactory

TODAY = datetime.date(2025, 8, 1)
Q1 = financial_quarter(2025, 1)
PACK = "/dashboard/quarters/alliance/2025/q1/pack/"


def pdf_text(content):
    """The PDF's text, its lines run together (a long heading wraps)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def quarter_with_figures(seizure_count, street_value, analyst):
    """2025-26 Q1: three seizures against a target of 40 (off track), one a year earlier; a
    commentary written."""
    for day in (datetime.date(2025, 4, 3), datetime.date(2025, 5, 9), datetime.date(2025, 6, 20)):
        SeizureFactory(seized_on=day, user=analyst)
    SeizureFactory(seized_on=datetime.date(2024, 5, 9), user=analyst)
    Target.objects.create(indicator=seizure_count, start=Q1.start, end=Q1.end, value=Decimal(40))
    rollup_run(full=True, today=TODAY)
    signoff.commentary_write(
        indicator=seizure_count,
        quarter=Q1,
        force=None,
        user=analyst,
        text="Fewer seizures while Operation Venetic moved officers to county lines work.",
    )


def test_the_pack_renders_as_a_pdf_whose_text_has_the_figures_targets_and_commentary(
    quarter_with_figures, manager_client
):
    response = manager_client.get(PACK.replace("pack/", "pack.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="performance-pack-2025-26-q1-alliance.pdf"'
    )
    text = pdf_text(response.content)
    assert "Quarterly performance pack: Alliance, 2025-26 Q1" in text
    assert "Not signed off" in text
    assert "Drug seizures" in text and "3 seizures" in text
    assert "40 seizures" in text  # the target
    assert "Off track" in text and "Exceptions: off track" in text
    assert "up 200% on the same quarter a year earlier" in text
    assert "Forecast to 31 March 2026" in text
    assert "Operation Venetic moved officers" in text
    assert "Street value seized" in text and "No commentary has been written" in text


def test_once_signed_off_the_pack_prints_the_published_figures(
    quarter_with_figures, analyst, manager, manager_client
):
    signoff.quarter_mark_ready(quarter=Q1, force=None, user=analyst, today=TODAY)
    signoff.quarter_sign_off(quarter=Q1, force=None, user=manager, today=TODAY)
    text = pdf_text(manager_client.get(PACK.replace("pack/", "pack.pdf")).content)
    assert "Signed off on" in text and manager.get_full_name() in text
    assert "The figures are those published then" in text


def test_the_pack_page_lists_the_exceptions_and_draws_each_trend(quarter_with_figures, manager_client):
    response = manager_client.get(PACK)
    assert response.status_code == 200
    page = response.content.decode()
    exceptions = page[page.index('id="exceptions"') : page.index('id="pack-seizures"')]
    assert "Drug seizures" in exceptions and "Street value seized" not in exceptions
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="app-pack-chart" role="img"') == 2
    assert "Drug seizures: month by month from July 2024 to June 2025" in page
    assert "Download the pack (PDF)" in page


def test_a_force_s_pack_has_its_own_commentary_and_figures(quarter_with_figures, manager_client):
    from geography.models import Force

    code = Force.objects.get(name="West Mercia").ons_code
    response = manager_client.get(f"/dashboard/quarters/{code}/2025/q1/pack/")
    page = response.content.decode()
    assert "West Mercia, 2025-26 Q1" in page
    assert "Operation Venetic" not in page
    assert ">0 seizures<" in page


# --- by email -------------------------------------------------------------------------------------


@pytest.fixture
def subscriber(manager):
    manager.email = "morgan.lee@example.police.uk"
    manager.save()
    return manager


def test_a_monthly_pack_is_emailed_once_with_the_pdf(quarter_with_figures, subscriber):
    PackSubscription.objects.create(user=subscriber, force=None, frequency=PackSubscription.Frequency.MONTHLY)
    assert packs_send_due(today=TODAY) == 1
    (message,) = mail.outbox
    assert message.to == ["morgan.lee@example.police.uk"]
    assert message.subject == "Quarterly performance pack: Alliance, 2025-26 Q2 (2025-26 Q2 to July 2025)"
    assert "/dashboard/quarters/alliance/2025/q2/pack/" in message.body
    ((name, content, kind),) = message.attachments
    assert (name, kind) == ("performance-pack-2025-26-q2-alliance.pdf", "application/pdf")
    assert "Quarterly performance pack: Alliance, 2025-26 Q2" in pdf_text(content)
    # The beat runs again the same month: nothing more is sent.
    assert packs_send_due(today=TODAY + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1 and PackDelivery.objects.count() == 1


def test_a_monthly_pack_waits_for_the_figures_of_the_month_before(quarter_with_figures, subscriber):
    PackSubscription.objects.create(user=subscriber, force=None, frequency=PackSubscription.Frequency.MONTHLY)
    # On 1 September the figures still count records only to 31 July.
    assert packs_send_due(today=datetime.date(2025, 9, 1)) == 0
    assert mail.outbox == []


def test_a_quarterly_pack_is_emailed_once_the_quarter_is_signed_off(
    quarter_with_figures, subscriber, analyst
):
    PackSubscription.objects.create(
        user=subscriber, force=None, frequency=PackSubscription.Frequency.QUARTERLY
    )
    assert send_performance_packs.delay().get() == {"sent": 0}
    other_manager = UserFactory(username="second.manager", role="Manager")
    signoff.quarter_mark_ready(quarter=Q1, force=None, user=analyst, today=TODAY)
    signoff.quarter_sign_off(quarter=Q1, force=None, user=other_manager, today=TODAY)
    assert send_performance_packs.delay().get() == {"sent": 1}
    assert "signed off" in mail.outbox[0].body
    assert "Signed off on" in pdf_text(mail.outbox[0].attachments[0][1])
    assert send_performance_packs.delay().get() == {"sent": 0}


def test_no_pack_goes_to_an_address_less_or_unentitled_user(quarter_with_figures, manager, partner_a):
    manager.email = ""
    manager.save()
    PackSubscription.objects.create(user=manager, force=None, frequency="monthly")
    partner_a.email = "partner@example.org"
    partner_a.save()
    PackSubscription.objects.create(user=partner_a, force=None, frequency="monthly")
    assert packs_send_due(today=TODAY) == 0
    assert mail.outbox == []


def test_managers_choose_how_often_they_get_the_pack(quarter_with_figures, manager, analyst):
    from tests.strategy.test_sign_off import client_as

    manager_client, analyst_client = client_as(manager), client_as(analyst)
    url = PACK + "email/"
    assert analyst_client.post(url, {"frequency": "monthly"}).status_code == 403
    response = manager_client.post(url, {"frequency": "hourly"}, follow=True)
    assert "Choose how often to get the pack, or never" in response.content.decode()
    assert not PackSubscription.objects.exists()
    manager_client.post(url, {"frequency": "quarterly"})
    assert PackSubscription.objects.get(user=manager).frequency == "quarterly"
    manager_client.post(url, {"frequency": "never"})
    assert not PackSubscription.objects.exists()
