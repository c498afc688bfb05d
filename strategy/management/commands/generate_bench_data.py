import time

from django.core.management.base import BaseCommand, CommandError

from strategy import bench_data


class Command(BaseCommand):
    help = (
        "Write realistic volumes of records for the benchmarks: about N seizure items (one to three "
        "per seizure) and, in the Home Office proportions, warrants, offences and partner referrals "
        "with their status history, spread over the last --years financial years, both forces, "
        "their districts and the drug catalogue. Also creates the bench users (password "
        f"{bench_data.BENCH_PASSWORD}) and the demo strategy's indicators. Uses COPY on PostgreSQL. "
        "Run it again to add more records after those already there. Not for a live database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seizure-items", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same records)")
        parser.add_argument("--years", type=int, default=10, help="Financial years to spread over")

    def handle(self, *args, seizure_items, seed, years, **options):
        if seizure_items < 1:
            raise CommandError("--seizure-items must be at least 1")
        started = time.perf_counter()
        counts = bench_data.generate(
            seizure_items=seizure_items,
            seed=seed,
            years=years,
            stdout=self.stdout if options["verbosity"] > 1 else None,
        )
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} in {elapsed:.1f} s"))
