"""The Home Office annual seizure return: a page to read it and its CSV in the return's layout."""

import csv

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.exports import neutralise_formula
from core.periods import financial_year, financial_year_of
from geography.models import Force

from .returns import COLUMNS, csv_rows, home_office_return

FIRST_YEAR = 2009  # the Home Office's published seizure tables start with 2009-10


class ReturnForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Financial year", coerce=int, error_messages={"required": "Choose a year"}
    )
    force = forms.ModelChoiceField(
        label="Force",
        queryset=Force.objects.filter(in_alliance=True).order_by("name"),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the alliance's forces"},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        last = financial_year_of(today)
        self.fields["year"].choices = [
            (year, financial_year(year).label) for year in range(last, FIRST_YEAR - 1, -1)
        ]
        self.fields["year"].error_messages["invalid_choice"] = (
            f"Choose a financial year from {financial_year(FIRST_YEAR).label} to {financial_year(last).label}"
        )


@permission_required("seizures.view_seizure", raise_exception=True)
def home_office_return_view(request):
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(financial_year_of(today) - 1))  # the last complete year
    if "force" not in data and (first := Force.objects.filter(in_alliance=True).order_by("name").first()):
        data["force"] = str(first.pk)
    form = ReturnForm(data, today=today)
    if not form.is_valid():
        return render(request, "seizures/home_office_return.html", {"form": form}, status=400)
    the_return = home_office_return(year=form.cleaned_data["year"], force=form.cleaned_data["force"])
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        place = the_return.force.name.lower().replace(" ", "-")
        name = f"home-office-seizure-return-{the_return.period.label}-{place}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        writer = csv.writer(response)
        writer.writerow(COLUMNS)
        for row in csv_rows(the_return):
            writer.writerow([neutralise_formula(str(value)) for value in row])
        return response
    query = request.GET.copy()
    query["format"] = "csv"
    query["year"], query["force"] = the_return.year, the_return.force.pk
    return render(
        request,
        "seizures/home_office_return.html",
        {"form": form, "return": the_return, "csv_query": query.urlencode()},
    )
