"""The quarterly performance pack: for a quarter and a force (or the alliance), every indicator's
figure, target, RAG, trend, the same quarter a year earlier, the forecast to the end of the
financial year and the analyst's commentary, with the exceptions (off track) first. The figure
is the published one when the quarter is signed off, today's otherwise, and the pack says which.
"""

from dataclasses import dataclass

from core.periods import financial_year, financial_year_of

from . import rag
from .charts import trend_svg
from .facts import FactTable, add_months, month_end, month_period, month_start
from .figures import assess, comparison, figures_through, forecast_to, overview_cards, to_date
from .models import Commentary, Strategy
from .scopes import Scope
from .selectors import current_strategy, indicators_of
from .signoff import published_for, sign_off_of
from .templatetags.dashboard import format_indicator_target, format_indicator_value

TREND_MONTHS = 12


@dataclass
class PackRow:
    indicator: object
    figure: object
    today: object
    owed: object
    assessment: object
    previous: object
    change: object
    compared_with: object
    forecast: object
    year: object
    trend: list  # (month, figure, the same month a year earlier)
    chart: str
    commentary: object

    @property
    def figure_text(self):
        return format_indicator_value(self.figure, self.indicator)

    @property
    def today_text(self):
        return format_indicator_value(self.today, self.indicator)

    @property
    def target_text(self):
        if self.owed.value is None:
            return "No target"
        return format_indicator_target(self.owed.value, self.indicator)

    @property
    def previous_text(self):
        return format_indicator_value(self.previous, self.indicator)

    @property
    def changed_since_published(self):
        return self.today != self.figure


@dataclass
class Pack:
    quarter: object
    scope: object
    strategy: object
    window: object
    through: object
    published: object
    sign_off: object
    rows: list

    @property
    def exceptions(self):
        return [row for row in self.rows if row.assessment.status == rag.RED]

    @property
    def at_risk(self):
        return [row for row in self.rows if row.assessment.status == rag.AMBER]

    @property
    def title(self):
        return f"Quarterly performance pack: {self.scope.label}, {self.quarter.label}"

    @property
    def filename(self):
        place = self.scope.force.ons_code if self.scope.force else "alliance"
        return f"performance-pack-{self.quarter.label.replace(' ', '-').lower()}-{place}.pdf"


def strategy_for(quarter, today):
    return Strategy.objects.filter(start__lte=quarter.start, end__gte=quarter.start).order_by(
        "-start"
    ).first() or current_strategy(today)


def pack_for(quarter, force, *, today):
    """The pack of `quarter` for `force` (None: the alliance), from the facts only."""
    scope = Scope.of(force=force)
    strategy = strategy_for(quarter, today)
    indicators = list(indicators_of(strategy)) if strategy else []
    through = figures_through()
    window = to_date(quarter, through)
    published = published_for(quarter, scope)
    published_figures = published.figures(indicators) if published else {}
    cards = {
        card.indicator.pk: card
        for card in overview_cards(indicators, period=quarter, scope=scope, through=through)
    }
    year = financial_year(financial_year_of(quarter.start))
    year_window = to_date(year, through)
    last = month_start(window.end) if window else month_start(quarter.end)
    trend_months = [add_months(last, -offset) for offset in range(TREND_MONTHS - 1, -1, -1)]
    facts = FactTable(
        indicators,
        first_month=min(add_months(trend_months[0], -12), add_months(last, -12)),
        last_month=max(last, month_start(year.end)),
        scope=scope,
        through=through,
    )
    commentaries = {
        c.indicator_id: c
        for c in Commentary.objects.filter(
            indicator__in=indicators, start=quarter.start, force=force
        ).select_related("written_by")
    }
    rows = []
    for indicator in indicators:
        card = cards[indicator.pk]
        figure = published_figures.get(indicator.pk, card.figure) if published else card.figure
        trend = [
            (
                month,
                facts.figure(indicator, _month_to(month, through)),
                facts.figure(indicator, month_period(add_months(month, -12))),
            )
            for month in trend_months
        ]
        rows.append(
            PackRow(
                indicator=indicator,
                figure=figure,
                today=card.figure,
                owed=card.owed,
                assessment=assess(indicator, figure, card.owed, window) if published else card.assessment,
                previous=card.previous,
                change=rag.change_percent(figure, card.previous),
                compared_with=comparison(quarter, window) if window else None,
                forecast=forecast_to(indicator, facts, year, year_window, through) if year_window else None,
                year=year,
                trend=trend,
                chart=trend_svg(indicator, trend),
                commentary=commentaries.get(indicator.pk),
            )
        )
    return Pack(
        quarter=quarter,
        scope=scope,
        strategy=strategy,
        window=window,
        through=through,
        published=published,
        sign_off=sign_off_of(quarter, force),
        rows=rows,
    )


def _month_to(month, through):
    if through is None or through < month:
        return None
    return month_period(month, min(month_end(month), through))


def render_pdf(pack, *, site_url=""):
    """The pack as a PDF (WeasyPrint renders the print template; charts are inline SVG)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("strategy/pack_pdf.html", {"pack": pack, "site_url": site_url})
    return HTML(string=html).write_pdf()
