from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

RAG_TAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
    "none": "govuk-tag--grey",
}


def format_indicator_value(value, indicator):
    """A stored figure in the indicator's display unit: pence as pounds, grams as kg, shares as %."""
    if value is None:
        return "–"
    if indicator.is_ratio:
        return f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    shown = Decimal(value) / (indicator.display_divisor or 1)
    if indicator.display_unit == "£":
        return f"£{shown.quantize(Decimal('1'), ROUND_HALF_UP):,}"
    places = Decimal("1") if shown == shown.to_integral_value() or abs(shown) >= 100 else Decimal("0.1")
    text = f"{shown.quantize(places, ROUND_HALF_UP):,}"
    unit = indicator.display_unit
    if shown == 1 and unit.endswith("s"):
        unit = unit[:-1]  # 1 seizure, 1 warrant, 1 plant
    return f"{text} {unit}".strip()


@register.simple_tag
def indicator_value(value, indicator):
    return format_indicator_value(value, indicator)


def format_indicator_target(value, indicator):
    """A target (or the share of it due) as people set it: whole where what is counted is whole
    (3.3 sites due is shown as 3)."""
    if value is not None and indicator.whole_units:
        value = (Decimal(value) / (indicator.display_divisor or 1)).quantize(Decimal("1"), ROUND_HALF_UP) * (
            indicator.display_divisor or 1
        )
    return format_indicator_value(value, indicator)


@register.simple_tag
def indicator_target(value, indicator):
    return format_indicator_target(value, indicator)


@register.filter
def rag_class(status):
    return RAG_TAG_CLASSES.get(status, "govuk-tag--grey")


@register.filter
def signed_percent(value, compared_with="a year earlier"):
    if value is None:
        return f"no figure {compared_with}"
    value = Decimal(value).quantize(Decimal("1"), ROUND_HALF_UP)
    if value > 0:
        return f"up {value}% on {compared_with}"
    if value < 0:
        return f"down {-value}% on {compared_with}"
    return f"the same as {compared_with}"
