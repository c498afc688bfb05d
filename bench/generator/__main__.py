"""`python -m bench.generator --seizure-items N`: write benchmark volumes into DATABASE_URL."""

import argparse
import os
import sys
import time


class _Lines:
    """Progress messages one per line, as a management command's stdout writes them."""

    def write(self, message):
        print(message, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.generator",
        description=(
            "Write realistic volumes of records for the benchmarks: about N seizure items (one to "
            "three per seizure) and, in the Home Office proportions, warrants, offences and partner "
            "referrals with their status history, spread over the last --years financial years, both "
            "forces, their districts and the drug catalogue. Also creates the bench users and the demo "
            "strategy's indicators. Uses COPY on PostgreSQL. Run it again to add more records after "
            "those already there. Not for a live database."
        ),
    )
    parser.add_argument("--seizure-items", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same records)")
    parser.add_argument("--years", type=int, default=10, help="financial years to spread over")
    parser.add_argument("--verbose", action="store_true", help="report progress as it writes")
    options = parser.parse_args(argv)
    if options.seizure_items < 1:
        parser.error("--seizure-items must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings")
    import django

    django.setup()
    from . import generate

    started = time.perf_counter()
    counts = generate(
        seizure_items=options.seizure_items,
        seed=options.seed,
        years=options.years,
        stdout=_Lines() if options.verbose else None,
    )
    summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    print(f"Wrote {summary} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
