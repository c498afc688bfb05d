"""A drug's class has effective dates: a seizure counts under the class in force on its date."""

import datetime

import pytest

from core import metrics
from seizures.pricing import PriceBook
from tests.factories.seizures import SeizureFactory, drug, item

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("seized_on", "expected"),
    [
        (datetime.date(2004, 1, 28), "B"),
        (datetime.date(2004, 1, 29), "C"),  # Misuse of Drugs Act 1971 (Amendment) Order 2003
        (datetime.date(2009, 1, 25), "C"),
        (datetime.date(2009, 1, 26), "B"),  # Misuse of Drugs Act 1971 (Amendment) Order 2008
        (datetime.date(2025, 6, 1), "B"),
    ],
)
def test_cannabis_is_counted_under_the_class_in_force_on_the_date_seized(seized_on, expected):
    seizure = SeizureFactory(seized_on=seized_on, items=[item("herbal-cannabis", 5, "g")])
    assert seizure.items.get().drug_class == expected


def test_a_drug_not_yet_controlled_has_no_class_then():
    book = PriceBook.load()
    assert book.class_of(drug("ketamine").pk, datetime.date(2005, 12, 31)) == ""
    assert book.class_of(drug("ketamine").pk, datetime.date(2006, 1, 1)) == "C"
    assert book.class_of(drug("ketamine").pk, datetime.date(2014, 6, 10)) == "B"


def test_the_class_filter_and_the_class_metric_use_the_class_on_the_date(analyst_client):
    in_2005 = SeizureFactory(
        reference="OLD-1", seized_on=datetime.date(2005, 6, 1), items=[item("herbal-cannabis", 5, "g")]
    )
    in_2010 = SeizureFactory(
        reference="NEW-1", seized_on=datetime.date(2010, 6, 1), items=[item("herbal-cannabis", 5, "g")]
    )

    class_c = analyst_client.get("/seizures/?drug_class=C").content.decode()
    class_b = analyst_client.get("/seizures/?drug_class=B").content.decode()
    assert in_2005.reference in class_c and in_2010.reference not in class_c
    assert in_2010.reference in class_b and in_2005.reference not in class_b

    count = metrics.get("seizures.count")
    by_class = dict(
        count.queryset()
        .values_list(count.dimensions["drug_class"])
        .annotate(n=count.value)
        .values_list(count.dimensions["drug_class"], "n")
    )
    assert by_class == {"B": 1, "C": 1}


def test_editing_the_date_across_a_reclassification_moves_the_class(analyst):
    from seizures import services

    seizure = SeizureFactory(seized_on=datetime.date(2008, 12, 1), items=[item("cannabis-resin", 5, "g")])
    assert seizure.items.get().drug_class == "C"
    services.seizure_update(seizure=seizure, user=analyst, seized_on=datetime.date(2009, 2, 1))
    assert seizure.items.get().drug_class == "B"


def test_a_class_corrected_after_the_seizure_is_applied_when_an_analyst_re_prices(analyst_client, analyst):
    from seizures.models import DrugClassification

    seizure = SeizureFactory(seized_on=datetime.date(2014, 6, 1), items=[item("ketamine", 2, "g")])
    assert seizure.items.get().drug_class == "C"  # as the table stood: Class B from 10 June 2014
    # The reclassification is corrected: it came into force on 1 June 2014 (for the test).
    DrugClassification.objects.filter(drug=drug("ketamine"), drug_class="C").update(
        valid_to=datetime.date(2014, 5, 31)
    )
    DrugClassification.objects.filter(drug=drug("ketamine"), drug_class="B").update(
        valid_from=datetime.date(2014, 6, 1)
    )

    preview = analyst_client.get(f"/seizures/{seizure.pk}/reprice/").content.decode()
    assert "Class C" in preview and "Class B" in preview
    assert seizure.items.get().drug_class == "C"  # nothing changes until the analyst confirms
    analyst_client.post(f"/seizures/{seizure.pk}/reprice/")

    assert seizure.items.get().drug_class == "B"
    page = analyst_client.get(f"/seizures/{seizure.pk}/").content.decode()
    assert "1 item(s) changed" in page
    assert analyst_client.get("/seizures/?drug_class=B").content.decode().count(seizure.reference) >= 1
