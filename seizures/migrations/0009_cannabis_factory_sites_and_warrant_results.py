"""Cannabis factories as sites (with their size band, a harm category of the sentencing
guideline), seizures pointing at them, and what a warrant seized besides drugs."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geography', '0004_force_in_alliance_not_by_default'),
        ('seizures', '0008_plant_rows_state_a_yield'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSite',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('withdrawn_at', models.DateTimeField(blank=True, db_index=True, editable=False, null=True)),
                ('withdrawal_reason', models.TextField(blank=True, editable=False)),
                ('reference', models.CharField(help_text="The force's reference for the site", max_length=30)),
                ('postcode_sector', models.CharField(blank=True, help_text='For example CV21 2', max_length=8)),
                ('premises', models.CharField(choices=[('residential', 'Residential house or flat'), ('commercial', 'Commercial or industrial unit'), ('outdoor', 'Outdoor (field, woodland, garden)'), ('other', 'Other')], max_length=20, verbose_name='type of premises')),
                ('discovered_on', models.DateField(verbose_name='date discovered')),
                ('closed_on', models.DateField(blank=True, db_index=True, help_text='Blank while the site is still open', null=True, verbose_name='date closed')),
                ('plants', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(20000, 'Enter no more than 20,000 plants')], verbose_name='number of plants')),
                ('notes', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical cannabis factory',
                'verbose_name_plural': 'historical cannabis factories',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Site',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('withdrawn_at', models.DateTimeField(blank=True, db_index=True, editable=False, null=True)),
                ('withdrawal_reason', models.TextField(blank=True, editable=False)),
                ('reference', models.CharField(help_text="The force's reference for the site", max_length=30)),
                ('postcode_sector', models.CharField(blank=True, help_text='For example CV21 2', max_length=8)),
                ('premises', models.CharField(choices=[('residential', 'Residential house or flat'), ('commercial', 'Commercial or industrial unit'), ('outdoor', 'Outdoor (field, woodland, garden)'), ('other', 'Other')], max_length=20, verbose_name='type of premises')),
                ('discovered_on', models.DateField(verbose_name='date discovered')),
                ('closed_on', models.DateField(blank=True, db_index=True, help_text='Blank while the site is still open', null=True, verbose_name='date closed')),
                ('plants', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(20000, 'Enter no more than 20,000 plants')], verbose_name='number of plants')),
                ('notes', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': 'cannabis factory',
                'verbose_name_plural': 'cannabis factories',
                'ordering': ['-discovered_on', '-pk'],
                'permissions': [('view_withdrawn_site', 'Can open withdrawn cannabis factories')],
            },
        ),
        migrations.CreateModel(
            name='SizeBand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('category', models.PositiveSmallIntegerField(help_text='1 is the most serious', unique=True)),
                ('description', models.CharField(help_text="The guideline's own words", max_length=200)),
                ('indicative_plants', models.PositiveIntegerField(blank=True, help_text="The guideline's indicative quantity in plants; blank where it judges by scale", null=True)),
                ('source', models.CharField(max_length=300)),
                ('source_url', models.URLField(verbose_name='source address')),
            ],
            options={
                'ordering': ['category'],
            },
        ),
        migrations.AddField(
            model_name='historicalwarrant',
            name='cash_seized_pence',
            field=models.BigIntegerField(default=0, help_text='Cash seized on execution (Proceeds of Crime Act 2002)', verbose_name='cash seized (pence)'),
        ),
        migrations.AddField(
            model_name='historicalwarrant',
            name='other_property',
            field=models.TextField(blank=True, help_text='Vehicles, phones, scales, weapons…', verbose_name='other property seized'),
        ),
        migrations.AddField(
            model_name='warrant',
            name='cash_seized_pence',
            field=models.BigIntegerField(default=0, help_text='Cash seized on execution (Proceeds of Crime Act 2002)', verbose_name='cash seized (pence)'),
        ),
        migrations.AddField(
            model_name='warrant',
            name='other_property',
            field=models.TextField(blank=True, help_text='Vehicles, phones, scales, weapons…', verbose_name='other property seized'),
        ),
        migrations.AddConstraint(
            model_name='warrant',
            constraint=models.CheckConstraint(condition=models.Q(('cash_seized_pence__gte', 0), ('cash_seized_pence__lte', 10000000000)), name='warrant_cash_seized_in_range'),
        ),
        migrations.AddConstraint(
            model_name='warrant',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('result', 'not_executed'), _negated=True), models.Q(('cash_seized_pence', 0), ('other_property', '')), _connector='OR'), name='warrant_seized_only_when_executed'),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geography.area', verbose_name='district'),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='force',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='geography.force'),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='warrant',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seizures.warrant'),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='site',
            name='area',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cannabis_sites', to='geography.area', verbose_name='district'),
        ),
        migrations.AddField(
            model_name='site',
            name='force',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cannabis_sites', to='geography.force'),
        ),
        migrations.AddField(
            model_name='site',
            name='warrant',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cannabis_sites', to='seizures.warrant'),
        ),
        migrations.AddField(
            model_name='site',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalseizure',
            name='site',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seizures.site', verbose_name='cannabis factory'),
        ),
        migrations.AddField(
            model_name='seizure',
            name='site',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seizures', to='seizures.site', verbose_name='cannabis factory'),
        ),
        migrations.AddField(
            model_name='site',
            name='size_band',
            field=models.ForeignKey(blank=True, help_text="Found from the plants up to the guideline's plant numbers; above them, choose", on_delete=django.db.models.deletion.PROTECT, related_name='sites', to='seizures.sizeband'),
        ),
        migrations.AddField(
            model_name='historicalsite',
            name='size_band',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="Found from the plants up to the guideline's plant numbers; above them, choose", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='seizures.sizeband'),
        ),
        migrations.AddConstraint(
            model_name='site',
            constraint=models.UniqueConstraint(fields=('force', 'reference'), name='site_reference_unique_per_force', violation_error_message='This force already has a site with this reference'),
        ),
        migrations.AddConstraint(
            model_name='site',
            constraint=models.CheckConstraint(condition=models.Q(('plants__gte', 0), ('plants__lte', 20000)), name='site_plants_in_range'),
        ),
        migrations.AddConstraint(
            model_name='site',
            constraint=models.CheckConstraint(condition=models.Q(('closed_on__isnull', True), ('closed_on__gte', models.F('discovered_on')), _connector='OR'), name='site_closed_on_or_after_discovery'),
        ),
    ]
