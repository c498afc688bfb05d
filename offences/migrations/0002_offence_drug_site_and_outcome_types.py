"""Offences name their drug (and its class on the date recorded) and may point at a cannabis
factory (seizures.Site); outcomes take the Home Office outcomes framework's types. The factory
flag stays until the next migration has moved flagged offences to sites."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geography', '0004_force_in_alliance_not_by_default'),
        ('offences', '0001_initial'),
        ('seizures', '0010_seed_cannabis_size_bands'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='offence',
            name='offence_cultivation_details_only_for_cultivation',
        ),
        migrations.RemoveConstraint(
            model_name='offence',
            name='offence_cultivation_is_trafficking',
        ),
        migrations.AddField(
            model_name='historicaloffence',
            name='drug',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seizures.drug'),
        ),
        migrations.AddField(
            model_name='historicaloffence',
            name='drug_class',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=1, verbose_name='class'),
        ),
        migrations.AddField(
            model_name='historicaloffence',
            name='site',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seizures.site', verbose_name='cannabis factory'),
        ),
        migrations.AddField(
            model_name='offence',
            name='drug',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offences', to='seizures.drug'),
        ),
        migrations.AddField(
            model_name='offence',
            name='drug_class',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=1, verbose_name='class'),
        ),
        migrations.AddField(
            model_name='offence',
            name='site',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='offences', to='seizures.site', verbose_name='cannabis factory'),
        ),
        migrations.AlterField(
            model_name='historicaloffence',
            name='outcome',
            field=models.CharField(choices=[('ongoing', 'Not yet assigned: investigation ongoing'), ('charged', '1 Charged or summonsed'), ('caution_youth', '2 Caution – youth'), ('caution_adult', '3 Caution – adult'), ('tic', '4 Taken into consideration'), ('offender_died', '5 The offender has died'), ('penalty_notice', '6 Penalty notice for disorder'), ('drugs_warning', '7 Cannabis or khat warning'), ('community_resolution', '8 Community resolution'), ('cps_not_in_public_interest', '9 Prosecution not in the public interest (CPS)'), ('police_not_in_public_interest', '10 Formal action not in the public interest (police)'), ('prevented_age', '11 Prosecution prevented: suspect under the age of criminal responsibility'), ('prevented_ill', '12 Prosecution prevented: suspect too ill to prosecute'), ('prevented_witness', '13 Prosecution prevented: key witness dead or too ill'), ('evidential_no_suspect', '14 Evidential difficulties: suspect not identified'), ('evidential_difficulties', '15 Evidential difficulties: suspect identified'), ('evidential_no_support', '16 Evidential difficulties: victim does not support action'), ('time_limit_expired', '17 Prosecution time limit expired'), ('no_suspect', '18 Investigation complete: no suspect identified'), ('another_body', '20 Further action taken by another body or agency'), ('further_not_public_interest', '21 Further investigation not in the public interest (police)'), ('diversion', '22 Diversionary, educational or intervention activity'), ('caution', 'Caution, youth or adult not recorded (before outcome types 2 and 3)'), ('not_in_public_interest', 'Not in the public interest, 10 or 21 not recorded (before those outcome types)'), ('other', 'Other outcome (recorded before the outcome types)')], default='ongoing', max_length=30),
        ),
        migrations.AlterField(
            model_name='offence',
            name='outcome',
            field=models.CharField(choices=[('ongoing', 'Not yet assigned: investigation ongoing'), ('charged', '1 Charged or summonsed'), ('caution_youth', '2 Caution – youth'), ('caution_adult', '3 Caution – adult'), ('tic', '4 Taken into consideration'), ('offender_died', '5 The offender has died'), ('penalty_notice', '6 Penalty notice for disorder'), ('drugs_warning', '7 Cannabis or khat warning'), ('community_resolution', '8 Community resolution'), ('cps_not_in_public_interest', '9 Prosecution not in the public interest (CPS)'), ('police_not_in_public_interest', '10 Formal action not in the public interest (police)'), ('prevented_age', '11 Prosecution prevented: suspect under the age of criminal responsibility'), ('prevented_ill', '12 Prosecution prevented: suspect too ill to prosecute'), ('prevented_witness', '13 Prosecution prevented: key witness dead or too ill'), ('evidential_no_suspect', '14 Evidential difficulties: suspect not identified'), ('evidential_difficulties', '15 Evidential difficulties: suspect identified'), ('evidential_no_support', '16 Evidential difficulties: victim does not support action'), ('time_limit_expired', '17 Prosecution time limit expired'), ('no_suspect', '18 Investigation complete: no suspect identified'), ('another_body', '20 Further action taken by another body or agency'), ('further_not_public_interest', '21 Further investigation not in the public interest (police)'), ('diversion', '22 Diversionary, educational or intervention activity'), ('caution', 'Caution, youth or adult not recorded (before outcome types 2 and 3)'), ('not_in_public_interest', 'Not in the public interest, 10 or 21 not recorded (before those outcome types)'), ('other', 'Other outcome (recorded before the outcome types)')], default='ongoing', max_length=30),
        ),
    ]
