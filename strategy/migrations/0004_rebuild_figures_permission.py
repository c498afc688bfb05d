from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('strategy', '0003_targets_over_any_months'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='aggregationrun',
            options={'get_latest_by': 'started_at', 'ordering': ['-started_at'], 'permissions': [('rebuild_figures', 'Can ask for the figures to be rebuilt now')]},
        ),
    ]
