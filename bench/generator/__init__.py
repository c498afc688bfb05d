"""Realistic volumes of records for the benchmarks:

    .venv/bin/python -m bench.generator --seizure-items N [--seed S] [--years Y]

Seizures with one to three items, warrants, offences and partner referrals with their status
history, spread over financial years, both forces, their districts and the drug catalogue in the
proportions the Home Office returns show for the alliance (see ../shared/data/README.md):
Warwickshire about 1,300 seizures a year and West Mercia about 3,000; for every seizure about
0.7 drug offences (police recorded crime 2017/18: 892 and 2,176), about 0.12 warrants and 0.2
referrals. Every record is valid under the models' constraints, items are priced from the street
price table exactly as the services price them, and the changed-month markers are left as the
services would leave them.

Rows are written with PostgreSQL's COPY (psycopg 3), or with plain INSERTs on SQLite, with ids
assigned here so that items can point at their seizures without a round trip. Running it again
adds more records after those already there (references never repeat). History tables are not
filled: the benchmarks read records and facts, not change history. Not for a live database.

    profile    what the history looks like (volumes, proportions, vocabularies)
    writing    weighted choice, ids assigned ahead, rows written by COPY or INSERT
    history    the Generator: shared state, people, agencies and the strategy
    supply     warrants, seizures and offences
    demand     referrals and their journeys
"""

# The package is run as `python -m bench.generator` before Django is set up: what it offers is
# loaded on first use (PEP 562), not when the package is imported.
__all__ = ["BENCH_PASSWORD", "LOAD_USERS", "default_period", "ensure_bench_strategy", "generate"]


def __getattr__(name):
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import history, profile

    return getattr(profile, name) if name == "LOAD_USERS" else getattr(history, name)
