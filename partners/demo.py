"""Demo referrals for `manage.py load_demo`: April 2023 to today, both forces, several agencies,
moved through the workflow, with some people referred more than once by different agencies.

Journeys as they happen: a test on arrest for a trigger offence (about 45% negative or refused,
which go no further), the required assessment attended or not, treatment, and its outcome
(completed successfully, dropped out, transferred). Some people in treatment are referred again
by another agency (a step of their journey, declined as already in treatment), and some return
within months of completing (re-presentations). Adults on the Drugs Intervention Programme,
young people under 25 (mostly teenagers) in early intervention.

Deterministic (each month has its own seeded random stream) and safe to run again: a referral's
submission key is derived from its month and number, and existing ones are skipped. Records are
written in bulk, not one by one through the services, to load in a few seconds.
"""

import datetime
import random
import uuid

from django.contrib.auth.models import Group
from django.db.models import DateTimeField, Max
from django.db.models.functions import Cast
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.demo import DEMO_USERS
from accounts.models import Agency, Role, User
from core.models import mark_changed
from geography.models import Area

from .choices import (
    CLOSED_STATUSES,
    POSITIVE_RESULTS,
    DipTestResult,
    Pathway,
    Sex,
    Status,
    Substance,
    TriggerOffence,
    age_band_for,
)
from .journeys import DERIVED as DERIVED_FIELDS
from .journeys import derived_values
from .models import ReferenceSequence, Referral, ReferralTransition
from .pseudonymisation import subject_key
from .retention import identifiers_clear_expired

FIRST_MONTH = datetime.date(2023, 4, 1)
NAMESPACE = uuid.UUID("6f1c9c8e-2d4b-4b8e-9a51-8b7e4f3c2a10")
WARWICKSHIRE = ["E07000218", "E07000219", "E07000220", "E07000221", "E07000222"]
WORCESTERSHIRE = ["E07000234", "E07000235", "E07000236", "E07000237", "E07000238", "E07000239"]
SHROPSHIRE_TELFORD = ["E06000051", "E06000020"]
HEREFORDSHIRE = ["E06000019"]
WEST_MERCIA = WORCESTERSHIRE + SHROPSHIRE_TELFORD + HEREFORDSHIRE

ADULT_TREATMENT = "Warwickshire Drug and Alcohol Treatment Service"
AGENCIES = [
    # (name, kind, districts served)
    ("Warwickshire Police Arrest Referral Team", Agency.Kind.POLICE, WARWICKSHIRE),
    ("West Mercia Police Arrest Referral Team", Agency.Kind.POLICE, WEST_MERCIA),
    ("Worcestershire Drug and Alcohol Recovery Service", Agency.Kind.TREATMENT, WORCESTERSHIRE),
    ("Shropshire, Telford and Wrekin Recovery Service", Agency.Kind.TREATMENT, SHROPSHIRE_TELFORD),
    ("Herefordshire Drug and Alcohol Service", Agency.Kind.TREATMENT, HEREFORDSHIRE),
    ("Warwickshire Young People's Substance Use Service", Agency.Kind.TREATMENT, WARWICKSHIRE),
    ("West Mercia Young People's Substance Use Service", Agency.Kind.TREATMENT, WEST_MERCIA),
    ("Rugby Borough Council", Agency.Kind.COUNCIL, ["E07000220"]),
    ("Telford and Wrekin Council", Agency.Kind.COUNCIL, ["E06000020"]),
    ("Warwickshire Schools Inclusion Service", Agency.Kind.SCHOOL, WARWICKSHIRE),
    ("Redditch Secondary Schools Partnership", Agency.Kind.SCHOOL, ["E07000236"]),
    ("Warwickshire Youth Justice Service", Agency.Kind.YOUTH, WARWICKSHIRE),
    ("South Warwickshire Community Health Service", Agency.Kind.HEALTH, ["E07000221", "E07000222"]),
]
ADULT_TREATMENT_BY_DISTRICT = {
    **dict.fromkeys(WARWICKSHIRE, ADULT_TREATMENT),
    **dict.fromkeys(WORCESTERSHIRE, "Worcestershire Drug and Alcohol Recovery Service"),
    **dict.fromkeys(SHROPSHIRE_TELFORD, "Shropshire, Telford and Wrekin Recovery Service"),
    **dict.fromkeys(HEREFORDSHIRE, "Herefordshire Drug and Alcohol Service"),
}
PATHWAY_WEIGHTS = {
    Pathway.DIP_TEST_ON_ARREST: 24,
    Pathway.DIP_ASSESSMENT_INITIAL: 4,
    Pathway.DIP_ASSESSMENT_FOLLOW_UP: 2,
    Pathway.ARREST_REFERRAL: 16,
    Pathway.EARLY_INTERVENTION: 14,
    Pathway.TREATMENT: 28,
    Pathway.OTHER: 4,
}
POLICE_PATHWAYS = {
    Pathway.DIP_TEST_ON_ARREST,
    Pathway.DIP_ASSESSMENT_INITIAL,
    Pathway.DIP_ASSESSMENT_FOLLOW_UP,
    Pathway.ARREST_REFERRAL,
}
EARLY_REFERRERS = {
    Agency.Kind.SCHOOL,
    Agency.Kind.YOUTH,
    Agency.Kind.COUNCIL,
    Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP,
}
COMMUNITY_REFERRERS = {Agency.Kind.COUNCIL, Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP, Agency.Kind.HEALTH}
LETTERS = "ABCDEFGHIJKLMNOPRSTW"


def _month_starts(last_day):
    month = FIRST_MONTH
    while month <= last_day:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _agencies_and_staff():
    agencies = {}
    for name, kind, codes in AGENCIES:
        agency, _ = Agency.objects.update_or_create(name=name, defaults={"kind": kind, "active": True})
        agency.areas.set(Area.objects.filter(ons_code__in=codes))
        agencies[name] = agency
    for agency in Agency.objects.filter(active=True).prefetch_related("areas"):
        agencies[agency.name] = agency
    demo_members = {agency_name: username for username, _, _, _, agency_name in DEMO_USERS if agency_name}
    partner_group = Group.objects.get(name=Role.PARTNER.value)
    staff = {}
    for name, agency in agencies.items():
        username = demo_members.get(name) or f"demo.{agency.pk}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Demo", "last_name": "Caseworker", "agency": agency, "email": ""},
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(partner_group)
        staff[name] = user
    return agencies, staff


def _referrers_by_district(agencies):
    """Who refers people from each district: every agency serving it that is not a treatment service."""
    referrers = {}
    for agency in agencies.values():
        if agency.kind == Agency.Kind.TREATMENT:
            continue
        for area in agency.areas.all():
            referrers.setdefault(area.ons_code, []).append(agency)
    return referrers


# Test results on arrest, roughly as custody suites see them; trigger offences likewise.
TEST_RESULTS = {
    DipTestResult.COCAINE: 24,
    DipTestResult.OPIATES: 12,
    DipTestResult.BOTH: 19,
    DipTestResult.NEGATIVE: 37,
    DipTestResult.REFUSED: 8,
}
TRIGGER_OFFENCES = {
    TriggerOffence.THEFT: 40,
    TriggerOffence.BURGLARY: 12,
    TriggerOffence.CLASS_A_POSSESSION: 15,
    TriggerOffence.CLASS_A_SUPPLY: 6,
    TriggerOffence.ROBBERY: 5,
    TriggerOffence.HANDLING: 6,
    TriggerOffence.FRAUD: 4,
    TriggerOffence.VEHICLE_TAKING: 3,
    TriggerOffence.GOING_EQUIPPED: 2,
    TriggerOffence.BEGGING: 2,
    TriggerOffence.INSPECTOR: 5,
}


def _young_age(rng):
    """Early intervention: mostly 13 to 19, some young adults up to 24."""
    return int(rng.triangular(11, 25, 15)) if rng.random() < 0.85 else rng.randint(18, 24)


def _person(rng, pathway, on):
    age = _young_age(rng) if pathway == Pathway.EARLY_INTERVENTION else int(rng.triangular(18, 70, 32))
    born = on - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
    return (
        rng.choice(LETTERS),
        rng.choice(LETTERS),
        born,
        rng.choices([Sex.MALE, Sex.FEMALE, Sex.OTHER], [70, 29, 1])[0],
    )


def referral_journey(rng, referral_date, today, *, test_result=None):
    """A plausible path through the workflow: [(status, date)], cut off at today. A negative or
    refused test on arrest is recorded as not eligible and goes no further. The benchmark data
    generator uses it too."""
    roll = rng.random()
    if test_result is not None and test_result not in POSITIVE_RESULTS:
        steps = [(Status.NOT_ELIGIBLE, rng.randint(0, 3))]
    elif roll < 0.03:
        steps = [(Status.WITHDRAWN, rng.randint(0, 3))]
    elif roll < 0.11:
        steps = [(Status.DECLINED, rng.randint(1, 10))]
    elif roll < 0.17:
        steps = [(Status.NOT_ELIGIBLE, rng.randint(1, 10))]
    else:
        steps = [(Status.ACCEPTED, rng.randint(0, 7))]
        if rng.random() < 0.1:
            steps.append((Status.DID_NOT_ATTEND, rng.randint(7, 40)))
        else:
            steps.append((Status.ASSESSED, rng.randint(2, 21)))
            later = rng.random()
            if later < 0.05:
                steps.append((Status.NOT_ELIGIBLE, rng.randint(1, 10)))
            elif later < 0.15:
                steps.append((Status.DISENGAGED, rng.randint(7, 40)))
            else:
                steps.append((Status.IN_TREATMENT, rng.randint(1, 28)))
                ending = rng.random()
                if ending < 0.52:
                    steps.append((Status.COMPLETED, rng.randint(60, 200)))
                elif ending < 0.77:
                    steps.append((Status.DISENGAGED, rng.randint(14, 120)))
                elif ending < 0.85:
                    steps.append((Status.TRANSFERRED, rng.randint(30, 150)))
    dated, day = [], referral_date
    for status, days in steps:
        day = day + datetime.timedelta(days=days)
        if day > today:
            break
        dated.append((status, day))
    return dated


def _referrals_of_month(month, today, agencies, staff, areas, people, referrers_by_district):
    rng = random.Random(f"partners-demo-{month:%Y-%m}")
    made = []
    for number in range(rng.randint(30, 46)):
        referral_date = month + datetime.timedelta(days=rng.randint(0, 27))
        pathway = rng.choices(list(PATHWAY_WEIGHTS), list(PATHWAY_WEIGHTS.values()))[0]
        area = rng.choice(areas)
        code = area.ons_code
        referrers = referrers_by_district.get(code, [])
        if pathway in POLICE_PATHWAYS:
            choices = [a for a in referrers if a.kind == Agency.Kind.POLICE]
        elif pathway == Pathway.EARLY_INTERVENTION:
            choices = [a for a in referrers if a.kind in EARLY_REFERRERS]
        else:
            choices = [a for a in referrers if a.kind in COMMUNITY_REFERRERS]
        submitting = rng.choice(choices or referrers)
        if pathway == Pathway.EARLY_INTERVENTION:
            young = "Warwickshire" if code in WARWICKSHIRE else "West Mercia"
            receiving = agencies[f"{young} Young People's Substance Use Service"]
        else:
            receiving = agencies[ADULT_TREATMENT_BY_DISTRICT[code]]
        if referral_date > today:
            continue
        if pathway != Pathway.EARLY_INTERVENTION and people and rng.random() < 0.08:
            first, surname, born, sex = rng.choice(people)  # referred again, perhaps by another agency
        else:
            first, surname, born, sex = _person(rng, pathway, referral_date)
            people.append((first, surname, born, sex))
        if pathway == Pathway.EARLY_INTERVENTION and people and rng.random() < 0.04:
            young = [p for p in people if _age(p, referral_date) < 25]
            if young:
                first, surname, born, sex = rng.choice(young)
        substances = {rng.choice(list(Substance.values)) for _ in range(rng.randint(1, 3))}
        if pathway in (Pathway.DIP_TEST_ON_ARREST, Pathway.DIP_ASSESSMENT_INITIAL):
            substances |= {rng.choice([Substance.HEROIN_OPIATES, Substance.CRACK_COCAINE])}
        if pathway == Pathway.EARLY_INTERVENTION:
            substances = {rng.choice([Substance.CANNABIS, Substance.ALCOHOL, Substance.NEW_PSYCHOACTIVE])}
        result = ""
        if pathway == Pathway.DIP_TEST_ON_ARREST:
            result = rng.choices(list(TEST_RESULTS), list(TEST_RESULTS.values()))[0]
        if pathway in DIP_OR_ARREST and _age((first, surname, born, sex), referral_date) < 18:
            first, surname, born, sex = _person(rng, Pathway.TREATMENT, referral_date)
            people.append((first, surname, born, sex))
        referral = Referral(
            submission_key=uuid.uuid5(NAMESPACE, f"{month:%Y-%m}-{number}"),
            pathway=pathway,
            referral_date=referral_date,
            area=area,
            submitting_agency=submitting,
            submitted_by=staff[submitting.name],
            receiving_agency=receiving,
            substances=sorted(substances),
            dip_test_result=result,
            trigger_offence=rng.choices(list(TRIGGER_OFFENCES), list(TRIGGER_OFFENCES.values()))[0]
            if result
            else "",
            notes=rng.choice(["", "Agreed to an appointment.", "Wants help with use that is increasing."]),
            consent_recorded=True,
            subject_first_initial=first,
            subject_surname_initial=surname,
            subject_date_of_birth=born,
            subject_sex=sex,
            subject_key=subject_key(
                first_initial=first, surname_initial=surname, date_of_birth=born, sex=sex
            ),
            age_band=age_band_for(born, referral_date),
        )
        journey = referral_journey(rng, referral_date, today, test_result=result or None)
        made.append((referral, journey))
        made += _what_follows(rng, referral, journey, today, number, staff, referrers_by_district)
    return made


DIP_OR_ARREST = (*POLICE_PATHWAYS,)


def _age(person, on):
    born = person[2]
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _again(referral, *, key, pathway, on, submitting, staff):
    """Another referral of the same person, by `submitting`."""
    return Referral(
        submission_key=key,
        pathway=pathway,
        referral_date=on,
        area=referral.area,
        submitting_agency=submitting,
        submitted_by=staff[submitting.name],
        receiving_agency=referral.receiving_agency,
        substances=referral.substances,
        dip_test_result="",
        trigger_offence="",
        notes="",
        consent_recorded=True,
        subject_first_initial=referral.subject_first_initial,
        subject_surname_initial=referral.subject_surname_initial,
        subject_date_of_birth=referral.subject_date_of_birth,
        subject_sex=referral.subject_sex,
        subject_key=referral.subject_key,
        age_band=age_band_for(referral.subject_date_of_birth, on),
    )


def _what_follows(rng, referral, journey, today, number, staff, referrers_by_district):
    """The referrals of the same person that a journey brings: another agency referring someone
    already in treatment (a step of the journey, declined), and a return within months of a
    successful completion (a re-presentation)."""
    if referral.pathway == Pathway.EARLY_INTERVENTION:
        return []
    reached = dict(journey)
    others = [
        agency
        for agency in referrers_by_district.get(referral.area.ons_code, [])
        if agency.kind in COMMUNITY_REFERRERS and agency != referral.submitting_agency
    ]
    month = referral.referral_date.replace(day=1)
    made = []
    entered = reached.get(Status.IN_TREATMENT)
    if entered and others and rng.random() < 0.2:
        on = entered + datetime.timedelta(days=rng.randint(3, 40))
        ended = next((day for status, day in journey if status in CLOSED_STATUSES), None)
        if on <= today and (ended is None or on < ended):
            again = _again(
                referral,
                key=uuid.uuid5(NAMESPACE, f"{month:%Y-%m}-{number}-step"),
                pathway=Pathway.TREATMENT,
                on=on,
                submitting=rng.choice(others),
                staff=staff,
            )
            later = on + datetime.timedelta(days=rng.randint(1, 7))
            made.append((again, [(Status.DECLINED, later)] if later <= today else []))
    completed = reached.get(Status.COMPLETED)
    if completed and others and rng.random() < 0.25:
        on = completed + datetime.timedelta(days=rng.randint(20, 300))
        if on <= today:
            again = _again(
                referral,
                key=uuid.uuid5(NAMESPACE, f"{month:%Y-%m}-{number}-return"),
                pathway=Pathway.TREATMENT,
                on=on,
                submitting=rng.choice(others),
                staff=staff,
            )
            made.append((again, referral_journey(rng, on, today)))
    return made


def load_demo_referrals(stdout):
    today = timezone.localdate()
    agencies, staff = _agencies_and_staff()
    areas = list(Area.objects.in_alliance().order_by("ons_code"))
    existing = set(Referral.objects.values_list("submission_key", flat=True))
    people, new = [], []
    referrers_by_district = _referrers_by_district(agencies)
    for month in _month_starts(today):
        for referral, journey in _referrals_of_month(
            month, today, agencies, staff, areas, people, referrers_by_district
        ):
            if referral.submission_key not in existing:
                new.append((referral, journey))
    numbers = dict(ReferenceSequence.objects.values_list("year", "last_number"))
    for referral, journey in new:
        year = referral.referral_date.year
        numbers[year] = numbers.get(year, 0) + 1
        referral.reference = f"REF-{year}-{numbers[year]:06d}"
        for status, day in journey:
            referral.status = status
            referral.status_changed_at = _at(day)
            if status == Status.ASSESSED:
                referral.assessed_on = day
            if status == Status.IN_TREATMENT:
                referral.entered_treatment_on = day
                referral.days_to_treatment = (day - referral.referral_date).days
            if status in CLOSED_STATUSES:
                referral.closed_on = day
            if status == Status.WITHDRAWN:
                referral.withdrawn_at, referral.withdrawn_by = _at(day), referral.submitted_by
                referral.withdrawal_reason = "Referred in error"
    bulk_create_with_history([r for r, _ in new], Referral, batch_size=500)
    for year, last in numbers.items():
        ReferenceSequence.objects.update_or_create(year=year, defaults={"last_number": last})
    saved = dict(
        Referral.objects.filter(submission_key__in=[r.submission_key for r, _ in new]).values_list(
            "submission_key", "pk"
        )
    )
    transitions = []
    for referral, journey in new:
        previous = Status.SUBMITTED
        for status, day in journey:
            actor = (
                referral.submitted_by if status == Status.WITHDRAWN else staff[referral.receiving_agency.name]
            )
            transitions.append(
                ReferralTransition(
                    referral_id=saved[referral.submission_key],
                    from_status=previous,
                    to_status=status,
                    by=actor,
                    by_agency_id=actor.agency_id,
                    at=_at(day),
                    effective_on=day,
                    note=NOTES.get(status, "")
                    if referral.pathway != Pathway.TREATMENT or status != Status.DECLINED
                    else "Already in treatment with us: added to their care.",
                )
            )
            previous = status
    ReferralTransition.objects.bulk_create(transitions, batch_size=1000)
    Referral.objects.filter(pk__in=saved.values()).update(created_at=Cast("referral_date", DateTimeField()))
    _derive_journeys()
    _review_some_long_open(today)
    mark_changed("partners", *_month_starts(today))
    run = identifiers_clear_expired(today=today)
    latest = Referral.objects.aggregate(latest=Max("referral_date"))["latest"]
    stdout.write(
        f"Referrals: {len(new)} added ({Referral.objects.count()} in all, latest {latest}); "
        f"identifiers of {run.cleared} closed referrals cleared under the retention rule"
    )


NOTES = {
    Status.DECLINED: "The service could not offer a place.",
    Status.NOT_ELIGIBLE: "Not eligible for the service.",
    Status.DISENGAGED: "Stopped attending appointments.",
    Status.TRANSFERRED: "Moved to a service nearer home.",
    Status.WITHDRAWN: "Referred in error.",
}


def _derive_journeys():
    """Journeys, counted entries, re-presentations and repeat flags, as partners.journeys works
    them out after each change, for every person at once."""
    by_key = {}
    for referral in Referral.objects.exclude(subject_key="").order_by("pk"):
        by_key.setdefault(referral.subject_key, []).append(referral)
    changed = []
    for referrals in by_key.values():
        derived = derived_values(referrals)
        for referral in referrals:
            stale = {n: v for n, v in derived[referral.pk].items() if getattr(referral, n) != v}
            if stale:
                for name, value in stale.items():
                    setattr(referral, name, value)
                changed.append(referral)
    fields = [name.removesuffix("_id") for name in DERIVED_FIELDS]
    Referral.objects.bulk_update(changed, fields, batch_size=500)


def _review_some_long_open(today):
    """Services confirm most of their long-open referrals now and then; a few are left for the
    review list."""
    from .retention import referrals_to_review

    for position, referral in enumerate(referrals_to_review(today=today).order_by("pk")):
        if position % 4:
            reviewed = today - datetime.timedelta(days=30 + position % 150)
            Referral.objects.filter(pk=referral.pk).update(reviewed_on=reviewed)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
