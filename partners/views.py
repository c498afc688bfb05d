"""Referral pages. Every one reads through `Referral.objects.visible_to(user)`: a referral the
user may not see is a 404, whatever the page."""

import secrets
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import first_input_id
from core.history import history_of
from core.views import FilteredTableView

from . import retention, selectors, services
from .choices import STATUS_TAG_COLOURS
from .filters import ReferralFilter
from .forms import ReferralForm, StatusChangeForm
from .models import IDENTIFYING_FIELDS, Referral
from .tables import AllReferralsTable, ReferralTable
from .workflow import moves_for

SESSION_DRAFTS = "partners.referral_drafts"
KEPT_DRAFTS = 20  # a user with several tabs open keeps each form usable
DRAFT_NONCE_BYTES = 9
DRAFT_SEAL_LENGTH = 20


# Every referral page may show a person's initials and date of birth (or what was typed for
# them): none may be kept by a shared browser or a proxy (never_cache sends no-store).
@method_decorator(never_cache, name="dispatch")
class ReferralListView(PermissionRequiredMixin, FilteredTableView):
    permission_required = "partners.view_referral"
    raise_exception = True
    filterset_class = ReferralFilter
    template_name = "partners/referral_list.html"
    export_name = "referrals"
    counted_in_figures = True

    def get_queryset(self):
        return selectors.referral_list(user=self.request.user)

    def changed_records(self, records, moment):
        return records.filter(pk__in=selectors.referrals_changed_after(moment))

    def get_table_class(self):
        return AllReferralsTable if selectors.shows_repeat_flag(self.request.user) else ReferralTable

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.request.user.agency
        context["to_review"] = (
            retention.referrals_to_review(agency=agency).count() if agency is not None else 0
        )
        return context


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
    if referral.trigger_offence:
        rows.append(("Trigger offence", referral.get_trigger_offence_display()))
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
    if referral.assessed_on:
        rows.append(("Assessment attended", f"{referral.assessed_on:%-d %B %Y}"))
    if referral.entered_treatment_on:
        rows.append(("Entered treatment", f"{referral.entered_treatment_on:%-d %B %Y}"))
    if referral.closed_on:
        rows.append(("Outcome", f"{referral.get_status_display()}, {referral.closed_on:%-d %B %Y}"))
    if selectors.shows_repeat_flag(user):
        rows += journey_rows(referral)
    return rows


def journey_rows(referral):
    """What the person's other referrals say of this one: for those who see every referral."""
    rows = []
    if referral.journey_id:
        rows.append(("Journey", f"Continues the journey begun by {referral.journey.reference}"))
    if referral.journey_assessment:
        rows.append(("Required assessment", referral.get_journey_assessment_display()))
    if referral.journey_entered_treatment_on:
        rows.append(("Journey entered treatment", f"{referral.journey_entered_treatment_on:%-d %B %Y}"))
    if referral.entered_treatment_on:
        rows.append(
            (
                "Counted as an entry into treatment",
                "Yes" if referral.counted_entry else "No – the person was already in treatment",
            )
        )
    if referral.status == "completed":
        rows.append(
            (
                "Re-presented within six months",
                f"Yes, referred again on {referral.represented_on:%-d %B %Y}"
                if referral.represented_on
                else "No",
            )
        )
    rows.append(
        (
            "Possible repeat",
            "Yes – this person has another journey" if referral.possible_repeat else "No",
        )
    )
    return rows


@never_cache
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
            "journey_steps": selectors.journey_of(user=request.user, referral=referral),
            "history": history_of(referral, hidden_fields=hidden),
        },
    )


def _may_submit(user):
    if not services.may_submit(user):
        raise PermissionDenied("Only members of an active partner agency can submit referrals")


# A referral being written is a draft in the user's session: {draft id: {"key": the submission
# key, "answers": the question page's answers, "referral": its id once sent}}. Only the draft id,
# which means nothing outside the session, is ever in a page or a URL; the submission key stays
# on the server.
def _drafts(request):
    return request.session.get(SESSION_DRAFTS, {})


def _save_drafts(request, drafts):
    request.session[SESSION_DRAFTS] = dict(list(drafts.items())[-KEPT_DRAFTS:])


def _new_draft(request):
    """A new draft id for a blank form: a nonce and its seal, a MAC of the nonce under this
    session's key. Nothing is written to the session until the form is sent (`_known_draft`),
    so opening the form costs no session write."""
    nonce = secrets.token_urlsafe(DRAFT_NONCE_BYTES)
    return nonce + _draft_seal(request, nonce)


def _draft_seal(request, nonce):
    return salted_hmac("partners.referral-draft", f"{nonce}:{request.session.session_key}").hexdigest()[
        :DRAFT_SEAL_LENGTH
    ]


def _known_draft(request, draft):
    """True for a draft of this session: one it holds, or one its form page gave out (its seal
    matches this session's), which is then kept, with the submission key it is sent with."""
    if draft in _drafts(request):
        return True
    nonce, seal = draft[:-DRAFT_SEAL_LENGTH], draft[-DRAFT_SEAL_LENGTH:]
    if len(draft) <= DRAFT_SEAL_LENGTH or not constant_time_compare(seal, _draft_seal(request, nonce)):
        return False
    _save_drafts(request, {**_drafts(request), draft: {"key": str(uuid.uuid4())}})
    return True


def _draft_form(request, draft):
    answers = _drafts(request).get(draft, {}).get("answers")
    if answers is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in answers.items():
        data.setlist(key, values)
    return ReferralForm(data=data, agency=request.user.agency)


def _already_sent(request, draft):
    """The confirmation page of the referral this draft became, if it was sent."""
    sent = _drafts(request).get(draft, {})
    if "referral" not in sent:
        return None
    referral = selectors.referral_submitted_with(user=request.user, submission_key=uuid.UUID(sent["key"]))
    return redirect("partners:referral_submitted", pk=referral.pk) if referral else None


def _form_page(request, form, draft):
    return render(request, "partners/referral_form.html", {"form": form, "draft": draft, "editing": False})


@never_cache
@require_http_methods(["GET", "POST"])
def referral_new(request):
    _may_submit(request.user)
    if request.method == "POST":
        draft = request.POST.get("draft", "")
        if not _known_draft(request, draft):
            messages.error(request, "This form has expired. Start the referral again")
            return redirect("partners:referral_new")
        sent = _already_sent(request, draft)
        if sent:
            return sent
        form = ReferralForm(data=request.POST, agency=request.user.agency)
        if form.is_valid():
            drafts = _drafts(request)
            drafts[draft]["answers"] = {
                key: values
                for key, values in request.POST.lists()
                if key not in ("csrfmiddlewaretoken", "draft")
            }
            _save_drafts(request, drafts)
            return redirect("partners:referral_check", draft=draft)
    else:
        draft = request.GET.get("draft", "")
        form = _draft_form(request, draft)
        if form is None:
            draft = _new_draft(request)
            form = ReferralForm(initial={"referral_date": timezone.localdate()}, agency=request.user.agency)
    return _form_page(request, form, draft)


@never_cache
@require_http_methods(["GET", "POST"])
def referral_check(request, draft):
    _may_submit(request.user)
    sent = _already_sent(request, draft)
    if sent:
        return sent
    form = _draft_form(request, draft)
    if form is None:
        messages.error(request, "Your answers have expired. Start the referral again")
        return redirect("partners:referral_new")
    if not form.is_valid():
        return _form_page(request, form, draft)
    if request.method == "POST":
        drafts = _drafts(request)
        try:
            referral = services.referral_submit(
                user=request.user,
                submission_key=uuid.UUID(drafts[draft]["key"]),
                **form.service_fields(),
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
            return _form_page(request, form, draft)
        # The answers go (they hold the person's identifiers); the key stays, so that the same
        # page sent again finds this referral.
        drafts[draft] = {"key": drafts[draft]["key"], "referral": referral.pk}
        _save_drafts(request, drafts)
        return redirect("partners:referral_submitted", pk=referral.pk)
    answers = Referral(**form.service_fields())
    # Each "Change" opens the question page at its own question (its first input); the answers
    # come back filled in, and "Continue" returns here.
    questions = reverse("partners:referral_new") + f"?draft={draft}"
    rows = [
        {"label": label, "value": value, "change_url": f"{questions}#{first_input_id(form[field])}"}
        for label, value, field in _check_rows(answers)
    ]
    return render(request, "partners/referral_check.html", {"rows": rows})


def _check_rows(answers):
    """(label, answer, the question's field) for each answer given; the reason may be blank."""
    rows = [
        ("Pathway", answers.get_pathway_display(), "pathway"),
        ("Result of the test on arrest", answers.get_dip_test_result_display() or None, "dip_test_result"),
        ("Trigger offence", answers.get_trigger_offence_display() or None, "trigger_offence"),
        ("Date of referral", f"{answers.referral_date:%-d %B %Y}", "referral_date"),
        ("Referred to", answers.receiving_agency, "receiving_agency"),
        ("District", answers.area, "area"),
        (
            "Initials",
            f"{answers.subject_first_initial.upper()}{answers.subject_surname_initial.upper()}",
            "subject_first_initial",
        ),
        ("Date of birth", f"{answers.subject_date_of_birth:%-d %B %Y}", "subject_date_of_birth"),
        ("Sex", answers.get_subject_sex_display(), "subject_sex"),
        ("Substances", ", ".join(answers.substance_labels()), "substances"),
        ("Reason for referral", answers.notes or None, "notes"),
        ("Consent recorded", "Yes", "consent_recorded"),
    ]
    return [row for row in rows if row[1] is not None or row[2] == "notes"]


@never_cache
@permission_required("partners.view_referral", raise_exception=True)
def referral_submitted(request, pk):
    referral = _referral_or_404(request, pk)
    return render(request, "partners/referral_submitted.html", {"referral": referral})


@never_cache
@require_http_methods(["GET", "POST"])
@permission_required("partners.view_referral", raise_exception=True)
def referral_edit(request, pk):
    referral = _referral_or_404(request, pk)
    if not services.can_edit(request.user, referral):
        raise PermissionDenied(
            "Only the agency that submitted a referral can change it, until it is accepted"
        )
    form = ReferralForm(data=request.POST or None, instance=referral, agency=request.user.agency)
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


@never_cache
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


@never_cache
@permission_required("partners.change_referral", raise_exception=True)
def referral_review_list(request):
    """The receiving agency's open referrals with no change for REFERRAL_REVIEW_MONTHS: each to
    be closed with what happened, or confirmed still open, before the retention rule clears it."""
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied("Only a partner agency reviews the referrals sent to it")
    referrals = list(retention.referrals_to_review(agency=agency))
    for referral in referrals:
        referral.clears_on = retention.clears_on(referral.last_activity_on)
    return render(
        request,
        "partners/referral_review.html",
        {"referrals": referrals, "review_months": settings.REFERRAL_REVIEW_MONTHS},
    )


@never_cache
@require_POST
@permission_required("partners.change_referral", raise_exception=True)
def referral_confirm_open(request, pk):
    referral = _referral_or_404(request, pk)
    try:
        services.referral_review(referral=referral, user=request.user)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, f"Referral {referral.reference} is confirmed as still open")
    return redirect("partners:referral_review")
