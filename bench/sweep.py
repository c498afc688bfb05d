"""Figure 7: every page and API URL the access matrix covers, asked for by every role, on the
large database: the slowest answer, which must stay well inside the proxy's and gunicorn's time
limits. A streamed download (a CSV of every record) answers with its first rows; how long the
whole of the longest one took is reported beside.

The URLs and their sample records are the access-control test's own (tests/security/
test_access_matrix.py: every URL pattern, each detail URL filled with a real record), here
filled with the bench database's records; each is a GET through the whole middleware stack, as
the test client sends it, timed from request to the last byte."""

import time

LIMIT_SECONDS = 5


def sweep_world():
    """The access matrix's `world`, from the bench database's records (one of each type)."""
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile

    from accounts.models import Agency, User
    from core.models import Download
    from imports.models import ImportBatch
    from offences.models import Offence
    from partners.models import Referral
    from seizures.models import RepriceJob, Seizure, Site, SizeBand, StreetPrice, Warrant
    from seizures.services import site_create
    from strategy.models import AggregationRun, Fact, Indicator

    referral = Referral.objects.order_by("-pk").first()
    analyst = User.objects.get(username="bench.analyst")
    administrator, _ = User.objects.get_or_create(
        username="bench.administrator", defaults={"is_staff": True, "is_superuser": True}
    )
    administrator.groups.add(Group.objects.get(name="Administrator"))
    elsewhere = Agency.objects.exclude(pk__in=[referral.submitting_agency_id, referral.receiving_agency_id])
    download = Download.objects.create(
        requested_by=analyst, list_path="/seizures/", title="seizures", status=Download.Status.READY
    )
    download.file.save("seizures.xlsx", ContentFile(b"a workbook"))
    warrant = Warrant.objects.live().order_by("-pk").first()
    # The generated data has no cannabis factories: one, found under the latest warrant.
    site = Site.objects.filter(reference="BENCH-F-0001").first() or site_create(
        user=analyst,
        reference="BENCH-F-0001",
        force=warrant.force,
        area=warrant.area,
        premises="commercial",
        discovered_on=warrant.issued_on,
        closed_on=warrant.issued_on,
        plants=450,
        size_band=SizeBand.objects.get(category=2),
    )
    records = {
        "seizure": Seizure.objects.live().order_by("-pk").first(),
        "warrant": warrant,
        "site": site,
        "street_price": StreetPrice.objects.order_by("pk").first(),
    }
    for record in records.values():
        record.save()  # a version in its change history, for the admin's history pages
    return {
        **records,
        "users": {
            "partner_a": User.objects.filter(agency_id=referral.submitting_agency_id).first(),
            "partner_b": User.objects.filter(agency__in=elsewhere, agency__isnull=False).first(),
            "analyst": analyst,
            "manager": User.objects.get(username="bench.manager"),
            "administrator": administrator,
        },
        "offence": Offence.objects.live().order_by("-pk").first(),
        "referral": referral,
        "reprice_job": RepriceJob.objects.create(price=records["street_price"], requested_by=analyst),
        "batch": ImportBatch.objects.order_by("-pk").first(),
        "download": download,
        "indicator": Indicator.objects.order_by("pk").first(),
        "fact": Fact.objects.order_by("pk").first(),
        "run": AggregationRun.objects.order_by("pk").first(),
    }


def slowest_requests(top=5):
    """({"requests", "over_limit", "slowest": [(seconds, role, path, status)]})."""
    from django.test import Client

    from tests.security.test_access_matrix import MATRIX, ROLES, every_url, sample_path

    world = sweep_world()
    urls = [(key, route) for key, route in every_url() if key in MATRIX]
    timings, streamed = [], []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["users"][role])
        for key, route in urls:
            path = sample_path(key, route, world)
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                # A streamed download answers when its first rows go out; the whole of it is
                # as long as the records are many, and is reported apart.
                chunks = iter(response.streaming_content)
                next(chunks, None)
                answered = time.perf_counter() - started
                for _ in chunks:
                    pass
                streamed.append((time.perf_counter() - started, role, path, response.status_code))
            else:
                answered = time.perf_counter() - started
            timings.append((answered, role, path, response.status_code))
    timings.sort(reverse=True)
    streamed.sort(reverse=True)
    return {
        "requests": len(timings),
        "over_limit": sum(1 for seconds, *_ in timings if seconds > LIMIT_SECONDS),
        "slowest": timings[:top],
        "longest_stream": streamed[0] if streamed else None,
    }
