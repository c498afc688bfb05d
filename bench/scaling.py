"""Planning figures for all 43 forces of England and Wales over ten years, extrapolated from the
last `make bench` run (bench/results/latest.json) and the Home Office volumes, plus a small
simulation of the web tier. Used by docs/scaling.md.

    .venv/bin/python -m bench.scaling [--results bench/results/latest.json] [--peak-rps 120]

No database is needed: it reads the measurements and prints the projections.
"""

import argparse
import heapq
import json
import math
import random
from pathlib import Path

# Home Office "Seizures of drugs in England and Wales" 2018-19 (../shared/data/home-office):
# 134,456 seizures by the 39 English territorial forces, of which Warwickshire 1,446 and West
# Mercia 3,292. The four Welsh forces are not in that table: add 5% (their share of population).
ENGLAND_SEIZURES = 134_456
ALLIANCE_SEIZURES = 1_446 + 3_292
NATIONAL_SEIZURES = round(ENGLAND_SEIZURES * 1.05)
# Police recorded crime 2017/18, drug offences 92A–92E, all forces (prc-pfa-201718_new.csv).
NATIONAL_DRUG_OFFENCES = 136_476
# Local authority districts with community safety partnerships (ONS lad19-csp19-pfa19: 342 rows)
# against the alliance's 14: facts grow with districts, not with records.
NATIONAL_DISTRICTS, ALLIANCE_DISTRICTS = 342, 14
YEARS = 10
ITEMS_PER_SEIZURE = 1.32
REFERRALS_PER_SEIZURE = 0.2
WARRANTS_PER_SEIZURE = 0.12
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def national_rows():
    seizures = NATIONAL_SEIZURES * YEARS
    return {
        "seizures_seizure": seizures,
        "seizures_seizureitem": round(seizures * ITEMS_PER_SEIZURE),
        "seizures_warrant": round(seizures * WARRANTS_PER_SEIZURE),
        "offences_offence": NATIONAL_DRUG_OFFENCES * YEARS,
        "partners_referral": round(seizures * REFERRALS_PER_SEIZURE),
    }


def projections(measured):
    sizes = measured["sizes"]
    rows = national_rows()
    table = []
    for name, national in rows.items():
        bench = sizes[name]
        per_row = bench["bytes"] / max(bench["rows"], 1)
        table.append((name, bench["rows"], national, per_row * national / 2**30))
    transitions = sizes["partners_referraltransition"]
    per_referral = transitions["rows"] / max(sizes["partners_referral"]["rows"], 1)
    national_transitions = round(rows["partners_referral"] * per_referral)
    table.append(
        (
            "partners_referraltransition",
            transitions["rows"],
            national_transitions,
            transitions["bytes"] / max(transitions["rows"], 1) * national_transitions / 2**30,
        )
    )
    facts = sizes["strategy_fact"]
    fact_factor = NATIONAL_DISTRICTS / ALLIANCE_DISTRICTS
    table.append(
        (
            "strategy_fact",
            facts["rows"],
            round(facts["rows"] * fact_factor),
            facts["bytes"] * fact_factor / 2**30,
        )
    )
    records_bench = sum(sizes[name]["rows"] for name in rows)
    records_national = sum(rows.values())
    return table, records_national / records_bench


def erlang_c_wait_p95(arrival_rps, service_s, servers):
    """95th percentile of the wait in an M/M/c queue (Erlang C), seconds; inf when overloaded."""
    load = arrival_rps * service_s
    if load >= servers:
        return math.inf
    terms = sum(load**k / math.factorial(k) for k in range(servers))
    last = load**servers / math.factorial(servers) * servers / (servers - load)
    waiting = last / (terms + last)
    if waiting <= 0.05:
        return 0.0
    return math.log(waiting / 0.05) / (servers / service_s - arrival_rps)


def simulate(arrival_rps, service_median_s, service_p95_s, hosts, workers, seconds=600, seed=1):
    """Requests arriving at random (Poisson) across `hosts` behind a least-busy load balancer,
    each host serving `workers` requests at once (its cores: gunicorn runs more workers than
    cores, but only as many run at a time); service times lognormal with the given median and
    95th percentile. Returns (p50, p95, utilisation) of the response time."""
    rng = random.Random(seed)
    sigma = max(math.log(service_p95_s / service_median_s) / 1.645, 0.01)
    mu = math.log(service_median_s)
    free_at = [[0.0] * workers for _ in range(hosts)]
    for heap in free_at:
        heapq.heapify(heap)
    now, times, busy = 0.0, [], 0.0
    while now < seconds:
        now += rng.expovariate(arrival_rps)
        service = rng.lognormvariate(mu, sigma)
        host = min(range(hosts), key=lambda h: max(free_at[h][0], now))
        start = max(heapq.heappop(free_at[host]), now)
        heapq.heappush(free_at[host], start + service)
        times.append(start + service - now)
        busy += service
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)], busy / (seconds * hosts * workers)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--peak-rps", type=float, default=120.0, help="national peak page and API requests/s")
    parser.add_argument("--host-cores", type=int, default=4, help="cores of each web host")
    options = parser.parse_args(argv)
    measured = json.loads(options.results.read_text())

    table, growth = projections(measured)
    print(
        f"National volumes, {YEARS} years, 43 forces ({NATIONAL_SEIZURES:,} seizures a year; "
        f"{NATIONAL_SEIZURES / ALLIANCE_SEIZURES:.0f}x the alliance)"
    )
    print(f"{'table':30} {'bench rows':>12} {'national rows':>14} {'national GiB':>13}")
    for name, bench, national, gib in table:
        print(f"{name:30} {bench:>12,} {national:>14,} {gib:>13.2f}")
    total = sum(gib for *_, gib in table)
    print(f"{'total (tables and indexes)':30} {'':>12} {'':>14} {total:>13.2f}")

    rollup_s = min(measured["rollup_runs"])
    print(f"\nRecords grow {growth:.2f}x over the 1M-item bench database.")
    print(
        f"Full rollup rebuild: {rollup_s:.0f} s measured -> about {rollup_s * growth:.0f} s "
        f"(linear in records; facts {NATIONAL_DISTRICTS / ALLIANCE_DISTRICTS:.0f}x more cells)"
    )
    per_month = measured["incremental_s"] / max(measured["incremental_months"], 1)
    months = measured["incremental_months"]
    print(
        f"Nightly run: {measured['incremental_s']:.2f} s for {months} metric-months "
        f"-> about {measured['incremental_s'] * growth:.2f} s with each month {growth:.1f}x fuller "
        f"({per_month * 1000:.0f} ms per metric-month now)"
    )

    load = measured["load"]["total"]
    cores = measured.get("cpus") or 2
    # Core time per request under load: the measured throughput with every core busy (gunicorn,
    # PostgreSQL and the load client shared the machine, so this is an upper bound).
    service_s = cores / max(load["rps"], 0.1)
    spread = measured["api_p95"] / max(measured["api_p50"], 0.1)  # how long the tail is, alone
    print(
        f"\nWeb tier: measured {load['rps']:.1f} req/s with all {cores} cores busy = "
        f"{service_s * 1000:.0f} ms of a core per request (an upper bound); alone, the API list "
        f"answers in {measured['api_p50']:.0f} ms (p95 {measured['api_p95']:.0f} ms)"
    )
    print(f"Peak assumed: {options.peak_rps:.0f} req/s nationally; hosts of {options.host_cores} cores")
    print(f"{'hosts':>6} {'cores':>6} {'p50 ms':>8} {'p95 ms':>8} {'busy':>6} {'Erlang C p95 wait ms':>21}")
    for hosts in (2, 3, 4, 6, 8):
        p50_s, p95_s, busy = simulate(
            options.peak_rps, service_s, service_s * spread, hosts, options.host_cores
        )
        wait = erlang_c_wait_p95(options.peak_rps, service_s, hosts * options.host_cores)
        wait_text = "overloaded" if math.isinf(wait) else f"{wait * 1000:.0f}"
        print(
            f"{hosts:>6} {hosts * options.host_cores:>6} {p50_s * 1000:>8.0f} {p95_s * 1000:>8.0f} "
            f"{busy:>6.0%} {wait_text:>21}"
        )


if __name__ == "__main__":
    main()
