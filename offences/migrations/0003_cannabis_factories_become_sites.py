"""Today's offences moved to the new shapes, each change with a line in the offence's history.

- Factories become sites. An offence flagged "commercial-scale factory" becomes (or joins) a
  cannabis factory (seizures.Site): offences flagged under one warrant are one site — a warrant
  is for one premises, so two offenders arrested there close one factory, not two. The site
  takes the offence's force, district, warrant, type of site and plants (the most of its
  offences), is discovered and closed on the earliest date recorded (the month the factory was
  counted in before), and its size band is found from its plants; above the guideline's plant
  numbers a flagged factory is taken as category 2 (significant quantities for commercial use,
  the lesser of the two commercial categories), which its notes say, for an analyst to raise.
- The cultivation flag is cleared where the offence is not production or cultivation of
  cannabis (possession with intent to supply, supply…): "cannabis production offences" counted
  them before. Its plants and type of site are cleared with it; the history keeps them, and a
  flagged factory has kept them on its site first.
- Production or cultivation of cannabis names its drug, cannabis plants, with the class cannabis
  held on the date recorded.
- Outcomes keep their values: charged is outcome 1, tic 4, penalty_notice 6, drugs_warning 7,
  community_resolution 8, no_suspect 18, and evidential_difficulties 15 (16, "victim does not
  support", has no victim to ask in a drug offence). A caution (youth 2 or adult 3?), not in the
  public interest (10 or 21?) and "other" cannot be told apart from the record: they keep their
  values, shown as recorded before the outcome types, and are not accepted on new outcomes.
"""

from django.db import migrations
from django.utils import timezone

# History reasons hold 100 characters: short, so that two fit in one.
REASON_SITE = "Factory flag moved to site {reference}"
REASON_CLEARED = "Cultivation flag cleared, not production ({plants} plants, {site_type})"
REASON_DRUG = "Drug named: cannabis plants, class {drug_class}"
SITE_NOTE = "Created from offence(s) {references}, flagged as a commercial-scale factory."
BAND_NOTE = (
    " More plants than the guideline's plant numbers: taken as category 2 (significant quantities "
    "for commercial use); change it to 1 if the operation was industrial."
)


def _history_row(Historical, record, *, kind, reason, when):
    row = Historical(
        history_date=when, history_type=kind, history_change_reason=reason, history_user_id=None
    )
    for field in record._meta.concrete_fields:
        setattr(row, field.attname, getattr(record, field.attname))
    return row


def _class_on(classes, day):
    for drug_class, valid_from, valid_to in classes:
        if valid_from <= day and (valid_to is None or day <= valid_to):
            return drug_class
    return ""


def forwards(apps, schema_editor):
    Offence = apps.get_model("offences", "Offence")
    HistoricalOffence = apps.get_model("offences", "HistoricalOffence")
    Site = apps.get_model("seizures", "Site")
    HistoricalSite = apps.get_model("seizures", "HistoricalSite")
    SizeBand = apps.get_model("seizures", "SizeBand")
    Drug = apps.get_model("seizures", "Drug")
    DrugClassification = apps.get_model("seizures", "DrugClassification")
    now = timezone.now()
    offence_history, site_history = [], []
    reasons = {}  # offence id -> [reasons]

    bands = list(SizeBand.objects.order_by("category"))
    by_plants = sorted((b for b in bands if b.indicative_plants is not None), key=lambda b: b.indicative_plants)
    significant = next((b for b in bands if b.category == 2), None)

    # An offence with no history yet (loaded without it) gets its state before this change
    # first, so that the change shows what it was, and can be undone.
    def keep_before(offences):
        ids = [offence.pk for offence in offences]
        known = set(HistoricalOffence.objects.filter(id__in=ids).values_list("id", flat=True))
        HistoricalOffence.objects.bulk_create(
            [
                _history_row(HistoricalOffence, o, kind="+", reason="As recorded before", when=now)
                for o in offences
                if o.pk not in known
            ],
            batch_size=2000,
        )

    keep_before(
        Offence.objects.filter(factory=True)
        | Offence.objects.filter(cultivation=True).exclude(offence_type="production_cannabis")
        | Offence.objects.filter(offence_type="production_cannabis", drug__isnull=True)
    )
    now = timezone.now()  # the changes come after the states kept

    # 1. Flagged factories become sites: one per warrant, else one per offence.
    flagged = list(Offence.objects.filter(factory=True, withdrawn_at__isnull=True).order_by("recorded_date", "pk"))
    groups = {}
    for offence in flagged:
        key = ("warrant", offence.warrant_id) if offence.warrant_id else ("offence", offence.pk)
        groups.setdefault(key, []).append(offence)
    for offences in groups.values():
        first = offences[0]
        plants = max((o.plants or 0) for o in offences)
        band = next((b for b in by_plants if b.indicative_plants >= plants), None)
        notes = SITE_NOTE.format(references=", ".join(o.crime_reference for o in offences))
        if band is None:
            band, notes = significant, notes + BAND_NOTE
        site = Site.objects.create(
            reference=first.crime_reference,
            force_id=first.force_id,
            area_id=first.area_id,
            postcode_sector="",
            premises=first.site_type or "other",
            discovered_on=first.recorded_date,
            closed_on=first.recorded_date,
            plants=plants,
            size_band=band,
            warrant_id=first.warrant_id,
            notes=notes,
        )
        site_history.append(_history_row(HistoricalSite, site, kind="+", reason="Moved from offences", when=now))
        for offence in offences:
            offence.site_id = site.pk
            reasons.setdefault(offence.pk, []).append(REASON_SITE.format(reference=site.reference))

    # 2. The cultivation flag only on production or cultivation of cannabis.
    changed = {offence.pk: offence for offence in flagged}
    for offence in Offence.objects.filter(cultivation=True).exclude(offence_type="production_cannabis"):
        offence = changed.get(offence.pk, offence)
        reasons.setdefault(offence.pk, []).append(
            REASON_CLEARED.format(plants=offence.plants if offence.plants is not None else "no", site_type=offence.site_type or "none")
        )
        offence.cultivation, offence.plants, offence.site_type = False, None, ""
        changed[offence.pk] = offence

    # 3. Production or cultivation of cannabis names its drug.
    plants_drug = Drug.objects.filter(code="cannabis-plants").first()
    if plants_drug is not None:
        classes = list(
            DrugClassification.objects.filter(drug=plants_drug).values_list("drug_class", "valid_from", "valid_to")
        )
        for offence in Offence.objects.filter(offence_type="production_cannabis", drug__isnull=True):
            offence = changed.get(offence.pk, offence)
            drug_class = _class_on(classes, offence.recorded_date)
            if not drug_class:
                continue  # not controlled then: left without a drug rather than a wrong class
            offence.drug_id, offence.drug_class = plants_drug.pk, drug_class
            reasons.setdefault(offence.pk, []).append(REASON_DRUG.format(drug_class=drug_class))
            changed[offence.pk] = offence

    for offence in changed.values():
        offence.factory = False
        offence.save()
        offence_history.append(
            _history_row(HistoricalOffence, offence, kind="~", reason="; ".join(reasons[offence.pk])[:100], when=now)
        )
    HistoricalOffence.objects.bulk_create(offence_history, batch_size=2000)
    HistoricalSite.objects.bulk_create(site_history, batch_size=2000)


def backwards(apps, schema_editor):
    """The factory flag back on the offences of the sites this migration created (which are
    removed), cleared cultivation details back from the history, drugs it named removed."""
    Offence = apps.get_model("offences", "Offence")
    HistoricalOffence = apps.get_model("offences", "HistoricalOffence")
    Site = apps.get_model("seizures", "Site")
    HistoricalSite = apps.get_model("seizures", "HistoricalSite")
    moved = Site.objects.filter(notes__startswith="Created from offence")
    Offence.objects.filter(site__in=moved).update(factory=True, site=None)
    HistoricalSite.objects.filter(id__in=moved.values("pk")).delete()
    moved.delete()
    marked = HistoricalOffence.objects.filter(history_change_reason__contains="Cultivation flag cleared")
    for change in marked:
        before = (
            HistoricalOffence.objects.filter(id=change.id, history_date__lt=change.history_date)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if before is not None:
            Offence.objects.filter(pk=change.id).update(
                cultivation=before.cultivation, plants=before.plants, site_type=before.site_type
            )
    drug_named = HistoricalOffence.objects.filter(history_change_reason__contains="Drug named: cannabis plants")
    Offence.objects.filter(pk__in=drug_named.values("id")).update(drug=None, drug_class="")
    HistoricalOffence.objects.filter(
        history_change_reason__contains="Factory flag moved to site"
    ).delete()
    marked.delete()
    drug_named.delete()


class Migration(migrations.Migration):
    dependencies = [("offences", "0002_offence_drug_site_and_outcome_types")]

    operations = [migrations.RunPython(forwards, backwards)]
