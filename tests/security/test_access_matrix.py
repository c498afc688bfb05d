"""The access-control matrix: every URL pattern × every role → the status a GET answers.

The expected statuses are declared once, in MATRIX below. A URL pattern with no entry makes the
test fail: whoever adds a URL decides, on purpose, who may open it. Detail URLs are exercised
with real records (one of each type), so they show the real rule: Partner B gets 404 on
Partner A's referral, partners get 403 on every supply page, and so on.

Statuses are of the first response (redirects are not followed): 302 for anonymous visitors of a
page (sent to sign in) and for non-staff users of the admin (sent to the admin's sign-in); 401
for anonymous API clients.
"""

import datetime
import logging
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, path

from accounts.models import Agency
from tests.factories import AgencyFactory
from tests.factories.accounts import api_token
from tests.factories.offences import OffenceFactory
from tests.factories.partners import make_referral
from tests.factories.seizures import SeizureFactory, SiteFactory, WarrantFactory, item
from tests.urls import all_url_patterns

ROLES = ("anonymous", "partner_a", "partner_b", "analyst", "manager", "administrator")


def statuses(anonymous, partner_a, partner_b, analyst, manager, administrator):
    return dict(zip(ROLES, (anonymous, partner_a, partner_b, analyst, manager, administrator), strict=True))


# Who may open what. Each role's statuses, in the order of ROLES.
EVERYONE = statuses(200, 200, 200, 200, 200, 200)
SIGNED_IN = statuses(302, 200, 200, 200, 200, 200)
SIGNED_OUT_ONLY = statuses(200, 302, 302, 302, 302, 302)
REDIRECTS = statuses(302, 302, 302, 302, 302, 302)
NO_GET = statuses(302, 405, 405, 405, 405, 405)
# Supply and strategy: analysts, managers and administrators read; partners never.
READ = statuses(302, 403, 403, 200, 200, 200)
# Recording, changing, withdrawing and importing: analysts and administrators.
WRITE = statuses(302, 403, 403, 200, 403, 200)
# Street prices: managers and administrators enter and correct them (they move every £ figure).
PRICES = statuses(302, 403, 403, 403, 200, 200)
# Referrals: partners submit and see their own agency's (Partner B is on neither side of the
# sample referral: 404); analysts, managers and administrators see every referral, pseudonymised.
REFERRAL_READ = statuses(302, 200, 404, 200, 200, 200)
REFERRAL_SUBMIT = statuses(302, 200, 200, 403, 403, 403)
REFERRAL_CHANGE = statuses(302, 200, 404, 403, 403, 403)
# A list download is its requester's alone (the sample one is the analyst's).
OWN_DOWNLOAD = statuses(302, 404, 404, 200, 404, 404)
# The admin: Administrators only; everybody else is sent to the admin's sign-in page.
ADMIN = statuses(302, 302, 302, 302, 302, 200)
ADMIN_REFUSED = statuses(302, 302, 302, 302, 302, 403)  # an Administrator without the permission
ADMIN_SIGN_IN = statuses(200, 200, 200, 200, 200, 302)
# The API answers 401 to anonymous clients: token authentication comes first and asks for a token.
API_READ = statuses(401, 403, 403, 200, 200, 200)
API_EVERY_USER = statuses(401, 200, 200, 200, 200, 200)
API_REFERRAL = statuses(401, 200, 404, 200, 200, 200)
API_POST_ONLY = statuses(401, 403, 403, 405, 405, 405)
API_REFERRAL_POST_ONLY = statuses(401, 405, 405, 405, 405, 405)


def admin_model(prefix, *, add=ADMIN, delete=ADMIN_REFUSED, change=ADMIN, everything=None):
    """The admin's six URLs of one registered model: list, add, history, delete, change, and
    the bare object URL that redirects to the change page. Records are never deleted by users,
    so delete is refused unless said otherwise."""
    if everything is not None:
        add = delete = change = everything
    app_label, _, model = prefix.partition("_")
    if model.count("_"):  # otp_totp_totpdevice
        app_label, model = prefix.rsplit("_", 1)
    return {
        f"admin:{prefix}_changelist": everything or ADMIN,
        f"admin:{prefix}_add": add,
        f"admin:{prefix}_history": everything or ADMIN,
        f"admin:{prefix}_delete": delete,
        f"admin:{prefix}_change": change,
        f"admin/{app_label}/{model}/<path:object_id>/": REDIRECTS,
    }


MATRIX = {
    # Accounts
    "home": SIGNED_IN,
    "login": SIGNED_OUT_ONLY,
    "logout": NO_GET,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    # Two-factor pages redirect home when the role does not need it (development settings).
    "two_factor_verify": REDIRECTS,
    "two_factor_setup": REDIRECTS,
    "healthz": EVERYONE,
    # Seizures, warrants and street prices
    "seizures:seizure_list": READ,
    "seizures:seizure_detail": READ,
    "seizures:seizure_create": WRITE,
    "seizures:seizure_edit": WRITE,
    "seizures:seizure_withdraw": WRITE,
    "seizures:seizure_reprice": WRITE,
    "seizures:warrant_list": READ,
    "seizures:warrant_detail": READ,
    "seizures:warrant_create": WRITE,
    "seizures:warrant_edit": WRITE,
    "seizures:warrant_withdraw": WRITE,
    "seizures:street_price_list": READ,
    "seizures:home_office_return": READ,
    "seizures:street_price_detail": READ,
    "seizures:street_price_create": PRICES,
    "seizures:street_price_edit": PRICES,
    # A POST only: those who may not re-price are refused before the method is looked at.
    "seizures:street_price_reprice": statuses(302, 403, 403, 403, 405, 405),
    "seizures:reprice_job": READ,
    "seizures:reprice_job_status": READ,
    "seizures:site_list": READ,
    "seizures:site_detail": READ,
    "seizures:site_create": WRITE,
    "seizures:site_edit": WRITE,
    "seizures:site_withdraw": WRITE,
    # Offences
    "offences:offence_list": READ,
    "offences:offence_detail": READ,
    "offences:offence_create": WRITE,
    "offences:offence_edit": WRITE,
    "offences:offence_withdraw": WRITE,
    # Partner referrals
    "partners:referral_list": SIGNED_IN,
    "partners:referral_detail": REFERRAL_READ,
    "partners:referral_submitted": REFERRAL_READ,
    "partners:referral_new": REFERRAL_SUBMIT,
    # A draft that is not in the partner's session sends them back to a new form.
    "partners:referral_check": statuses(302, 302, 302, 403, 403, 403),
    "partners:referral_edit": REFERRAL_CHANGE,
    "partners:referral_status": REFERRAL_CHANGE,
    # A partner agency's own review list of long-open referrals sent to it; confirming one still
    # open is a POST, by the receiving agency only (tests/partners/test_retention_in_full.py).
    "partners:referral_review": statuses(302, 200, 200, 403, 403, 403),
    "partners:referral_confirm_open": statuses(302, 405, 405, 405, 405, 405),
    # Open data context
    "opendata:index": READ,
    "opendata:street_crime_list": READ,
    "opendata:stop_search_list": READ,
    "opendata:recorded_crime_list": READ,
    # Imports
    "imports:list": WRITE,
    "imports:start": WRITE,
    "imports:template": WRITE,
    "imports:export": WRITE,
    "imports:detail": WRITE,
    "imports:status": WRITE,
    "imports:refused_rows": WRITE,
    "imports:confirm": NO_GET,
    # Downloads of long lists, built in the background
    "core:download": OWN_DOWNLOAD,
    "core:download_file": OWN_DOWNLOAD,
    # Dashboards
    "strategy:overview": READ,
    "strategy:runs": READ,
    "strategy:indicator": READ,
    "strategy:indicator_map": READ,
    "strategy:comparisons": READ,
    "strategy:comparison": READ,
    # Rebuilding the figures now is a POST, for managers and administrators only.
    "strategy:rebuild": statuses(302, 403, 403, 403, 405, 405),
    # Published quarters: everyone who reads the dashboards reads them and their pack; analysts
    # mark quarters ready and write the commentary; managers sign off, reopen, set the force's
    # policy (administrators too, in the admin) and ask for the pack by email. Actions are POSTs.
    "strategy:quarters": READ,
    "strategy:quarter": READ,
    "strategy:quarter_changes": READ,
    "strategy:pack": READ,
    "strategy:pack_pdf": READ,
    "strategy:quarter_ready": statuses(302, 403, 403, 405, 403, 403),
    "strategy:quarter_sign_off": statuses(302, 403, 403, 403, 405, 403),
    "strategy:quarter_reopen": statuses(302, 403, 403, 403, 200, 403),
    "strategy:commentary": statuses(302, 403, 403, 200, 403, 403),
    "strategy:policy": statuses(302, 403, 403, 403, 405, 405),
    "strategy:pack_subscription": statuses(302, 403, 403, 403, 405, 403),
    # The admin
    "admin:index": ADMIN,
    "admin:app_list": ADMIN,
    "admin:login": ADMIN_SIGN_IN,
    "admin:logout": statuses(302, 302, 302, 302, 302, 405),
    "admin:password_change": ADMIN,
    "admin:password_change_done": ADMIN,
    "admin:jsi18n": ADMIN,
    "admin:autocomplete": ADMIN_REFUSED,  # no autocomplete fields: refused without a field
    "admin:view_on_site": REDIRECTS,
    "admin/<url>": statuses(302, 302, 302, 302, 302, 404),
    # Roles are defined by the code: not edited in the admin.
    **admin_model("auth_group", everything=ADMIN_REFUSED),
    # API tokens are issued and revoked by Administrators; a token is never edited, so its
    # page only shows it.
    **admin_model("accounts_apitoken", delete=ADMIN),
    # Sign-in attempts: read, and an attempt may be cleared to lift a lockout.
    **admin_model("axes_accessattempt", add=ADMIN_REFUSED, delete=ADMIN),
    **admin_model("axes_accesslog", add=ADMIN_REFUSED),
    **admin_model("axes_accessfailurelog", add=ADMIN_REFUSED),
    # Authenticator devices: an Administrator may remove a lost one, never see its secret.
    **admin_model("otp_totp_totpdevice", add=ADMIN_REFUSED, delete=ADMIN),
    "admin:otp_totp_totpdevice_config": ADMIN_REFUSED,
    "admin:otp_totp_totpdevice_qrcode": ADMIN_REFUSED,
    **admin_model("geography_force"),
    **admin_model("geography_communitysafetypartnership"),
    **admin_model("geography_area"),
    **admin_model("accounts_user"),
    "admin:auth_user_password_change": ADMIN,
    **admin_model("accounts_agency"),
    **admin_model("seizures_drug"),
    **admin_model("seizures_streetprice"),
    # Re-pricing runs are started from a price's page: the admin only shows them.
    **admin_model("seizures_repricejob", add=ADMIN_REFUSED),
    "admin:seizures_streetprice_simple_history": ADMIN,
    # Records are recorded on the service's own pages, not added in the admin.
    **admin_model("seizures_seizure", add=ADMIN_REFUSED),
    "admin:seizures_seizure_simple_history": ADMIN,
    **admin_model("seizures_warrant", add=ADMIN_REFUSED),
    "admin:seizures_warrant_simple_history": ADMIN,
    **admin_model("seizures_site"),
    "admin:seizures_site_simple_history": ADMIN,
    **admin_model("seizures_sizeband"),
    **admin_model("partners_referral", add=ADMIN_REFUSED),
    **admin_model("partners_retentionrun", add=ADMIN_REFUSED),
    **admin_model("strategy_strategy"),
    **admin_model("strategy_goal"),
    **admin_model("strategy_indicator"),
    **admin_model("strategy_aggregationrun", add=ADMIN_REFUSED),
    **admin_model("strategy_fact", add=ADMIN_REFUSED),
    # Sign-offs and commentary are written on the service's pages; a force's policy in either.
    **admin_model("strategy_quartersignoff", add=ADMIN_REFUSED),
    **admin_model("strategy_commentary", add=ADMIN_REFUSED),
    **admin_model("strategy_signoffpolicy"),
    # The API
    "api:api-root": API_EVERY_USER,
    "api-schema": API_EVERY_USER,
    "api-docs": SIGNED_IN,
    "api:seizure-list": API_READ,
    "api:seizure-detail": API_READ,
    "api:seizure-reprice": API_POST_ONLY,
    "api:seizure-withdraw": API_POST_ONLY,
    "api:warrant-list": API_READ,
    "api:warrant-detail": API_READ,
    "api:warrant-withdraw": API_POST_ONLY,
    "api:site-list": API_READ,
    "api:site-detail": API_READ,
    "api:site-withdraw": API_POST_ONLY,
    "api:drug-list": API_READ,
    "api:drug-detail": API_READ,
    "api:street-price-list": API_READ,
    "api:street-price-detail": API_READ,
    "api:offence-list": API_READ,
    "api:offence-detail": API_READ,
    "api:offence-withdraw": API_POST_ONLY,
    "api:referral-list": API_EVERY_USER,
    "api:referral-detail": API_REFERRAL,
    "api:referral-transition": API_REFERRAL_POST_ONLY,
    "api:indicator-list": API_READ,
    "api:indicator-detail": API_READ,
    "api:fact-list": API_READ,
    "api:fact-detail": API_READ,
}


# --- every URL pattern --------------------------------------------------------------------------

NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
UNNAMED_GROUP = re.compile(r"\([^)]*\)")


def _route(pattern):
    """A pattern as a route with <placeholders>: regex patterns (the API router's, the admin's)
    are turned into the same form as path() routes."""
    route = str(pattern.pattern)
    if not hasattr(pattern.pattern, "regex") or type(pattern.pattern).__name__ == "RoutePattern":
        return route
    route = NAMED_GROUP.sub(r"<\1>", route)
    route = UNNAMED_GROUP.sub("<arg>", route)
    return route.lstrip("^").rstrip("$").replace("/?", "/").replace("\\", "")


def every_url(resolver=None, prefix="", namespace=""):
    """(key, route) for every URL pattern, regex ones included: the key is the namespaced name,
    or the route for the few unnamed patterns. REST framework's format-suffix variants
    (".json") repeat the plain route and are left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + _route(pattern)
        if isinstance(pattern, URLResolver):
            child = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_url(pattern, route, child)
        elif "<format>" in route or ":format>" in route:
            continue
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else route), route


def test_every_url_covers_the_shared_list_of_url_patterns():
    """The shared helper skips regex routes (the API's detail routes and actions, the admin's
    history pages); this file's walk includes them and everything the helper lists."""
    keys = {key for key, _ in every_url()}
    named = {name for name, _ in all_url_patterns() if name}
    assert named <= keys
    assert {"api:seizure-detail", "api:referral-transition", "admin:app_list"} <= keys


# --- one record of each type, and a sample path for each pattern -------------------------------


@pytest.fixture
def world(db, partner_a, partner_b, analyst, manager, administrator, settings, tmp_path):
    """One record of every type, so that detail URLs answer as they would for real records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.core.files.base import ContentFile
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.models import Download
    from imports.models import ImportBatch
    from partners.models import RetentionRun
    from seizures.models import RepriceJob, StreetPrice
    from strategy.models import AggregationRun, Fact, Goal, Indicator, Strategy
    from strategy.rollups import rollup_run

    third_agency = AgencyFactory(name="Warwickshire Drug Service", kind=Agency.Kind.TREATMENT)
    warrant = WarrantFactory(reference="WK-W-0001", user=analyst)
    seizure = SeizureFactory(
        reference="WK-S-0001", warrant=warrant, items=[item("cocaine", 5, "g")], user=analyst
    )
    offence = OffenceFactory(crime_reference="23/00001/25")
    site = SiteFactory(reference="WK-F-0001", warrant=warrant, user=analyst)
    # Partner A refers to a third agency: Partner B is on neither side of it.
    referral = make_referral(by=partner_a, to=third_agency)
    batch = ImportBatch.objects.create(
        record_type="seizures", created_by=analyst, file_name="seizures.csv", checksum="0" * 64,
        status="refused", invalid=1,
        row_errors=[{"line": 2, "lines": [2], "reason": "Drug: enter a value",
                     "reasons": ["Drug: enter a value"]}],
    )  # fmt: skip
    strategy = Strategy.objects.create(
        name="Drug strategy", start=datetime.date(2024, 4, 1), end=datetime.date(2027, 3, 31)
    )
    goal = Goal.objects.create(strategy=strategy, strand=Goal.Strand.SUPPLY, title="Supply", order=1)
    indicator = Indicator.objects.create(
        goal=goal, slug="seizures", title="Drug seizures", metric="seizures.count", display_unit="seizures"
    )
    rollup_run(full=True)
    street_price = StreetPrice.objects.order_by("pk").first()
    street_price.save()  # a version for the admin's history page
    api_token(analyst)
    TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    RetentionRun.objects.create(cutoff=datetime.date(2024, 1, 1))
    _sign_off_records(indicator, analyst)
    settings.MEDIA_ROOT = tmp_path
    download = Download.objects.create(
        requested_by=analyst, list_path="/seizures/", title="seizures", status=Download.Status.READY
    )
    download.file.save("seizures.xlsx", ContentFile(b"a workbook"))
    AccessAttempt.objects.create(username="someone", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="analyst", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1", locked_out=False)
    return {
        "users": {
            "partner_a": partner_a,
            "partner_b": partner_b,
            "analyst": analyst,
            "manager": manager,
            "administrator": administrator,
        },
        "seizure": seizure,
        "warrant": warrant,
        "site": site,
        "offence": offence,
        "street_price": street_price,
        "reprice_job": RepriceJob.objects.create(price=street_price, requested_by=manager),
        "referral": referral,
        "batch": batch,
        "download": download,
        "indicator": indicator,
        "fact": Fact.objects.order_by("pk").first(),
        "run": AggregationRun.objects.order_by("pk").first(),
    }


def _sign_off_records(indicator, analyst):
    """One of each sign-off record, for the admin's pages."""
    from django.utils import timezone

    from geography.models import Force
    from strategy.models import Commentary, QuarterSignOff, SignOffPolicy

    start, end = datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)
    QuarterSignOff.objects.create(start=start, end=end, status=QuarterSignOff.Status.READY)
    Commentary.objects.create(
        indicator=indicator, start=start, text="On track.", written_by=analyst, updated_at=timezone.now()
    )
    SignOffPolicy.objects.create(force=Force.objects.get(name="Warwickshire"))


# Which record a URL's argument names, by the start of the URL's key.
RECORD_FOR_KEY = {
    "seizures:seizure_": "seizure",
    "seizures:warrant_": "warrant",
    "seizures:street_price_": "street_price",
    "seizures:reprice_job": "reprice_job",
    "seizures:site_": "site",
    "offences:": "offence",
    "partners:": "referral",
    "imports:": "batch",
    "strategy:": "indicator",
    "core:download": "download",
    "api:seizure-": "seizure",
    "api:warrant-": "warrant",
    "api:site-": "site",
    "api:street-price-": "street_price",
    "api:offence-": "offence",
    "api:referral-": "referral",
    "api:indicator-": "indicator",
    "api:fact-": "fact",
}


def _admin_model(route):
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def sample_path(key, route, world):
    """The route with its placeholders filled from the world's records."""
    record = next((world[name] for start, name in RECORD_FOR_KEY.items() if key.startswith(start)), None)
    admin_model = _admin_model(route)
    admin_ids = []
    if admin_model is not None and key.endswith("_simple_history"):
        version = admin_model.history.order_by("history_id").first()
        admin_ids = [version.id, version.history_id]  # the record, then its version
    elif admin_model is not None:
        first = admin_model.objects.order_by("pk").first()
        admin_ids = [first.pk if first is not None else 1] * 2
    arguments = iter(admin_ids)

    def fill(match):
        argument = match.group(1).rpartition(":")[2]
        if argument in ("pk", "id", "object_id", "arg") and admin_model is not None:
            return str(next(arguments))
        return str(ARGUMENTS[argument](record, world) if argument in ARGUMENTS else "1")

    return "/" + re.sub(r"<([^>]+)>", fill, route)


# Placeholder name -> its value (given the record the URL names, and the world).
ARGUMENTS = {
    "pk": lambda record, world: record.pk if record is not None else 1,
    "slug": lambda record, world: world["indicator"].slug,
    "code": lambda record, world: "cocaine",
    "draft": lambda record, world: "no-such-draft",
    "record_type": lambda record, world: "seizures",
    "file_format": lambda record, world: "csv",
    "app_label": lambda record, world: "seizures",
    "content_type_id": lambda record, world: ContentType.objects.get_for_model(world["seizure"]).pk,
    "object_id": lambda record, world: world["seizure"].pk,
    "url": lambda record, world: "no-such-page/",
    "scope_code": lambda record, world: "alliance",
    "year": lambda record, world: 2025,
    "number": lambda record, world: 1,
}


def observed_statuses(client, world, urls, role):
    """{key: status} of a GET of each URL by one role."""
    client.logout()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return {key: client.get(sample_path(key, route, world)).status_code for key, route in urls}


def unlisted(urls, matrix):
    """URLs with no entry in the matrix, and entries for URLs that no longer exist."""
    keys = [key for key, _ in urls]
    problems = [f"{key}: no entry in the access matrix" for key in keys if key not in matrix]
    problems += [
        f"{key}: in the access matrix, but there is no such URL" for key in matrix if key not in keys
    ]
    return problems


def wrong_statuses(found, matrix, role):
    return [
        f"{key} as {role}: expected {matrix[key][role]}, got {status}"
        for key, status in found.items()
        if key in matrix and status != matrix[key][role]
    ]


def test_every_url_has_an_entry_in_the_matrix():
    assert unlisted(list(every_url()), MATRIX) == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_status_on_every_url(client, world, role, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # the 403s and 404s are expected
    urls = [(key, route) for key, route in every_url() if key in MATRIX]
    assert wrong_statuses(observed_statuses(client, world, urls, role), MATRIX, role) == []


# --- the matrix catches what it should ----------------------------------------------------------


def unlisted_view(request):
    return HttpResponse("Nobody decided who may see this")


urlpatterns = [
    *get_resolver("strategy_portal.urls").url_patterns,
    path("unlisted/", unlisted_view, name="unlisted"),
]


def test_a_url_missing_from_the_matrix_fails_it():
    """This module's urlpatterns are the service's plus one nobody has listed."""
    urls = list(every_url(get_resolver(__name__)))
    assert ("unlisted", "unlisted/") in urls
    assert unlisted(urls, MATRIX) == ["unlisted: no entry in the access matrix"]


def test_an_entry_for_a_url_that_is_gone_fails_it():
    urls = [(key, route) for key, route in every_url() if key != "healthz"]
    assert unlisted(urls, MATRIX) == ["healthz: in the access matrix, but there is no such URL"]


def test_a_status_other_than_the_declared_one_fails_it(client, world):
    """Were the seizure list open to partners, the matrix would say so."""
    found = observed_statuses(client, world, [("seizures:seizure_list", "seizures/")], "partner_a")
    assert found == {"seizures:seizure_list": 403}
    pretended = {"seizures:seizure_list": {**READ, "partner_a": 200}}
    assert wrong_statuses(found, pretended, "partner_a") == [
        "seizures:seizure_list as partner_a: expected 200, got 403"
    ]
