import datetime
from decimal import Decimal

import pytest

from core.exports import neutralise_formula
from core.periods import financial_quarter, financial_year, financial_year_of
from core.templatetags.formatting import format_pence, format_total, quantity


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2025, 3, 31), 2024),
        (datetime.date(2025, 4, 1), 2025),
        (datetime.date(2026, 1, 15), 2025),
    ],
)
def test_financial_years_run_from_april_to_march(day, year):
    assert financial_year_of(day) == year
    assert day in financial_year(year)


def test_financial_year_label_and_length():
    year = financial_year(2023)

    assert year.label == "2023-24"
    assert (year.start, year.end) == (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    assert year.days == 366  # includes 29 February 2024
    assert len(list(year.months())) == 12


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
        (2, datetime.date(2025, 7, 1), datetime.date(2025, 9, 30)),
        (3, datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (4, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ],
)
def test_quarters_of_a_financial_year(quarter, start, end):
    period = financial_quarter(2025, quarter)

    assert (period.start, period.end) == (start, end)
    assert period.label == f"2025-26 Q{quarter}"


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        financial_quarter(2025, 5)


def test_year_earlier_keeps_the_season_and_survives_leap_days():
    period = financial_quarter(2024, 4).year_earlier()

    assert (period.start, period.end) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    leap = financial_year(2023).year_earlier()
    assert leap.end == datetime.date(2023, 3, 31)


@pytest.mark.parametrize(
    ("pence", "shown"),
    [(0, "£0.00"), (5, "£0.05"), (123456789, "£1,234,567.89"), (-250, "-£2.50"), (None, "–")],
)
def test_money_is_shown_in_pounds_from_whole_pence(pence, shown):
    assert format_pence(pence) == shown


def test_quantities_drop_trailing_zeros():
    assert quantity(Decimal("12.500")) == "12.5"
    assert quantity(Decimal("40.000")) == "40"
    assert quantity(None) == "–"


def test_totals_group_thousands_and_keep_every_digit():
    assert format_total(Decimal("12345.6700")) == "12,345.67"
    assert format_total(Decimal("-1234")) == "-1,234"
    assert format_total(Decimal("0.007000")) == "0.007"
    assert format_total(480) == "480"
    assert format_total(None) == "–"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_spreadsheets_would_run_are_made_text(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Rugby", "SZ-2025-001", 42, None, Decimal("1.5")])
def test_ordinary_cells_are_unchanged(value):
    assert neutralise_formula(value) == value


def test_error_summary_links_reach_the_first_input_of_radios_checkboxes_and_date_parts():
    from django import forms

    from core.templatetags.form_errors import first_input_id

    class Form(forms.Form):
        text = forms.CharField()
        radios = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
        boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
        parts = forms.DateField(widget=forms.MultiWidget([forms.TextInput(), forms.TextInput()]))

    form = Form()

    # As the GOV.UK templates number them: radios and checkboxes from 1, a date's parts from 0.
    assert [first_input_id(form[name]) for name in ("text", "radios", "boxes", "parts")] == [
        "id_text",
        "id_radios_1",
        "id_boxes_1",
        "id_parts_0",
    ]
