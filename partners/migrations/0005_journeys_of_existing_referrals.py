"""Work out the journeys, counted entries and re-presentations of the referrals already stored,
as partners.journeys does for every new change; and the day each assessed referral was assessed,
from its recorded status change. Reversed, the derived columns are simply left to be dropped."""

from django.db import migrations


def derive(apps, schema_editor):
    from partners.journeys import DERIVED, derived_values

    Referral = apps.get_model("partners", "Referral")
    ReferralTransition = apps.get_model("partners", "ReferralTransition")
    for referral_id, day in ReferralTransition.objects.filter(to_status="assessed").values_list(
        "referral_id", "effective_on"
    ):
        Referral.objects.filter(pk=referral_id).update(assessed_on=day)
    keys = list(Referral.objects.exclude(subject_key="").values_list("subject_key", flat=True).distinct())
    for key in keys:
        referrals = list(Referral.objects.filter(subject_key=key).order_by("pk"))
        derived = derived_values(referrals)
        for referral in referrals:
            stale = {name: value for name in DERIVED if getattr(referral, name) != (value := derived[referral.pk][name])}
            if stale:
                Referral.objects.filter(pk=referral.pk).update(**stale)
    # Entries now count people and completions exclude early intervention: every month of
    # referrals is rebuilt by the next nightly run.
    ChangedMonth = apps.get_model("core", "ChangedMonth")
    months = {day.replace(day=1) for day in Referral.objects.values_list("referral_date", flat=True)}
    months |= {
        day.replace(day=1)
        for field in ("entered_treatment_on", "closed_on")
        for day in Referral.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True)
    }
    existing = set(ChangedMonth.objects.filter(source="partners").values_list("month", flat=True))
    ChangedMonth.objects.bulk_create([ChangedMonth(source="partners", month=m) for m in months - existing])


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_journeys_outcomes_and_retention"), ("core", "0006_job_requests")]

    operations = [migrations.RunPython(derive, migrations.RunPython.noop)]
