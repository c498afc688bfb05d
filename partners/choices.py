"""The referral's vocabularies, kept apart from the models so forms, filters and the demo loader
share one spelling."""

import datetime

from django.db import models

from accounts.models import Agency


class Pathway(models.TextChoices):
    # Drugs Intervention Programme: a test on arrest for heroin/opiates and cocaine/crack, and a
    # required assessment with an initial and a follow-up stage (Drugs Act 2005).
    DIP_TEST_ON_ARREST = "dip_test_on_arrest", "Drugs Intervention Programme – test on arrest"
    DIP_ASSESSMENT_INITIAL = (
        "dip_assessment_initial",
        "Drugs Intervention Programme – required assessment (initial)",
    )
    DIP_ASSESSMENT_FOLLOW_UP = (
        "dip_assessment_follow_up",
        "Drugs Intervention Programme – required assessment (follow-up)",
    )
    ARREST_REFERRAL = "arrest_referral", "Arrest referral"
    EARLY_INTERVENTION = "early_intervention", "Early intervention for a young person"
    TREATMENT = "treatment", "Treatment"
    OTHER = "other", "Other"


DIP_PATHWAYS = (Pathway.DIP_TEST_ON_ARREST, Pathway.DIP_ASSESSMENT_INITIAL, Pathway.DIP_ASSESSMENT_FOLLOW_UP)
# Early intervention with young people is not treatment: it is counted apart.
TREATMENT_PATHWAYS = tuple(pathway for pathway in Pathway if pathway != Pathway.EARLY_INTERVENTION)

# A person's journey: the referral on the left may continue a journey that one of the pathways
# on the right began (a required assessment follows the test on arrest, treatment follows the
# assessment), rather than being a new referral of the same person.
CONTINUES = {
    Pathway.DIP_ASSESSMENT_INITIAL: (Pathway.DIP_TEST_ON_ARREST,),
    Pathway.DIP_ASSESSMENT_FOLLOW_UP: (Pathway.DIP_TEST_ON_ARREST, Pathway.DIP_ASSESSMENT_INITIAL),
    Pathway.TREATMENT: (
        Pathway.DIP_TEST_ON_ARREST,
        Pathway.DIP_ASSESSMENT_INITIAL,
        Pathway.DIP_ASSESSMENT_FOLLOW_UP,
        Pathway.ARREST_REFERRAL,
    ),
}
# A step continues a journey when it comes within this many days of the journey's latest step.
JOURNEY_STEP_DAYS = 90
# A successful completion followed by another presentation within this many months is not counted
# as a success (the national measure of treatment success).
REPRESENTATION_MONTHS = 6

_Kind = Agency.Kind
# Which kinds of agency take referrals on each pathway. The Drugs Intervention Programme's tests
# and required assessments are followed up by the criminal justice team of the drug treatment
# service; early intervention for young people is also the work of youth services. Police teams
# and schools refer people on but never receive them.
RECEIVING_KINDS = {
    Pathway.DIP_TEST_ON_ARREST: (_Kind.TREATMENT,),
    Pathway.DIP_ASSESSMENT_INITIAL: (_Kind.TREATMENT,),
    Pathway.DIP_ASSESSMENT_FOLLOW_UP: (_Kind.TREATMENT,),
    Pathway.ARREST_REFERRAL: (_Kind.TREATMENT, _Kind.HEALTH),
    Pathway.EARLY_INTERVENTION: (_Kind.TREATMENT, _Kind.YOUTH, _Kind.HEALTH),
    Pathway.TREATMENT: (_Kind.TREATMENT, _Kind.HEALTH),
    Pathway.OTHER: (
        _Kind.TREATMENT,
        _Kind.HEALTH,
        _Kind.YOUTH,
        _Kind.COUNCIL,
        _Kind.COMMUNITY_SAFETY_PARTNERSHIP,
        _Kind.OTHER,
    ),
}
# Kinds of agency that receive on at least one pathway: the only ones a referral form offers.
RECEIVING_AGENCY_KINDS = sorted({kind for kinds in RECEIVING_KINDS.values() for kind in kinds})


def receives(agency_kind, pathway):
    return agency_kind in RECEIVING_KINDS.get(pathway, ())


# How each kind reads inside a sentence ("… goes to a youth service or a health service").
_KIND_IN_A_SENTENCE = {
    _Kind.COUNCIL: "a council",
    _Kind.COMMUNITY_SAFETY_PARTNERSHIP: "a community safety partnership",
    _Kind.HEALTH: "a health service",
    _Kind.TREATMENT: "a drug and alcohol treatment service",
    _Kind.SCHOOL: "a school or college",
    _Kind.YOUTH: "a youth service",
    _Kind.POLICE: "a police arrest referral team",
    _Kind.OTHER: "another kind of support service",
}


def receiving_kinds_in_words(pathway):
    words = [_KIND_IN_A_SENTENCE[kind] for kind in RECEIVING_KINDS[pathway]]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


class Substance(models.TextChoices):
    HEROIN_OPIATES = "opiates", "Heroin or other opiates"
    CRACK_COCAINE = "crack", "Crack cocaine"
    POWDER_COCAINE = "cocaine", "Powder cocaine"
    CANNABIS = "cannabis", "Cannabis"
    ALCOHOL = "alcohol", "Alcohol"
    KETAMINE = "ketamine", "Ketamine"
    BENZODIAZEPINES = "benzodiazepines", "Benzodiazepines"
    NEW_PSYCHOACTIVE = "nps", "New psychoactive substances"
    OTHER = "other", "Other"


class DipTestResult(models.TextChoices):
    OPIATES = "opiates", "Positive for opiates"
    COCAINE = "cocaine", "Positive for cocaine"
    BOTH = "both", "Positive for opiates and cocaine"
    NEGATIVE = "negative", "Negative"
    # Refusing to give a sample without good cause is itself an offence (PACE s63B(8)).
    REFUSED = "refused", "Refused to give a sample"


# Only a positive test leads to a required assessment and on to treatment.
POSITIVE_RESULTS = (DipTestResult.OPIATES, DipTestResult.COCAINE, DipTestResult.BOTH)


class TriggerOffence(models.TextChoices):
    """The offences that allow a test on arrest for heroin and cocaine: the trigger offences of
    the Criminal Justice and Court Services Act 2000 (schedule 6, as amended), or any offence
    where an inspector suspects class A misuse caused or contributed to it (PACE s63B(2)(b))."""

    THEFT = "theft", "Theft (including theft from a vehicle or shop)"
    ROBBERY = "robbery", "Robbery or assault with intent to rob"
    BURGLARY = "burglary", "Burglary or aggravated burglary"
    VEHICLE_TAKING = "vehicle_taking", "Taking a vehicle without consent"
    HANDLING = "handling", "Handling stolen goods"
    GOING_EQUIPPED = "going_equipped", "Going equipped for stealing"
    FRAUD = "fraud", "Fraud or obtaining by deception"
    BEGGING = "begging", "Begging or persistent begging"
    CLASS_A_POSSESSION = "class_a_possession", "Possession of heroin, cocaine or crack"
    CLASS_A_SUPPLY = "class_a_supply", "Supply, or possession with intent to supply, of a class A drug"
    INSPECTOR = "inspector", "Another offence, authorised by an inspector (class A misuse suspected)"


class Sex(models.TextChoices):
    # As national drug treatment reporting records it.
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    OTHER = "X", "Other or not known"


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_24 = "18_24", "18 to 24"
    AGE_25_34 = "25_34", "25 to 34"
    AGE_35_49 = "35_49", "35 to 49"
    AGE_50_PLUS = "50_plus", "50 and over"


AGE_BAND_FLOORS = [
    (50, AgeBand.AGE_50_PLUS),
    (35, AgeBand.AGE_35_49),
    (25, AgeBand.AGE_25_34),
    (18, AgeBand.AGE_18_24),
    (0, AgeBand.UNDER_18),
]


def age_on(date_of_birth, day):
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_band_for(date_of_birth, day):
    age = age_on(date_of_birth, day)
    return next(band for floor, band in AGE_BAND_FLOORS if age >= floor)


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    ASSESSED = "assessed", "Assessed"
    IN_TREATMENT = "in_treatment", "In treatment"
    # The outcomes of treatment as national drug treatment reporting counts them.
    COMPLETED = "completed", "Completed successfully"
    DECLINED = "declined", "Declined"
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend the assessment"
    DISENGAGED = "disengaged", "Dropped out"
    TRANSFERRED = "transferred", "Transferred to another service"
    WITHDRAWN = "withdrawn", "Withdrawn by the referrer"


# Closed referrals: their identifying fields are cleared once the retention period has passed.
CLOSED_STATUSES = (
    Status.COMPLETED,
    Status.DECLINED,
    Status.NOT_ELIGIBLE,
    Status.DID_NOT_ATTEND,
    Status.DISENGAGED,
    Status.TRANSFERRED,
    Status.WITHDRAWN,
)
# The outcomes that end a treatment journey: a referral of the person after one of these is a
# new journey (and, after a successful completion, perhaps a re-presentation).
JOURNEY_ENDINGS = (Status.COMPLETED, Status.DISENGAGED, Status.TRANSFERRED)

STATUS_TAG_COLOURS = {
    Status.SUBMITTED: "govuk-tag--blue",
    Status.ACCEPTED: "govuk-tag--light-blue",
    Status.ASSESSED: "govuk-tag--purple",
    Status.IN_TREATMENT: "govuk-tag--turquoise",
    Status.COMPLETED: "govuk-tag--green",
    Status.DECLINED: "govuk-tag--orange",
    Status.NOT_ELIGIBLE: "govuk-tag--yellow",
    Status.DID_NOT_ATTEND: "govuk-tag--pink",
    Status.DISENGAGED: "govuk-tag--red",
    Status.TRANSFERRED: "govuk-tag--light-blue",
    Status.WITHDRAWN: "govuk-tag--grey",
}

OLDEST_AGE = 110
EARLIEST_REFERRAL_DATE = datetime.date(2000, 1, 1)
