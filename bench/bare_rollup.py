"""The reference for the rollup: the same facts computed by hand-written SQL, one
INSERT … SELECT … GROUP BY per metric slice, into a scratch table beside strategy_fact.

Written the way a database developer would write them, without the ORM: plain joins,
COUNT(*) where a row is one record, COUNT(DISTINCT …) only where a join can repeat a record.
Each statement mirrors a metric declared in the apps' metrics.py (names as stored in facts),
every metric the rollup stores as facts. Two metrics are not stored, so they are not here:
warrants.positive_rate is a ratio of two stored metrics (warrants.positive over
warrants.executed) worked out when a figure is shown, and referrals.median_days_to_treatment is
a median, which cannot be added up over months and districts: it is computed from the records
for each period asked.
"""

SCRATCH = "bench_bare_fact"
SCRATCH_DAILY = "bench_bare_dailyfact"  # by day, for the months a month under way is compared with

CREATE = f"""
DROP TABLE IF EXISTS {SCRATCH};
CREATE TABLE {SCRATCH} (
    metric varchar(100), month date, force_id bigint, area_id bigint,
    dimension varchar(50), dimension_value varchar(100), value numeric(20, 3)
);
DROP TABLE IF EXISTS {SCRATCH_DAILY};
CREATE TABLE {SCRATCH_DAILY} (LIKE {SCRATCH})
"""

# Live records of each kind, with the columns the slices group by.
SEIZURES = "seizures_seizure s WHERE s.withdrawn_at IS NULL"
ITEMS = (
    "seizures_seizureitem i JOIN seizures_seizure s ON s.id = i.seizure_id "
    "JOIN seizures_drug d ON d.id = i.drug_id WHERE s.withdrawn_at IS NULL"
)
KG = "SUM(CASE WHEN i.unit = 'g' THEN i.quantity * 0.001 ELSE i.quantity END)"
CANNABIS = "('herbal-cannabis', 'cannabis-resin', 'cannabis-plants', 'other-cannabis')"
WARRANTS = "seizures_warrant w WHERE w.withdrawn_at IS NULL"
EXECUTED = "seizures_warrant w WHERE w.withdrawn_at IS NULL AND w.executed_on IS NOT NULL"
CLOSED_SITES = (
    "seizures_site t JOIN seizures_sizeband b ON b.id = t.size_band_id "
    "WHERE t.withdrawn_at IS NULL AND t.closed_on IS NOT NULL"
)
OFFENCES = "offences_offence o WHERE o.withdrawn_at IS NULL"
SUPPLY = "('possession_with_intent', 'supply', 'concerned_in_supply')"
# An offence recorded without a drug has no class: its slice is "none", as the offence list
# filters it.
OFFENCE_CLASS = "CASE WHEN o.drug_class = '' THEN 'none' ELSE o.drug_class END"
REFERRALS = (
    "partners_referral r JOIN geography_area a ON a.id = r.area_id "
    "JOIN accounts_agency g ON g.id = r.submitting_agency_id WHERE r.withdrawn_at IS NULL"
)
DIP = "('dip_test_on_arrest', 'dip_assessment_initial', 'dip_assessment_follow_up')"
# Early intervention with young people is counted apart from treatment.
TREATMENT = f"{REFERRALS} AND r.pathway <> 'early_intervention'"
ENTRIES = "r.counted_entry AND r.entered_treatment_on IS NOT NULL"
COMPLETED = f"{TREATMENT} AND r.status = 'completed'"
# The Drugs Intervention Programme funnel: tests on arrest, each carrying how far the journey it
# began went, all by the date of the test.
TESTS = f"{REFERRALS} AND r.pathway = 'dip_test_on_arrest'"
POSITIVE = f"{TESTS} AND r.dip_test_result IN ('opiates', 'cocaine', 'both')"
TEST_RESULT = {"": None, "dip_test_result": "r.dip_test_result"}
# police.uk rows without a district cannot be placed in a fact; those of neighbouring forces are
# kept for comparison.
STREET_CRIMES = "opendata_streetcrime c WHERE c.area_id IS NOT NULL"
SEARCHES = "opendata_stopsearch c WHERE c.area_id IS NOT NULL"

# (metric, FROM … WHERE …, date column, force column, area column, value, {dimension: column})
SLICES = [
    ("seizures.count", SEIZURES, "s.seized_on", "s.force_id", "s.area_id", "COUNT(*)", {}),
    (
        "seizures.count",
        ITEMS,
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "COUNT(DISTINCT s.id)",
        {"drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.with_warrant",
        f"{SEIZURES} AND s.warrant_id IS NOT NULL",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "COUNT(*)",
        {},
    ),
    (
        "seizures.with_warrant",
        f"{ITEMS} AND s.warrant_id IS NOT NULL",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "COUNT(DISTINCT s.id)",
        {"drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.street_value_pence",
        ITEMS,
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "SUM(i.value_pence)",
        {"": None, "drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.quantity_kg",
        f"{ITEMS} AND i.unit IN ('g', 'kg')",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        KG,
        {"": None, "drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.doses",
        f"{ITEMS} AND i.unit = 'doses'",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "SUM(i.quantity)",
        {"": None, "drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.unpriced_items",
        f"{ITEMS} AND i.value_pence IS NULL",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "COUNT(*)",
        {"": None, "drug": "d.code", "drug_class": "i.drug_class"},
    ),
    (
        "seizures.all_cannabis",
        f"{ITEMS} AND d.code IN {CANNABIS}",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        "COUNT(DISTINCT s.id)",
        {},
    ),
    (
        "seizures.cannabis_plants",
        f"{ITEMS} AND d.code = 'cannabis-plants' AND (i.unit = 'plants' OR i.plant_count IS NOT NULL)",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        # Plants recorded by the plant, and those counted beside their weight.
        "SUM(CASE WHEN i.unit = 'plants' THEN i.quantity ELSE i.plant_count END)",
        {},
    ),
    (
        "seizures.herbal_cannabis_kg",
        f"{ITEMS} AND d.code = 'herbal-cannabis'",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        KG,
        {},
    ),
    (
        "seizures.cocaine_kg",
        f"{ITEMS} AND d.code IN ('cocaine', 'crack')",
        "s.seized_on",
        "s.force_id",
        "s.area_id",
        KG,
        {"": None, "drug": "d.code"},
    ),
    ("warrants.issued", WARRANTS, "w.issued_on", "w.force_id", "w.area_id", "COUNT(*)", {}),
    (
        "warrants.executed",
        EXECUTED,
        "w.executed_on",
        "w.force_id",
        "w.area_id",
        "COUNT(*)",
        {"": None, "result": "w.result"},
    ),
    (
        "warrants.positive",
        f"{EXECUTED} AND w.result = 'drugs_found'",
        "w.executed_on",
        "w.force_id",
        "w.area_id",
        "COUNT(*)",
        {},
    ),
    ("warrants.arrests", EXECUTED, "w.executed_on", "w.force_id", "w.area_id", "SUM(w.arrests)", {}),
    (
        "warrants.cash_seized_pence",
        EXECUTED,
        "w.executed_on",
        "w.force_id",
        "w.area_id",
        "SUM(w.cash_seized_pence)",
        {},
    ),
    (
        "sites.closed",
        CLOSED_SITES,
        "t.closed_on",
        "t.force_id",
        "t.area_id",
        "COUNT(*)",
        {"": None, "size_band": "b.category", "premises": "t.premises"},
    ),
    (
        "offences.recorded",
        OFFENCES,
        "o.recorded_date",
        "o.force_id",
        "o.area_id",
        "COUNT(*)",
        {
            "": None,
            "offence_group": "o.offence_group",
            "offence_type": "o.offence_type",
            "outcome": "o.outcome",
            "drug_class": OFFENCE_CLASS,
        },
    ),
    (
        "offences.supply",
        f"{OFFENCES} AND o.offence_type IN {SUPPLY}",
        "o.recorded_date",
        "o.force_id",
        "o.area_id",
        "COUNT(*)",
        {"": None, "drug_class": OFFENCE_CLASS},
    ),
    (
        "offences.supply",
        "offences_offence o JOIN seizures_drug d ON d.id = o.drug_id "
        f"WHERE o.withdrawn_at IS NULL AND o.offence_type IN {SUPPLY}",
        "o.recorded_date",
        "o.force_id",
        "o.area_id",
        "COUNT(*)",
        {"drug": "d.code"},
    ),
    (
        "offences.cultivation",
        f"{OFFENCES} AND o.cultivation",
        "o.recorded_date",
        "o.force_id",
        "o.area_id",
        "COUNT(*)",
        {"": None, "offence_type": "o.offence_type", "site_type": "o.site_type"},
    ),
    (
        "offences.cannabis_plants",
        f"{OFFENCES} AND o.cultivation",
        "o.recorded_date",
        "o.force_id",
        "o.area_id",
        "SUM(o.plants)",
        {"": None, "site_type": "o.site_type"},
    ),
    (
        "offences.charged",
        f"{OFFENCES} AND o.outcome = 'charged'",
        "o.outcome_date",
        "o.force_id",
        "o.area_id",
        "COUNT(*)",
        {"": None, "offence_group": "o.offence_group", "offence_type": "o.offence_type"},
    ),
    (
        "referrals.count",
        REFERRALS,
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "pathway": "r.pathway", "agency_kind": "g.kind"},
    ),
    (
        "referrals.dip",
        # A journey is counted by the referral that began it: later steps name it.
        f"{REFERRALS} AND r.pathway IN {DIP} AND r.journey_id IS NULL",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "pathway": "r.pathway", "agency_kind": "g.kind"},
    ),
    (
        "referrals.arrest_referrals",
        f"{REFERRALS} AND r.pathway = 'arrest_referral'",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "agency_kind": "g.kind"},
    ),
    (
        "referrals.early_intervention_young_people",
        f"{REFERRALS} AND r.pathway = 'early_intervention'",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "agency_kind": "g.kind"},
    ),
    (
        "referrals.entered_treatment",
        f"{TREATMENT} AND {ENTRIES}",
        "r.entered_treatment_on",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "pathway": "r.pathway", "agency_kind": "g.kind"},
    ),
    (
        "referrals.early_intervention_started",
        f"{REFERRALS} AND r.pathway = 'early_intervention' AND {ENTRIES}",
        "r.entered_treatment_on",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "agency_kind": "g.kind"},
    ),
    (
        "referrals.completed",
        COMPLETED,
        "r.closed_on",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "pathway": "r.pathway", "agency_kind": "g.kind"},
    ),
    (
        "referrals.completed_without_representation",
        f"{COMPLETED} AND r.represented_on IS NULL",
        "r.closed_on",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {"": None, "pathway": "r.pathway", "agency_kind": "g.kind"},
    ),
    (
        "dip.tests",
        TESTS,
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        {**TEST_RESULT, "trigger_offence": "r.trigger_offence"},
    ),
    ("dip.positive", POSITIVE, "r.referral_date", "a.force_id", "r.area_id", "COUNT(*)", TEST_RESULT),
    (
        "dip.assessments_required",
        f"{POSITIVE} AND r.journey_assessment <> ''",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        TEST_RESULT,
    ),
    (
        "dip.assessments_attended",
        f"{POSITIVE} AND r.journey_assessment = 'attended'",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        TEST_RESULT,
    ),
    (
        "dip.entered_treatment",
        f"{POSITIVE} AND r.journey_entered_treatment_on IS NOT NULL",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        TEST_RESULT,
    ),
    (
        "dip.completed",
        f"{POSITIVE} AND r.journey_completed_on IS NOT NULL",
        "r.referral_date",
        "a.force_id",
        "r.area_id",
        "COUNT(*)",
        TEST_RESULT,
    ),
    (
        "opendata.street_drug_crimes",
        STREET_CRIMES,
        "c.month",
        "c.force_id",
        "c.area_id",
        "COUNT(*)",
        {"": None, "outcome": "c.outcome"},
    ),
    (
        "opendata.drug_searches",
        SEARCHES,
        "c.month",
        "c.force_id",
        "c.area_id",
        "COUNT(*)",
        {"": None, "outcome": "c.outcome"},
    ),
]


def statements(through, daily_months=()):
    """One INSERT … SELECT … GROUP BY per slice: the total ("") and each dimension, of the
    records dated up to `through` (as the rollup counts them), by month; then the same by day
    for each of `daily_months` (the first day of each month)."""
    passes = [(SCRATCH, "date_trunc('month', {date})::date", "")]
    if daily_months:
        within = " OR ".join(
            f"({{date}} >= '{month:%Y-%m-%d}' AND {{date}} < '{month:%Y-%m-%d}'::date + interval '1 month')"
            for month in sorted(daily_months)
        )
        passes.append((SCRATCH_DAILY, "{date}", f" AND ({within})"))
    for table, period, months in passes:
        for metric, source, date, force, area, value, dimensions in SLICES:
            for dimension, column in (dimensions or {"": None}).items():
                by = f", {column}" if column else ""
                label = f"({column})::text" if column else "''"
                having = f" AND ({column}) IS NOT NULL" if column else ""
                yield (
                    f"INSERT INTO {table} SELECT '{metric}', {period.format(date=date)}, "
                    f"{force}, {area}, '{dimension}', {label}, {value} "
                    f"FROM {source}{having} AND {date} <= '{through.isoformat()}'{months.format(date=date)} "
                    f"GROUP BY 2, 3, 4{by} HAVING {value} IS NOT NULL"
                )
