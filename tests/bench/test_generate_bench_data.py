"""The benchmark data generator writes valid records that the metrics count."""

from collections import Counter

import pytest
from django.db.models import Count, Sum

from bench.generator import generate
from bench.generator.__main__ import main
from core.models import ChangedMonth
from offences.models import Offence
from partners.models import ReferenceSequence, Referral, ReferralTransition
from seizures.models import Seizure, SeizureItem, Warrant
from seizures.pricing import PriceBook
from strategy.models import Fact, Indicator
from strategy.rollups import rollup_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    generate(seizure_items=200, seed=7)


def fact_total(metric, **slice_):
    return (
        Fact.objects.filter(
            metric=metric,
            dimension=slice_.get("dimension", ""),
            **{"dimension_value": slice_.get("value", "")},
        ).aggregate(total=Sum("value"))["total"]
        or 0
    )


def test_writes_exactly_the_items_asked_for_one_to_three_per_seizure(generated):
    assert SeizureItem.objects.count() == 200
    per_seizure = Counter(Seizure.objects.annotate(n=Count("items")).values_list("n", flat=True))
    assert set(per_seizure) <= {1, 2, 3}
    assert per_seizure[1] > per_seizure[2] > 0
    assert Warrant.objects.exists() and Offence.objects.exists() and Referral.objects.exists()


def test_records_pass_the_models_own_validation(generated):
    for model in (Seizure, SeizureItem, Warrant, Offence, Referral):
        for record in model.objects.all()[:40]:
            record.full_clean()


def test_items_are_priced_as_the_services_price_them(generated):
    book = PriceBook.load()
    for item in SeizureItem.objects.select_related("seizure")[:60]:
        day = item.seizure.seized_on
        valued = book.valuation(item.drug_id, item.unit, item.quantity, day, item.seizure.force_id)
        assert item.drug_class == book.class_of(item.drug_id, day)
        assert (item.price, item.plant_yield) == (valued.price, valued.plant_yield)
        assert item.value_pence == valued.value_pence


def test_referral_history_follows_the_workflow(generated):
    for referral in Referral.objects.exclude(status="submitted")[:40]:
        moves = list(referral.transitions.order_by("effective_on", "id"))
        assert moves[0].from_status == "submitted"
        assert moves[-1].to_status == referral.status
        assert all(a.to_status == b.from_status for a, b in zip(moves, moves[1:], strict=False))
    assert ReferralTransition.objects.exists()
    latest = Referral.objects.order_by("-referral_date").first()
    assert ReferenceSequence.objects.get(year=latest.referral_date.year).last_number >= 1


def test_the_rollup_counts_the_generated_records(generated):
    assert set(ChangedMonth.objects.values_list("source", flat=True)) == {"seizures", "offences", "partners"}
    run = rollup_run(full=True)
    assert run.outcome == "succeeded"
    # The figures run to the day before the run: a record of the run's own day is counted next night.
    through = run.through
    assert fact_total("seizures.count") == Seizure.objects.live().filter(seized_on__lte=through).count()
    assert (
        fact_total("offences.recorded") == Offence.objects.live().filter(recorded_date__lte=through).count()
    )
    assert fact_total("referrals.count") == Referral.objects.live().filter(referral_date__lte=through).count()
    assert (
        fact_total("seizures.street_value_pence")
        == SeizureItem.objects.filter(
            seizure__withdrawn_at__isnull=True, seizure__seized_on__lte=through
        ).aggregate(v=Sum("value_pence"))["v"]
    )
    assert Indicator.objects.filter(metric="seizures.count").exists()


def test_running_it_again_adds_records_after_the_first(generated):
    generate(seizure_items=50, seed=7)
    assert SeizureItem.objects.count() == 250
    assert Seizure.objects.values("force", "reference").distinct().count() == Seizure.objects.count()


def test_the_command_line_writes_and_says_what_it_wrote(capsys):
    assert main(["--seizure-items", "20", "--seed", "3"]) == 0
    assert SeizureItem.objects.count() == 20
    assert capsys.readouterr().out.startswith("Wrote ")


def test_the_command_line_refuses_nonsense(capsys):
    with pytest.raises(SystemExit) as refused:
        main(["--seizure-items", "0"])
    assert refused.value.code == 2
    assert "--seizure-items must be at least 1" in capsys.readouterr().err


def test_the_package_runs_as_a_command_before_django_is_set_up():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bench.generator", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "--seizure-items" in done.stdout
