"""Forces, their community safety partnerships and districts, and LSOAs, configured from the ONS
lookups (see their README in the shared data folder): LAD -> CSP -> PFA (ONS file 194,
`lad19-csp19-pfa19.csv`) and LSOA -> LAD (ONS file 217, `lsoa11-lad19-england.csv`)."""

import csv
import re
from dataclasses import dataclass

from django.db import transaction

from .models import Area, CommunitySafetyPartnership, Force, Lsoa

FORCE_COLUMNS = ("LAD19CD", "LAD19NM", "CSP19CD", "CSP19NM", "PFA19CD", "PFA19NM")
LSOA_COLUMNS = ("LSOA11CD", "LSOA11NM", "LAD19CD")
# Police force areas: E23 in England, W15 in Wales.
FORCE_CODE = re.compile(r"(E23|W15)\d{6}")


class OnsLookupError(Exception):
    """A lookup file that cannot be read, or that does not say what was asked of it."""


def read_lookup(path, columns):
    """The rows of an ONS lookup CSV, refused whole if it lacks any of `columns`."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in columns if name not in (reader.fieldnames or ())]
            if missing:
                raise OnsLookupError(f"{path} lacks the column(s) {', '.join(missing)}")
            return [{name: row[name].strip() for name in columns} for row in reader]
    except (OSError, UnicodeDecodeError) as unreadable:
        raise OnsLookupError(f"Cannot read {path}: {unreadable}") from unreadable


@dataclass(frozen=True)
class ForceAdded:
    force: Force
    force_created: bool
    partnerships_added: int
    partnerships: int
    districts_added: int
    districts: int


def force_add_from_ons(*, lookup, ons_code, context):
    """The force with police force area code `ons_code`, its partnerships and districts, as
    `lookup` (LAD -> CSP -> PFA) lists them. A context force (for comparison) is never in the
    alliance. Idempotent: what exists is left as it is, so an Administrator's renaming stays;
    but a force already configured on the other side of the alliance, or a partnership or
    district configured under another force, is refused rather than moved."""
    if not FORCE_CODE.fullmatch(ons_code):
        raise OnsLookupError(f"{ons_code!r} is not a police force area code (E23…, or W15… in Wales)")
    rows = [row for row in read_lookup(lookup, FORCE_COLUMNS) if row["PFA19CD"] == ons_code]
    if not rows:
        raise OnsLookupError(f"There is no police force area {ons_code} in {lookup}")
    in_alliance = not context
    name = rows[0]["PFA19NM"]
    if Force.objects.filter(name=name).exclude(ons_code=ons_code).exists():
        raise OnsLookupError(f"A force named {name} is configured already, under another code")
    with transaction.atomic():
        force, force_created = Force.objects.get_or_create(
            ons_code=ons_code, defaults={"name": name, "in_alliance": in_alliance}
        )
        if force.in_alliance != in_alliance:
            side = "an alliance force" if force.in_alliance else "a context force"
            raise OnsLookupError(
                f"{force} ({ons_code}) is already configured as {side}; change “In alliance” in the "
                "admin if that is really meant"
            )
        partnerships = {}
        for row in rows:
            if row["CSP19CD"] not in partnerships:
                partnerships[row["CSP19CD"]] = _under_force(
                    CommunitySafetyPartnership, row["CSP19CD"], row["CSP19NM"], force
                )
        districts = [
            _under_force(
                Area, row["LAD19CD"], row["LAD19NM"], force, partnership=partnerships[row["CSP19CD"]][0]
            )
            for row in rows
        ]
    return ForceAdded(
        force=force,
        force_created=force_created,
        partnerships_added=sum(created for _, created in partnerships.values()),
        partnerships=len(partnerships),
        districts_added=sum(created for _, created in districts),
        districts=len(districts),
    )


def _under_force(model, ons_code, name, force, **fields):
    """(record, created): the partnership or district with `ons_code`, made under `force` if new."""
    record, created = model.objects.get_or_create(
        ons_code=ons_code, defaults={"name": name, "force": force, **fields}
    )
    if record.force_id != force.pk:
        raise OnsLookupError(
            f"{model._meta.verbose_name.capitalize()} {record} ({ons_code}) is configured under "
            f"{record.force}, not {force}"
        )
    return record, created


def lsoa_lookup_load(path):
    """Load LSOA -> district from the ONS lookup, keeping only the LSOAs of the districts
    configured here: (added, updated). Safe to repeat."""
    areas = {area.ons_code: area for area in Area.objects.all()}
    wanted = {
        row["LSOA11CD"]: (row["LSOA11NM"], areas[row["LAD19CD"]])
        for row in read_lookup(path, LSOA_COLUMNS)
        if row["LAD19CD"] in areas
    }
    with transaction.atomic():
        existing = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=wanted)}
        new, changed = [], []
        for code, (name, area) in wanted.items():
            lsoa = existing.get(code)
            if lsoa is None:
                new.append(Lsoa(code=code, name=name, area=area))
            elif (lsoa.name, lsoa.area_id) != (name, area.pk):
                lsoa.name, lsoa.area = name, area
                changed.append(lsoa)
        Lsoa.objects.bulk_create(new, batch_size=1000)
        Lsoa.objects.bulk_update(changed, ["name", "area"], batch_size=1000)
    return len(new), len(changed)
