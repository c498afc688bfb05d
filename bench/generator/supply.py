"""Supply-side history: warrants, seizures with their priced items, and drug offences, each
valid under the models' constraints and priced as the services price them."""

import datetime
import math

from core.metrics import counted_on
from offences.models import GROUP_OF, MAX_PLANTS, Offence, OffenceType, SiteType
from seizures.models import Seizure, SeizureItem, Warrant
from seizures.pricing import value_at

from .profile import CHUNK, DRUGS, FORCE_WEIGHTS, ITEMS_PER_SEIZURE, PLACES, WITHDRAWN_SHARE
from .writing import IdSequence, lognormal_quantity


class SupplyRecords:
    """Writes warrants, seizures and offences for the Generator (which holds the shared state)."""

    def write_warrants(self, count):
        ids = IdSequence(Warrant)
        columns = [
            "id",
            "reference",
            "force_id",
            "area_id",
            "applied_on",
            "issued_on",
            "executed_on",
            "result",
            "arrests",
            "cash_seized_pence",
            "other_property",
            "notes",
            "dated_on",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        rows, drugs_found = [], []
        rng, dates = self.rng, self.days_in_order(count)
        for _ in range(count):
            force_name, force_id, area_id = self.place()
            pk = ids.next()
            issued = next(dates)
            roll = rng.random()
            executed = min(issued + datetime.timedelta(days=rng.randint(0, 14)), self.last_day)
            if roll < 0.55:
                result, arrests = Warrant.Result.DRUGS_FOUND, rng.choice([0, 1, 1, 1, 2, 2, 3])
            elif roll < 0.9:
                result, arrests = Warrant.Result.NOTHING_FOUND, rng.choice([0, 0, 0, 1])
            else:
                result, arrests, executed = Warrant.Result.NOT_EXECUTED, 0, None
            withdrawn = rng.random() < WITHDRAWN_SHARE
            rows.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}-W-{pk:07d}", force_id, area_id,
                    issued - datetime.timedelta(days=rng.randint(0, 3)), issued, executed, result, arrests,
                    0, "", "", executed or issued, *self._withdrawal(withdrawn, executed or issued),
                )
            )  # fmt: skip
            # Warrants are counted by the date issued and by the date executed.
            for source, day in counted_on(Warrant(**dict(zip(columns, rows[-1], strict=True)))):
                self.months[source].add(day)
            if result == Warrant.Result.DRUGS_FOUND and not withdrawn:
                drugs_found.append((force_name, force_id, area_id, executed, pk))
        self.writer.write(Warrant, columns, rows)
        self.counts["warrants"] += len(rows)
        return drugs_found

    def write_seizures(self, item_total, warrants):
        seizure_ids, item_ids = IdSequence(Seizure), IdSequence(SeizureItem)
        seizure_columns = [
            "id",
            "reference",
            "seized_on",
            "force_id",
            "area_id",
            "place",
            "postcode",
            "warrant_id",
            "notes",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        item_columns = [
            "id",
            "seizure_id",
            "drug_id",
            "quantity",
            "unit",
            "drug_class",
            "price_id",
            "plant_yield_id",
            "price_per_unit_pence",
            "value_pence",
            "priced_at",
        ]
        rng, made = self.rng, 0
        seizures, items = [], []
        mean_items = sum(k * w for k, w in ITEMS_PER_SEIZURE.items()) / sum(ITEMS_PER_SEIZURE.values())
        dates = self.days_in_order(item_total / mean_items)
        # Seizures made when executing a warrant that found drugs come in date order among the rest.
        pending = sorted(warrants, key=lambda warrant: warrant[3], reverse=True)
        while made < item_total:
            day = next(dates)
            if pending and pending[-1][3] <= day:
                force_name, force_id, area_id, day, warrant_id = pending.pop()
            else:
                force_name, force_id, area_id = self.place()
                warrant_id = None
            pk = seizure_ids.next()
            seizures.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}-S-{pk:08d}", day, force_id, area_id,
                    PLACES[int(rng.random() * len(PLACES))], "", warrant_id, "",
                    *self._withdrawal(rng.random() < WITHDRAWN_SHARE, day),
                )
            )  # fmt: skip
            self.months["seizures"].add(day)
            for _ in range(min(self.items_picker(rng), item_total - made)):
                code = self.drug_picker(rng)
                _, unit, median, sigma, places = DRUGS[code]
                drug_id = self.drugs[code]
                quantity = lognormal_quantity(rng, median, sigma, places, unit)
                drug_class, valued = self.priced(drug_id, unit, day, force_id)
                price, plant_yield, per_unit = valued.price, valued.plant_yield, valued.price_per_unit_pence
                value = value_at(quantity, unit, price, per_unit, per_plant=plant_yield is not None)
                items.append(
                    (
                        item_ids.next(), pk, drug_id, quantity, unit, drug_class,
                        price.pk if price else None, plant_yield.pk if plant_yield else None, per_unit,
                        value, self.now,
                    )
                )  # fmt: skip
                made += 1
            if len(seizures) >= CHUNK:
                self._flush_seizures(seizure_columns, seizures, item_columns, items)
        self._flush_seizures(seizure_columns, seizures, item_columns, items)

    def _flush_seizures(self, seizure_columns, seizures, item_columns, items):
        self.writer.write(Seizure, seizure_columns, seizures)
        self.writer.write(SeizureItem, item_columns, items)
        self.counts["seizures"] += len(seizures)
        self.counts["items"] += len(items)
        seizures.clear()
        items.clear()
        if self.stdout:
            self.stdout.write(f"  {self.counts['seizures']:,} seizures, {self.counts['items']:,} items")

    def write_offences(self, count, warrants):
        ids = IdSequence(Offence)
        columns = [
            "id",
            "crime_reference",
            "recorded_date",
            "force_id",
            "area_id",
            "offence_type",
            "offence_group",
            "cultivation",
            "plants",
            "site_type",
            "drug_class",
            "outcome",
            "outcome_date",
            "warrant_id",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
        ]
        rng, rows = self.rng, []
        by_force = {}
        for _, force_id, _, day, warrant_id in warrants:
            by_force.setdefault(force_id, []).append((day, warrant_id))
        site_types = list(SiteType.values)
        dates = self.days_in_order(count)
        for _ in range(count):
            force_name, force_id, area_id = self.place()
            pk = ids.next()
            recorded = next(dates)
            offence_type = self.offence_picker(rng)
            group = GROUP_OF[offence_type]
            cultivation = offence_type == OffenceType.PRODUCTION_OF_CANNABIS
            plants = site_type = None
            factory = False  # a commercial-scale grow: more plants (sites are not generated)
            if cultivation:
                factory = rng.random() < 0.12
                site_type = "commercial" if factory else site_types[int(rng.random() * len(site_types))]
                plants = min(MAX_PLANTS, int(rng.lognormvariate(math.log(300 if factory else 12), 0.9)))
            outcome, outcome_date = "ongoing", None
            if (self.last_day - recorded).days > 30 or rng.random() < 0.3:
                outcome = self.outcome_picker(rng)
                if outcome == "drugs_warning" and group not in ("92D", "92E"):
                    outcome = "community_resolution"  # a warning is only for possession
                outcome_date = min(recorded + datetime.timedelta(days=rng.randint(0, 120)), self.last_day)
            warrant_id = None
            if group == "92A" and by_force.get(force_id) and rng.random() < 0.2:
                warrant_day, warrant_id = rng.choice(by_force[force_id])
                recorded = max(recorded, warrant_day)
                if outcome_date and outcome_date < recorded:
                    outcome_date = recorded
            rows.append(
                (
                    pk, f"{FORCE_WEIGHTS[force_name][0]}/{pk:08d}/{recorded:%y}", recorded, force_id, area_id,
                    offence_type, group, cultivation, plants, site_type or "", "", outcome, outcome_date,
                    warrant_id, *self._withdrawal(rng.random() < WITHDRAWN_SHARE, recorded),
                )
            )  # fmt: skip
            self.months["offences"].update({recorded, outcome_date})
            if len(rows) >= CHUNK:
                self._flush(Offence, columns, rows, "offences")
        self._flush(Offence, columns, rows, "offences")
