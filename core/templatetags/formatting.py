from decimal import Decimal

from django import template

register = template.Library()


def format_pence(pence):
    """12345 -> '£123.45'; money is stored in whole pence, never as a float."""
    if pence is None:
        return "–"
    sign = "-" if pence < 0 else ""
    pounds, remainder = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}.{remainder:02d}"


@register.filter
def pounds(pence):
    return format_pence(pence)


@register.filter
def quantity(value):
    """A Decimal without trailing zeros: Decimal('12.500') -> '12.5'."""
    if value is None:
        return "–"
    value = Decimal(value)
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_total(value):
    """A total read beside a dashboard figure: every digit kept, thousands grouped
    (Decimal('12345.6700') -> '12,345.67'). Cells and exports keep `quantity`, ungrouped."""
    if value is None:
        return "–"
    whole, _, fraction = quantity(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{sign}{int(whole.lstrip('-')):,}"
    return f"{grouped}.{fraction}" if fraction else grouped
