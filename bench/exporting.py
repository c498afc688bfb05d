"""Figure 6: a seizure list of about 100,000 rows downloaded as CSV through the page, against
PostgreSQL writing the same rows with COPY … TO STDOUT."""

import time

from bench.harness import timed

# The rows the download writes, in the list's default order (most recently seized first), as SQL.
SAME_ROWS = """
    SELECT s.reference, s.seized_on, f.name, a.name, s.place,
           (SELECT string_agg(d.name || ' ' || i.quantity || ' ' || i.unit, '; ' ORDER BY i.id)
              FROM seizures_seizureitem i JOIN seizures_drug d ON d.id = i.drug_id
             WHERE i.seizure_id = s.id),
           (SELECT sum(i.value_pence) FROM seizures_seizureitem i WHERE i.seizure_id = s.id),
           w.reference
      FROM seizures_seizure s
      JOIN geography_force f ON f.id = s.force_id
      JOIN geography_area a ON a.id = s.area_id
      LEFT JOIN seizures_warrant w ON w.id = s.warrant_id
     WHERE s.withdrawn_at IS NULL AND s.seized_on >= %s
     ORDER BY s.seized_on DESC, s.id DESC
"""


def first_day_for(rows):
    """The earliest date seized that keeps the list at about `rows` seizures."""
    from seizures.models import Seizure

    days = Seizure.objects.live().order_by("-seized_on").values_list("seized_on", flat=True)
    return days[rows - 1] if days.count() >= rows else days.last()


def copy_rows_per_second(date_from):
    """COPY of the same rows to STDOUT, read and thrown away as the client receives them."""
    from django.db import connection

    with connection.cursor() as cursor:
        query = cursor.cursor.mogrify(SAME_ROWS, [date_from])
        started = time.perf_counter()
        rows = 0
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV HEADER") as copy:
            for block in copy:
                rows += bytes(block).count(b"\n")
        seconds = time.perf_counter() - started
    return (rows - 1) / seconds, seconds, rows - 1


def download_rows_per_second(date_from):
    """The seizure list's CSV download, through the whole page (middleware, permissions, the
    filter), as an analyst asks for it; every byte read."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench.analyst"))

    def download():
        response = client.get("/seizures/", {"date_from": date_from.isoformat(), "_export": "csv"})
        if response.status_code != 200:
            raise RuntimeError(f"the download answered {response.status_code}")
        return b"".join(response.streaming_content).count(b"\n") - 1

    seconds, rows = timed(download)
    return rows / seconds, seconds, rows
