"""Field rules shared by seizures and warrants."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# Royal Mail format: outward code (area, district) and inward code (sector, unit); GIR 0AA is
# the one historic exception.
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$")


def normalise_postcode(value):
    """' cv21 2dp ' -> 'CV21 2DP'; raises ValidationError when it is not a UK postcode."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    if not compact:
        return ""
    if not UK_POSTCODE.match(compact):
        raise ValidationError("Enter a full UK postcode, like CV34 4RL", code="invalid_postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def today():
    # The service's own time zone (no view activates another): asking for the active one
    # costs a context-variable lookup per call, which an import of 100,000 rows notices.
    return timezone.localdate(timezone=timezone.get_default_timezone())


def not_in_future(day, what):
    if day is not None and day > today():
        return f"{what} must be today or in the past"
    return None


def area_outside_force(area, force):
    if area is not None and force is not None and area.force_id != force.pk:
        return f"{area} is not in {force}'s area"
    return None
