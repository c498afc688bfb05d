"""Form posts and API payloads as a user would send them."""

import datetime

from geography.models import Area, Force
from tests.factories.seizures import drug


def warwickshire():
    return Force.objects.get(name="Warwickshire")


def rugby():
    return Area.objects.get(name="Rugby")


def seizure_form(*, items=(("cocaine", "5", "g"),), seized_on=datetime.date(2025, 6, 1), **fields):
    data = {
        "reference": "WK-S-1",
        "seized_on_0": str(seized_on.day),
        "seized_on_1": str(seized_on.month),
        "seized_on_2": str(seized_on.year),
        "force": str(warwickshire().pk),
        "area": str(rugby().pk),
        "place": "Vehicle stop",
        "postcode": "",
        "warrant_reference": "",
        "notes": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
    }
    for number, (code, quantity, unit) in enumerate(items):
        data[f"items-{number}-drug"] = str(drug(code).pk) if code else ""
        data[f"items-{number}-quantity"] = quantity
        data[f"items-{number}-unit"] = unit
    data.update({key: str(value) for key, value in fields.items()})
    return data


def seizure_payload(*, items=(("cocaine", "5", "g"),), **fields):
    return {
        "reference": "WK-S-1",
        "seized_on": "2025-06-01",
        "force": warwickshire().pk,
        "area": rugby().pk,
        "place": "Vehicle stop",
        "items": [{"drug": code, "quantity": quantity, "unit": unit} for code, quantity, unit in items],
        **fields,
    }


def warrant_form(
    *, applied=None, issued=datetime.date(2025, 5, 2), executed=datetime.date(2025, 5, 6), **fields
):
    data = {
        "reference": "WK-W-1",
        "force": str(warwickshire().pk),
        "area": str(rugby().pk),
        "result": "drugs_found",
        "arrests": "1",
        "notes": "",
    }
    for name, day in (("applied_on", applied), ("issued_on", issued), ("executed_on", executed)):
        for part, value in enumerate((day.day, day.month, day.year) if day else ("", "", "")):
            data[f"{name}_{part}"] = str(value)
    data.update({key: str(value) for key, value in fields.items()})
    return data


def warrant_payload(**fields):
    return {
        "reference": "WK-W-1",
        "force": warwickshire().pk,
        "area": rugby().pk,
        "issued_on": "2025-05-02",
        "executed_on": "2025-05-06",
        "result": "drugs_found",
        "arrests": 1,
        **fields,
    }
