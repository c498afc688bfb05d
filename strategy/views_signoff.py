"""Quarter sign-off pages: the quarters of the strategy and their state, one quarter's history,
figures and changes since sign-off, the commentary, and the performance pack (HTML and PDF)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.views import report_validation_error
from geography.models import Force

from . import signoff
from .figures import figures_through, overview_cards
from .forms import BulkQuartersForm, CommentaryForm, PackSubscriptionForm, PolicyForm, ReopenForm
from .models import Commentary, Indicator, PackSubscription
from .pack import pack_for, render_pdf, strategy_for
from .scopes import Scope
from .selectors import current_strategy, freshness, indicators_of
from .signoff import quarter_key, quarter_url, scope_code

VIEW_DASHBOARDS = "strategy.view_indicator"
PREPARE = "strategy.prepare_quarter"
SIGN_OFF = "strategy.sign_off_quarter"
REOPEN = "strategy.reopen_quarter"
WRITE_COMMENTARY = "strategy.change_commentary"
SET_POLICY = "strategy.change_signoffpolicy"
SUBSCRIBE = "strategy.add_packsubscription"


def _force_from_code(code):
    if code == "alliance":
        return None
    return get_object_or_404(Force, ons_code=code, in_alliance=True)


def _quarter(year, number):
    try:
        return signoff.quarter_from(year, number)
    except ValidationError as invalid:
        raise Http404("No such quarter") from invalid


def _forces():
    return list(Force.objects.filter(in_alliance=True).order_by("name"))


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def quarters(request):
    """Every ended quarter of the strategy for the alliance or a force, with its state; several
    may be marked ready, or signed off, at once."""
    today = timezone.localdate()
    code = request.GET.get("scope") or request.POST.get("scope") or "alliance"
    force = _force_from_code(code)
    strategy = current_strategy(today)
    rows = signoff.quarters_of(strategy, force, today)
    form = BulkQuartersForm(request.POST or None, quarters=[quarter for quarter, _ in rows])
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        if not request.user.has_perm(PREPARE if action == "ready" else SIGN_OFF):
            raise PermissionDenied
        bulk = signoff.quarters_mark_ready_bulk if action == "ready" else signoff.quarters_sign_off_bulk
        for outcome in bulk(quarters=form.chosen(), force=force, user=request.user, today=today):
            report = messages.success if outcome.signed_off else messages.error
            report(request, f"{outcome.quarter.label}: {outcome.message}")
        return redirect(f"{reverse('strategy:quarters')}?scope={code}")
    policy = signoff.policy_of(force) if force is not None else None
    return render(
        request,
        "strategy/quarters.html",
        {
            "strategy": strategy,
            "force": force,
            "code": code,
            "forces": _forces(),
            "rows": [(quarter, state, quarter_url("quarter", quarter, force)) for quarter, state in rows],
            "form": form,
            "policy_form": PolicyForm(initial={"changes_after_sign_off": policy}) if force else None,
            "policy": policy,
            "through": figures_through(),
            "freshness": freshness(),
        },
    )


@permission_required(SET_POLICY, raise_exception=True)
@require_POST
def policy(request, scope_code):
    force = _force_from_code(scope_code)
    if force is None:
        raise Http404("The alliance's forces each choose for themselves")
    form = PolicyForm(request.POST)
    if form.is_valid():
        signoff.policy_set(force=force, mode=form.cleaned_data["changes_after_sign_off"], user=request.user)
        messages.success(request, f"{force}: changes after sign-off are now {signoff.policy_label(force)}.")
    else:
        messages.error(request, "Choose what a change after sign-off does")
    return redirect(f"{reverse('strategy:quarters')}?scope={scope_code}")


def _detail_context(request, quarter, force):
    today = timezone.localdate()
    scope = Scope.of(force=force)
    strategy = strategy_for(quarter, today)
    indicators = list(indicators_of(strategy)) if strategy else []
    state = signoff.sign_off_of(quarter, force)
    published = signoff.published_for(quarter, scope)
    through = figures_through()
    cards = overview_cards(indicators, period=quarter, scope=scope, through=through)
    published_figures = published.figures(indicators) if published else {}
    commentaries = {
        c.indicator_id: c
        for c in Commentary.objects.filter(start=quarter.start, force=force, indicator__in=indicators)
    }
    rows = [
        {
            "card": card,
            "published": published_figures.get(card.indicator.pk),
            "commentary": commentaries.get(card.indicator.pk),
            "commentary_url": quarter_url("commentary", quarter, force, card.indicator.slug),
        }
        for card in cards
    ]
    return {
        "quarter": quarter,
        "force": force,
        "scope": scope,
        "code": scope_code(force),
        "state": state,
        "history": signoff.history_of(state) if state else [],
        "published": published,
        "changes_count": published.changes().count() if published else 0,
        "rows": rows,
        "through": through,
        "freshness": freshness(),
        "reopen_form": ReopenForm(),
        "urls": {
            name: quarter_url(name, quarter, force)
            for name in (
                "quarter",
                "quarter_ready",
                "quarter_sign_off",
                "quarter_reopen",
                "quarter_changes",
                "pack",
                "pack_pdf",
            )
        },
        "dashboard_query": _dashboard_query(quarter, force),
    }


def _dashboard_query(quarter, force):
    year, number = quarter_key(quarter)
    query = f"period=quarter&year={year}&quarter={number}"
    return f"{query}&force={force.pk}" if force else query


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def quarter_detail(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    return render(request, "strategy/quarter_detail.html", _detail_context(request, quarter, force))


def _act(request, scope_code, year, number, service, done, **extra):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    try:
        service(quarter=quarter, force=force, user=request.user, **extra)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, done(quarter))
    return redirect(quarter_url("quarter", quarter, force))


@permission_required(PREPARE, raise_exception=True)
@require_POST
def quarter_ready(request, scope_code, year, number):
    return _act(
        request,
        scope_code,
        year,
        number,
        signoff.quarter_mark_ready,
        lambda quarter: f"{quarter.label} is marked ready: a manager can now sign it off.",
    )


@permission_required(SIGN_OFF, raise_exception=True)
@require_POST
def quarter_sign_off(request, scope_code, year, number):
    return _act(
        request,
        scope_code,
        year,
        number,
        signoff.quarter_sign_off,
        lambda quarter: f"{quarter.label} is signed off: its figures are published as they stand.",
    )


@permission_required(REOPEN, raise_exception=True)
def quarter_reopen(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signoff.quarter_reopen(
                quarter=quarter, force=force, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as refused:
            report_validation_error(form, refused)
        else:
            messages.success(request, f"{quarter.label} is reopened: records dated in it may be changed.")
            return redirect(quarter_url("quarter", quarter, force))
    context = _detail_context(request, quarter, force)
    context["reopen_form"] = form
    return render(request, "strategy/quarter_reopen.html", context, status=400 if form.errors else 200)


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def quarter_changes(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    published = signoff.published_for(quarter, Scope.of(force=force))
    changes = list(published.changes()[:500]) if published else []
    return render(
        request,
        "strategy/quarter_changes.html",
        {
            "quarter": quarter,
            "force": force,
            "scope": Scope.of(force=force),
            "published": published,
            "changes": changes,
            "total": published.changes().count() if published else 0,
            "quarter_url": quarter_url("quarter", quarter, force),
        },
    )


@permission_required(WRITE_COMMENTARY, raise_exception=True)
def commentary(request, scope_code, year, number, slug):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    indicator = get_object_or_404(Indicator, slug=slug)
    existing = Commentary.objects.filter(indicator=indicator, start=quarter.start, force=force).first()
    form = CommentaryForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            signoff.commentary_write(
                indicator=indicator,
                quarter=quarter,
                force=force,
                user=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as refused:
            report_validation_error(form, refused)
        else:
            messages.success(request, f"The commentary on {indicator.title} for {quarter.label} is saved.")
            return redirect(quarter_url("quarter", quarter, force))
    return render(
        request,
        "strategy/commentary.html",
        {
            "quarter": quarter,
            "force": force,
            "scope": Scope.of(force=force),
            "indicator": indicator,
            "form": form,
            "existing": existing,
            "quarter_url": quarter_url("quarter", quarter, force),
        },
        status=400 if form.errors else 200,
    )


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def pack(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    the_pack = pack_for(quarter, force, today=timezone.localdate())
    subscription = PackSubscription.objects.filter(user=request.user, force=force).first()
    return render(
        request,
        "strategy/pack.html",
        {
            "pack": the_pack,
            "pdf_url": quarter_url("pack_pdf", quarter, force),
            "quarter_url": quarter_url("quarter", quarter, force),
            "subscribe_url": quarter_url("pack_subscription", quarter, force),
            "subscription_form": PackSubscriptionForm(
                initial={"frequency": subscription.frequency if subscription else "never"}
            ),
        },
    )


@permission_required(VIEW_DASHBOARDS, raise_exception=True)
def pack_pdf(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    the_pack = pack_for(quarter, force, today=timezone.localdate())
    response = HttpResponse(render_pdf(the_pack, site_url=settings.SITE_URL), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{the_pack.filename}"'
    return response


@permission_required(SUBSCRIBE, raise_exception=True)
@require_POST
def pack_subscription(request, scope_code, year, number):
    quarter, force = _quarter(year, number), _force_from_code(scope_code)
    form = PackSubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often to get the pack, or never")
    else:
        frequency = form.cleaned_data["frequency"]
        signoff.pack_subscription_set(user=request.user, force=force, frequency=frequency)
        if frequency == "never":
            messages.success(request, "You will no longer get this pack by email.")
        elif not request.user.email:
            messages.warning(
                request, "Saved, but your account has no email address: ask an administrator to add one."
            )
        else:
            messages.success(request, f"The pack will be emailed to {request.user.email}.")
    return redirect(quarter_url("pack", quarter, force))
