"""Demand-side history: partner referrals with their status journeys, pseudonymised exactly as
the service pseudonymises them."""

import datetime
import hashlib
import hmac
import json
import uuid

from django.conf import settings

from partners.choices import CLOSED_STATUSES, DipTestResult, Pathway, Sex, Status, Substance, age_band_for
from partners.demo import referral_journey
from partners.models import ReferenceSequence, Referral, ReferralTransition

from .profile import CHUNK, LETTERS, POLICE_PATHWAYS, SUBMISSIONS
from .writing import IdSequence, aware


class ReferralRecords:
    """Writes referrals and their transitions for the Generator."""

    def write_referrals(self, count):
        ids, transition_ids = IdSequence(Referral), IdSequence(ReferralTransition)
        columns = [
            "id",
            "reference",
            "submission_key",
            "submission_fingerprint",
            "pathway",
            "referral_date",
            "area_id",
            "submitting_agency_id",
            "submitted_by_id",
            "receiving_agency_id",
            "substances",
            "dip_test_result",
            "trigger_offence",
            "notes",
            "consent_recorded",
            "subject_first_initial",
            "subject_surname_initial",
            "subject_date_of_birth",
            "subject_sex",
            "subject_key",
            "age_band",
            "possible_repeat",
            "identifiers_cleared_at",
            "status",
            "status_changed_at",
            "entered_treatment_on",
            "days_to_treatment",
            "closed_on",
            "created_at",
            "acknowledged_at",
            "withdrawn_at",
            "withdrawn_by_id",
            "withdrawal_reason",
            "assessed_on",
            "counted_entry",
            "journey_assessment",
        ]
        transition_columns = [
            "id",
            "referral_id",
            "from_status",
            "to_status",
            "by_id",
            "by_agency_id",
            "at",
            "effective_on",
            "note",
        ]
        numbers = dict(ReferenceSequence.objects.values_list("year", "last_number"))
        key = settings.PSEUDONYMISATION_KEY.encode()
        rng, rows, transitions = self.rng, [], []
        substance_values, dip_results = list(Substance.values), list(DipTestResult.values)
        dates = self.days_in_order(count)
        for _ in range(count):
            force_name, _, area_id = self.place()
            pk = ids.next()
            day = next(dates)
            pathway = self.pathway_picker(rng)
            if pathway in POLICE_PATHWAYS:
                submitting, submitter = self.agencies[(force_name, "Bench Arrest Referral Team")]
            elif pathway == Pathway.EARLY_INTERVENTION:
                submitting, submitter = self.agencies[(force_name, "Bench Schools Service")]
            else:
                submitting, submitter = self.agencies[(force_name, "Bench Community Health")]
            young = pathway == Pathway.EARLY_INTERVENTION
            receiving, receiver = self.agencies[
                (force_name, "Bench Young People's Service" if young else "Bench Recovery Service")
            ]
            age = rng.randint(12, 17) if young else int(rng.triangular(18, 70, 32))
            born = day - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
            first, surname = rng.choice(LETTERS), rng.choice(LETTERS)
            sex = rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE])
            message = f"{first}|{surname}|{born.isoformat()}|{sex}".encode()
            substances = sorted({rng.choice(substance_values) for _ in range(rng.randint(1, 3))})
            numbers[day.year] = numbers.get(day.year, 0) + 1
            status, changed, treatment_on, days, closed_on = Status.SUBMITTED, day, None, None, None
            withdrawn = (None, None, "")
            previous = Status.SUBMITTED
            result = rng.choice(dip_results) if pathway == Pathway.DIP_TEST_ON_ARREST else ""
            assessed_on = None
            for to_status, on in referral_journey(rng, day, self.last_day, test_result=result or None):
                actor, actor_agency = (
                    (submitter, submitting) if to_status == Status.WITHDRAWN else (receiver, receiving)
                )
                transition = (transition_ids.next(), pk, previous, to_status, actor.pk, actor_agency.pk)
                transitions.append((*transition, aware(on), on, ""))
                previous = status = to_status
                changed = on
                if to_status == Status.ASSESSED:
                    assessed_on = on
                if to_status == Status.IN_TREATMENT:
                    treatment_on, days = on, (on - day).days
                if to_status in CLOSED_STATUSES:
                    closed_on = on
                if to_status == Status.WITHDRAWN:
                    withdrawn = (aware(on), submitter.pk, "Referred in error")
                self.months["partners"].add(on)
            rows.append(
                (
                    pk, f"REF-{day.year}-{numbers[day.year]:06d}", uuid.uuid5(SUBMISSIONS, str(pk)), "",
                    pathway, day, area_id, submitting.pk, submitter.pk, receiving.pk, json.dumps(substances),
                    result, "theft" if result else "", "", True,
                    first, surname, born, sex, hmac.new(key, message, hashlib.sha256).hexdigest(),
                    age_band_for(born, day), False, None, status, aware(changed), treatment_on, days,
                    closed_on, aware(day, 9), None, *withdrawn,
                    # Each person here is referred once: every entry is a person's entry.
                    assessed_on, treatment_on is not None, "",
                )
            )  # fmt: skip
            self.months["partners"].add(day)
            if len(rows) >= CHUNK:
                self._flush(Referral, columns, rows, "referrals")
                self._flush(ReferralTransition, transition_columns, transitions, "transitions")
        self._flush(Referral, columns, rows, "referrals")
        self._flush(ReferralTransition, transition_columns, transitions, "transitions")
        for year, last in numbers.items():
            ReferenceSequence.objects.update_or_create(year=year, defaults={"last_number": last})
