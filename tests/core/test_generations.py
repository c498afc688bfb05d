"""Generations move a cache key on whenever what it stands for changes — at once, and again when
the change commits — and a lost generation never comes back as a number an old entry holds."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core import generations
from geography.models import Force

pytestmark = pytest.mark.django_db


def test_saving_a_row_moves_its_models_stamp_on_and_leaves_others():
    force = Force.objects.first()
    forces, users = generations.rows_stamp(Force), generations.stamp("rows:accounts.user")
    force.save()
    assert generations.rows_stamp(Force) != forces
    assert generations.stamp("rows:accounts.user") == users


def test_a_lost_generation_starts_again_from_a_number_never_used():
    before = generations.stamp("anything")
    cache.delete(generations.PREFIX + "anything")
    assert generations.stamp("anything") != before


def test_a_change_moves_on_again_when_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generations.advance("example")
        inside = generations.stamp("example")
        generations.advance("example")  # asked twice, moved on once more at commit
    assert generations.stamp("example") != inside


def test_what_is_kept_is_read_once_until_its_rows_change(django_assert_num_queries):
    def read():
        return list(Force.objects.values_list("name", flat=True))

    first = generations.kept_until_changed([Force], read, "force-names")
    Force.objects.filter(pk=Force.objects.first().pk).update(name="Renamed")
    assert generations.changing(generations.rows_of(Force)) is False  # an UPDATE sends no signal
    with django_assert_num_queries(0):
        assert generations.kept_until_changed([Force], read, "force-names") == first
    # Saved in this (the test's) transaction: its own rows, read afresh and never kept.
    Force.objects.get(name="Renamed").save()
    assert generations.changing(generations.rows_of(Force))
    assert "Renamed" in generations.kept_until_changed([Force], read, "force-names")


def test_a_hook_asked_for_twice_in_a_transaction_runs_once(django_capture_on_commit_callbacks):
    calls = []
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        generations.on_commit_once("example", lambda: calls.append(1))
        generations.on_commit_once("example", lambda: calls.append(2))
    assert calls == [1] and len(hooks) == 1


def test_outside_a_transaction_the_hook_runs_at_once(transactional_db):
    calls = []
    generations.on_commit_once("example", lambda: calls.append(1))
    assert calls == [1]


def test_the_facts_are_still_deleted_in_bulk():
    from django.db.models.signals import post_delete, pre_delete

    from strategy.models import DailyFact, Fact

    # A delete receiver would make QuerySet.delete read and signal each of a rollup's facts.
    for model in (Fact, DailyFact):
        assert not post_delete.has_listeners(model) and not pre_delete.has_listeners(model)


def test_deleting_a_row_shown_as_a_choice_moves_its_stamp_on():
    from seizures.models import SizeBand

    band = SizeBand.objects.first()
    before = generations.rows_stamp(SizeBand)
    SizeBand.objects.filter(pk=band.pk).delete()
    assert generations.rows_stamp(SizeBand) != before


def test_kept_values_asked_for_together_are_read_in_one_round_trip(monkeypatch):
    from core.requestmemo import RequestMemoMiddleware

    def names():
        return sorted(Force.objects.values_list("name", flat=True))

    generations.kept_until_changed([Force], names, "first")
    generations.kept_until_changed([Force], lambda: "second", "second")
    reads = []
    for method in ("get", "get_many"):
        original = getattr(cache, method)
        monkeypatch.setattr(
            cache, method, lambda *a, _o=original, _m=method, **k: reads.append(_m) or _o(*a, **k)
        )

    def page(request):
        generations.prefetch_kept(([Force], "first"), ([Force], "second"), ([Force], "never-kept"))
        read_before = len(reads)
        shown = (
            generations.kept_until_changed([Force], names, "first"),
            generations.kept_until_changed([Force], lambda: "second again", "second"),
        )
        return shown, reads[read_before:]

    (first, second), reads_after_prefetch = RequestMemoMiddleware(page)(None)
    assert first == names() and second == "second"
    assert reads_after_prefetch == []  # both from the one read of the prefetch
