"""Load for `make bench` (figure 5), run by bench/run.py against gunicorn on 127.0.0.1 only.

Half the clients are partner caseworkers making referrals as a browser does: fetch the form
(CSRF token and the draft id), post the answers, open the check page, send.
The other half are API clients reading the filtered seizure list. The reference run that
follows it (SignInVisitor) has as many clients asking for the sign-in page. Every client stops after
MAX_ITERATIONS tasks, and the run after --run-time: bounded in count and in time.
"""

import datetime
import json
import os
import random
import re

from locust import HttpUser, constant, events, task
from locust.exception import StopUser

MAX_ITERATIONS = 500
SESSIONS = json.loads(os.environ.get("BENCH_SESSIONS", "[]"))
TOKEN = os.environ.get("BENCH_TOKEN", "")
API_URLS = json.loads(os.environ.get("BENCH_API_URLS", "[]"))
CHOICES = json.loads(os.environ.get("BENCH_FORM_CHOICES", '{"areas": [], "agencies": []}'))
RESULT = os.environ.get("BENCH_LOAD_RESULT", "")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DRAFT_FIELD = re.compile(r'name="draft" value="([^"]+)"')
SUBMITTED = re.compile(r"/referrals/\d+/submitted/$")

submissions = {"attempts": 0, "successes": 0}
_sessions = iter(SESSIONS)


def _answers(rng):
    today = datetime.date.today()
    born = today - datetime.timedelta(days=rng.randint(18 * 365, 60 * 365))
    return {
        "pathway": "treatment",
        "referral_date_0": str(today.day),
        "referral_date_1": str(today.month),
        "referral_date_2": str(today.year),
        "receiving_agency": str(rng.choice(CHOICES["agencies"])),
        "area": str(rng.choice(CHOICES["areas"])),
        "subject_first_initial": rng.choice("ABCDEFGHJKLMNPRSTW"),
        "subject_surname_initial": rng.choice("ABCDEFGHJKLMNPRSTW"),
        "subject_date_of_birth_0": str(born.day),
        "subject_date_of_birth_1": str(born.month),
        "subject_date_of_birth_2": str(born.year),
        "subject_sex": rng.choice("MF"),
        "substances": ["crack", "opiates"],
        "notes": "Asked for help at the custody suite.",
        "consent_recorded": "on",
    }


class _Bounded(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        self.iterations = 0
        self.rng = random.Random()

    def count(self):
        self.iterations += 1
        if self.iterations > MAX_ITERATIONS:
            raise StopUser()


class Caseworker(_Bounded):
    """A partner user signed in (the session made by bench/run.py) submitting referrals."""

    def on_start(self):
        super().on_start()
        self.client.cookies.set("sessionid", next(_sessions))

    @task
    def refer(self):
        self.count()
        page = self.client.get("/referrals/new/", name="referral form")
        csrf, draft = CSRF.search(page.text), DRAFT_FIELD.search(page.text)
        if not (csrf and draft):
            return
        data = {**_answers(self.rng), "csrfmiddlewaretoken": csrf.group(1), "draft": draft.group(1)}
        with self.client.post(
            "/referrals/new/", data=data, name="referral answers", allow_redirects=False, catch_response=True
        ) as answered:
            if answered.status_code != 302:
                answered.failure(f"answers not accepted: {answered.status_code}")
                return
        check_url = answered.headers["Location"]
        check = self.client.get(check_url, name="referral check page")
        csrf = CSRF.search(check.text)
        if not csrf:
            return
        submissions["attempts"] += 1
        with self.client.post(
            check_url,
            data={"csrfmiddlewaretoken": csrf.group(1)},
            name="referral send",
            allow_redirects=False,
            catch_response=True,
        ) as sent:
            if sent.status_code == 302 and SUBMITTED.search(sent.headers.get("Location", "")):
                submissions["successes"] += 1
            else:
                sent.failure(f"not submitted: {sent.status_code}")


class ApiClient(_Bounded):
    """A system reading the filtered seizure list with an API token."""

    @task
    def seizures(self):
        self.count()
        self.client.get(
            self.rng.choice(API_URLS), headers={"Authorization": f"Token {TOKEN}"}, name="API seizure list"
        )


class SignInVisitor(_Bounded):
    """The reference run: the sign-in page, under the same server and as many clients."""

    @task
    def sign_in_page(self):
        self.count()
        self.client.get("/sign-in/", name="sign-in page")


@events.test_stop.add_listener
def _write_result(**kwargs):
    if RESULT:
        with open(RESULT, "w") as handle:
            json.dump(submissions, handle)
