from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from strategy.models import AggregationRun
from strategy.rollups import RollupAlreadyRunning, rollup_run


class Command(BaseCommand):
    help = (
        "Roll the records up into the dashboard facts now. By default only the months changed "
        "since the last run are rebuilt (what the nightly job does); --full rebuilds every "
        "metric for every month. The whole run is one transaction: if it fails, the previous "
        "figures stay and the failure is recorded as the latest aggregation run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="Rebuild every month, not only the changed ones"
        )

    def handle(self, *args, full=False, **options):
        bar = tqdm(total=0, unit="metric", disable=options["verbosity"] == 0, file=self.stderr._out)

        def progress(step, total, metric_name):
            bar.total = total
            bar.set_description(metric_name)
            bar.update(step - bar.n)

        try:
            run = rollup_run(full=full, progress=progress)
        except RollupAlreadyRunning as busy:
            raise CommandError(str(busy)) from busy
        finally:
            bar.close()
        if run.outcome != AggregationRun.Outcome.SUCCEEDED:
            raise CommandError(f"Rollup failed, previous figures kept: {run.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.get_kind_display()}: {run.months} metric-months, {run.rows} facts written."
            )
        )
