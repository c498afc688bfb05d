"""Referral pages. Every one reads through `Referral.objects.visible_to(user)`: a referral the
user may not see is a 404, whatever the page."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.history import history_of
from core.views import FilteredTableView

from . import selectors, services
from .choices import STATUS_TAG_COLOURS
from .filters import ReferralFilter
from .forms import ReferralForm, StatusChangeForm
from .models import IDENTIFYING_FIELDS, Referral
from .tables import AllReferralsTable, ReferralTable
from .workflow import moves_for

SESSION_TOKENS = "partners.submission_tokens"
SESSION_DRAFTS = "partners.referral_drafts"
KEPT_TOKENS = 20  # a user with several tabs open keeps each form usable


class ReferralListView(PermissionRequiredMixin, FilteredTableView):
    permission_required = "partners.view_referral"
    raise_exception = True
    filterset_class = ReferralFilter
    template_name = "partners/referral_list.html"
    export_name = "referrals"

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user)

    def get_table_class(self):
        return AllReferralsTable if selectors.shows_repeat_flag(self.request.user) else ReferralTable


def _referral_or_404(request, pk):
    referral = selectors.referral_for(user=request.user, pk=pk)
    if referral is None:
        raise Http404("No referral found")
    return referral


def detail_rows(user, referral):
    rows = [
        ("Reference", referral.reference),
        ("Pathway", referral.get_pathway_display()),
    ]
    if referral.dip_test_result:
        rows.append(("Result of the test on arrest", referral.get_dip_test_result_display()))
    rows += [
        ("Date of referral", f"{referral.referral_date:%-d %B %Y}"),
        ("Submitted by", f"{referral.submitting_agency} ({referral.submitted_by})"),
        ("Referred to", referral.receiving_agency),
        ("District", f"{referral.area} ({referral.area.force})"),
    ]
    if selectors.shows_identifiers(user, referral):
        rows += [
            ("Initials", f"{referral.subject_first_initial}{referral.subject_surname_initial}"),
            ("Date of birth", f"{referral.subject_date_of_birth:%-d %B %Y}"),
        ]
    elif referral.identifiers_cleared:
        rows.append(("Initials and date of birth", "Cleared under the retention rule"))
    rows += [
        ("Age at referral", referral.get_age_band_display()),
        ("Sex", referral.get_subject_sex_display()),
        ("Substances", ", ".join(referral.substance_labels())),
        ("Reason for referral", referral.notes or None),
        ("Consent recorded", "Yes" if referral.consent_recorded else "No"),
    ]
    if referral.entered_treatment_on:
        rows.append(("Entered treatment", f"{referral.entered_treatment_on:%-d %B %Y}"))
    if selectors.shows_repeat_flag(user):
        rows.append(
            (
                "Possible repeat",
                "Yes – this person has another referral" if referral.possible_repeat else "No",
            )
        )
    return rows


@permission_required("partners.view_referral", raise_exception=True)
def referral_detail(request, pk):
    referral = _referral_or_404(request, pk)
    hidden = () if selectors.shows_identifiers(request.user, referral) else IDENTIFYING_FIELDS
    return render(
        request,
        "partners/referral_detail.html",
        {
            "referral": referral,
            "rows": detail_rows(request.user, referral),
            "status_colour": STATUS_TAG_COLOURS.get(referral.status, ""),
            "transitions": referral.transitions.select_related("by", "by_agency").order_by("-at", "-id"),
            "moves": moves_for(request.user, referral),
            "can_edit": services.can_edit(request.user, referral),
            "history": history_of(referral, hidden_fields=hidden),
        },
    )


def _may_submit(user):
    if user.agency_id is None or not user.has_perm("partners.add_referral"):
        raise PermissionDenied("Only members of a partner agency can submit referrals")


def _issue_token(request):
    token = str(uuid.uuid4())
    tokens = [*request.session.get(SESSION_TOKENS, []), token][-KEPT_TOKENS:]
    request.session[SESSION_TOKENS] = tokens
    return token


def _forget(request, token):
    request.session[SESSION_TOKENS] = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]
    drafts = request.session.get(SESSION_DRAFTS, {})
    drafts.pop(token, None)
    request.session[SESSION_DRAFTS] = drafts


def _draft_form(request, token):
    draft = request.session.get(SESSION_DRAFTS, {}).get(token)
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in draft.items():
        data.setlist(key, values)
    return ReferralForm(data=data)


def _already_submitted(request, token):
    referral = Referral.objects.visible_to(request.user).filter(submission_key=token).first()
    return redirect("partners:referral_submitted", pk=referral.pk) if referral else None


@require_http_methods(["GET", "POST"])
def referral_new(request):
    _may_submit(request.user)
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        if token not in request.session.get(SESSION_TOKENS, []):
            try:
                done = _already_submitted(request, uuid.UUID(token))
            except ValueError:
                done = None
            if done:
                return done
            messages.error(request, "This form has expired. Start the referral again")
            return redirect("partners:referral_new")
        form = ReferralForm(data=request.POST)
        if form.is_valid():
            drafts = request.session.get(SESSION_DRAFTS, {})
            drafts[token] = {
                key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"
            }
            request.session[SESSION_DRAFTS] = drafts
            return redirect("partners:referral_check", token=token)
    else:
        token = request.GET.get("draft", "")
        form = _draft_form(request, token) if token in request.session.get(SESSION_TOKENS, []) else None
        if form is None:
            token = _issue_token(request)
            form = ReferralForm(initial={"referral_date": timezone.localdate()})
    return render(request, "partners/referral_form.html", {"form": form, "token": token, "editing": False})


@require_http_methods(["GET", "POST"])
def referral_check(request, token):
    _may_submit(request.user)
    done = _already_submitted(request, token)
    if done:
        return done
    token = str(token)
    form = _draft_form(request, token) if token in request.session.get(SESSION_TOKENS, []) else None
    if form is None:
        messages.error(request, "Your answers have expired. Start the referral again")
        return redirect("partners:referral_new")
    if not form.is_valid():
        return render(
            request, "partners/referral_form.html", {"form": form, "token": token, "editing": False}
        )
    if request.method == "POST":
        try:
            referral = services.referral_submit(
                user=request.user, submission_key=uuid.UUID(token), **form.service_fields()
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
            return render(
                request, "partners/referral_form.html", {"form": form, "token": token, "editing": False}
            )
        _forget(request, token)
        return redirect("partners:referral_submitted", pk=referral.pk)
    answers = Referral(**form.service_fields())
    return render(
        request,
        "partners/referral_check.html",
        {
            "rows": _check_rows(answers),
            "token": token,
            "change_url": reverse("partners:referral_new") + f"?draft={token}",
        },
    )


def _check_rows(answers):
    rows = [
        ("Pathway", answers.get_pathway_display()),
        ("Result of the test on arrest", answers.get_dip_test_result_display() or None),
        ("Date of referral", f"{answers.referral_date:%-d %B %Y}"),
        ("Referred to", answers.receiving_agency),
        ("District", answers.area),
        ("Initials", f"{answers.subject_first_initial.upper()}{answers.subject_surname_initial.upper()}"),
        ("Date of birth", f"{answers.subject_date_of_birth:%-d %B %Y}"),
        ("Sex", answers.get_subject_sex_display()),
        ("Substances", ", ".join(answers.substance_labels())),
        ("Reason for referral", answers.notes or None),
        ("Consent recorded", "Yes"),
    ]
    return [(label, value) for label, value in rows if value is not None or label == "Reason for referral"]


@permission_required("partners.view_referral", raise_exception=True)
def referral_submitted(request, pk):
    referral = _referral_or_404(request, pk)
    return render(request, "partners/referral_submitted.html", {"referral": referral})


@require_http_methods(["GET", "POST"])
@permission_required("partners.view_referral", raise_exception=True)
def referral_edit(request, pk):
    referral = _referral_or_404(request, pk)
    if not services.can_edit(request.user, referral):
        raise PermissionDenied(
            "Only the agency that submitted a referral can change it, until it is accepted"
        )
    form = ReferralForm(data=request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(referral=referral, user=request.user, **form.service_fields())
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, f"Referral {referral.reference} has been changed")
            return redirect(referral)
    return render(
        request, "partners/referral_form.html", {"form": form, "referral": referral, "editing": True}
    )


@require_http_methods(["GET", "POST"])
@permission_required("partners.view_referral", raise_exception=True)
def referral_status(request, pk):
    referral = _referral_or_404(request, pk)
    moves = moves_for(request.user, referral)
    if request.method == "GET" and not moves:
        raise PermissionDenied("You cannot change this referral's status")
    initial = {"from_status": referral.status, "to_status": request.GET.get("to")}
    form = StatusChangeForm(data=request.POST or None, initial=initial, moves=moves)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_transition(
                referral=referral,
                user=request.user,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
                effective_on=form.cleaned_data["effective_on"],
                expected_from=form.cleaned_data["from_status"],
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(
                request, f"Referral {referral.reference} is now {referral.get_status_display().lower()}"
            )
            return redirect(referral)
    return render(request, "partners/referral_status.html", {"form": form, "referral": referral})
