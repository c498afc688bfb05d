import uuid

from django.conf import settings
from django.db import migrations, models


def withdraw_self_addressed_referrals(apps, schema_editor):
    """Referrals sent to their own submitting agency could be moved through treatment by that
    agency alone. They are kept, withdrawn with the reason (so they leave the figures), and
    named; the constraint below then refuses any new one."""
    from django.utils import timezone

    Referral = apps.get_model("partners", "Referral")
    self_addressed = Referral.objects.filter(
        receiving_agency=models.F("submitting_agency"), withdrawn_at__isnull=True
    )
    references = list(self_addressed.values_list("reference", flat=True))
    self_addressed.update(withdrawn_at=timezone.now(), withdrawal_reason=SELF_ADDRESSED_REASON)
    if references:
        print(f"\n  Withdrew {len(references)} referrals sent to their own agency: {', '.join(references)}")


SELF_ADDRESSED_REASON = "Withdrawn by the service: a referral cannot be sent to its own agency"


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_groups'),
        ('geography', '0003_lsoa'),
        ('partners', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='submission_fingerprint',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='historicalreferral',
            name='submission_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name='referral',
            name='submission_key',
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.UniqueConstraint(fields=('submitting_agency', 'submitted_by', 'submission_key'), name='referral_submission_key_per_submitter'),
        ),
        migrations.RunPython(withdraw_self_addressed_referrals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=False)
                | ~models.Q(receiving_agency=models.F("submitting_agency")),
                name="referral_not_to_its_own_agency",
            ),
        ),
    ]
