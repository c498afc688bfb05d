"""The alliance compared with every force or partnership (funnel plots), and on a map."""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from core import comparisons as national_comparisons
from core import funnel

from . import figures, national
from .models import Indicator
from .selectors import freshness
from .views import VIEW_DASHBOARDS, _filters


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Year", required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        self.fields["period"].choices = [(period.label, period.label) for period in periods]
        self.fields["period"].error_messages["invalid_choice"] = "Choose a year from the list"

    def selected(self):
        """The chosen year, or the newest when none (or one not in the list) was chosen."""
        chosen = self.cleaned_data.get("period") if self.is_valid() else None
        return next((period for period in self.periods if period.label == chosen), self.periods[0])


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def comparison_index(request):
    return render(
        request,
        "strategy/compare_index.html",
        {"comparisons": sorted(national_comparisons.all_comparisons().values(), key=lambda c: c.title)},
    )


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def comparison_detail(request, slug):
    try:
        comparison = national_comparisons.get(slug)
    except KeyError:
        raise Http404("No such comparison") from None
    periods = comparison.periods()
    if not periods:
        return render(request, "strategy/compare.html", {"comparison": comparison, "plot": None})
    form = PeriodForm(request.GET or None, periods=periods)
    period = form.selected()
    plot = national.funnel_of(comparison, period)
    through = figures.figures_through()
    indicators = [
        indicator
        for indicator in Indicator.objects.select_related("goal__strategy").order_by("title")
        if comparison.matches(indicator.metric, indicator.dimension, indicator.dimension_value)
        and not indicator.is_ratio
    ]
    return render(
        request,
        "strategy/compare.html",
        {
            "comparison": comparison,
            "form": form,
            "period": period,
            "plot": plot,
            "trend": national.trend_of(comparison),
            "own": national.own_figures(comparison, period, plot["rows"], through=through) if plot else None,
            "indicators": indicators,
            "chart": _funnel_chart(comparison, plot) if plot else None,
            "freshness": freshness(),
            "levels": funnel.LEVELS,
        },
    )


def _funnel_chart(comparison, plot):
    """What the funnel chart draws (handed over as JSON: the page's CSP allows no inline script)."""
    return {
        "measure": comparison.measure,
        "nationalLabel": comparison.national_label,
        "nationalRate": float(plot["national_rate"]),
        "lines": plot["lines"],
        "peers": [
            {
                "name": row.peer.name,
                "population": row.peer.population,
                "rate": float(row.rate),
                "count": row.peer.count,
                "alliance": row.in_alliance,
                "verdict": row.verdict.words,
            }
            for row in plot["plotted"]
        ],
    }


MEASURES = {"count": "Number", "rate": "Per 1,000 residents"}


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def indicator_map(request, slug):
    indicator = get_object_or_404(Indicator.objects.select_related("goal__strategy"), slug=slug)
    form, period, scope, today = _filters(request, indicator.goal.strategy)
    rates = national.shows_rates(indicator)
    measure = request.GET.get("measure", "count")
    if measure not in MEASURES or (measure == "rate" and not rates):
        measure = "count"
    through = figures.figures_through()
    shown = national.district_map(indicator, period=period, scope=scope, through=through, measure=measure)
    query = request.GET.copy()
    query.pop("measure", None)
    return render(
        request,
        "strategy/indicator_map.html",
        {
            "indicator": indicator,
            "form": form,
            "period": period,
            "scope": scope,
            "measure": measure,
            "measures": MEASURES if rates else {"count": MEASURES["count"]},
            "rates": rates,
            "query": query.urlencode(),
            "freshness": freshness(),
            "through": through,
            **shown,
            "chart": {
                "measure": MEASURES[measure],
                "districts": [
                    {
                        "code": row["area"].ons_code,
                        "name": row["area"].name,
                        "value": None if row["shown"] is None else float(row["shown"]),
                        "colour": row["band"]["colour"],
                        "url": row["records_url"],
                    }
                    for row in shown["rows"]
                ],
            },
        },
    )
