"""What the generated history looks like: volumes, proportions and the vocabulary records draw
from, taken from the Home Office returns for the two forces (see the package docstring)."""

import uuid

from accounts.models import Agency
from offences.models import OffenceType, Outcome
from partners.choices import Pathway

CHUNK = 20_000  # seizures per write

# Per seizure, from the Home Office returns for the two forces (see the module docstring).
OFFENCES_PER_SEIZURE = 0.72
WARRANTS_PER_SEIZURE = 0.12
REFERRALS_PER_SEIZURE = 0.2
WITHDRAWN_SHARE = 0.01  # records withdrawn with a reason, which lists and figures leave out
BACKDATED = 0.05  # records entered well after their date

# Seizures a year: (prefix, weight) — Warwickshire 1,300, West Mercia 3,000.
FORCE_WEIGHTS = {"Warwickshire": ("WK", 1300), "West Mercia": ("WM", 3000)}
ITEMS_PER_SEIZURE = {1: 75, 2: 18, 3: 7}  # mean 1.32

# Seizures containing each drug per 1,000 (Home Office returns 2018-19, both forces), with the
# unit, median quantity, spread (lognormal sigma) and decimal places of a typical seizure.
DRUGS = {
    "herbal-cannabis": (520, "g", 8, 1.6, 1),
    "cannabis-resin": (40, "g", 5, 1.3, 1),
    "cannabis-plants": (130, "plants", 12, 1.2, 0),
    "cocaine": (110, "g", 4, 1.5, 2),
    "crack": (60, "g", 2, 1.3, 2),
    "heroin": (50, "g", 3, 1.4, 2),
    "ecstasy": (10, "doses", 6, 1.2, 0),
    "methadone": (8, "ml", 60, 0.8, 0),
    "morphine": (5, "doses", 10, 0.9, 0),
    "amphetamines": (20, "g", 6, 1.2, 1),
    "synthetic-cannabinoids": (15, "g", 4, 1.2, 1),
    "ketamine": (8, "g", 3, 1.2, 1),
    "mephedrone": (3, "g", 3, 1.0, 1),
    "anabolic-steroids": (7, "g", 40, 1.0, 0),
    "benzodiazepines": (15, "doses", 20, 1.1, 0),
    "nitrous-oxide": (5, "g", 600, 1.2, 0),
    "ghb": (1, "ml", 30, 0.8, 0),
    "lsd": (1, "doses", 5, 0.8, 0),
    "temazepam": (1, "doses", 14, 0.8, 0),
}
PLACES = [
    "Stop and search, town centre",
    "Vehicle stop",
    "Residential address, bedroom",
    "Residential address, kitchen",
    "Commercial unit converted for cultivation",
    "Railway station",
    "Night-time economy venue",
    "Public park",
]
OFFENCE_TYPES = {
    OffenceType.POSSESSION_OF_CANNABIS: 44,
    OffenceType.POSSESSION_OTHER: 26,
    OffenceType.POSSESSION_WITH_INTENT: 9,
    OffenceType.SUPPLY: 6,
    OffenceType.CONCERNED_IN_SUPPLY: 4,
    OffenceType.PRODUCTION_OF_CANNABIS: 8,
    OffenceType.PERMITTING_PREMISES: 1,
    OffenceType.IMPORT_EXPORT: 1,
    OffenceType.OTHER: 1,
}
OUTCOMES = {
    Outcome.CHARGED: 28,
    Outcome.CAUTION: 8,
    Outcome.CANNABIS_KHAT_WARNING: 14,
    Outcome.COMMUNITY_RESOLUTION: 16,
    Outcome.PENALTY_NOTICE: 3,
    Outcome.EVIDENTIAL_DIFFICULTIES: 18,
    Outcome.NO_SUSPECT: 8,
    Outcome.NOT_IN_PUBLIC_INTEREST: 5,
}
PATHWAYS = {
    Pathway.DIP_TEST_ON_ARREST: 18,
    Pathway.DIP_ASSESSMENT_INITIAL: 10,
    Pathway.DIP_ASSESSMENT_FOLLOW_UP: 6,
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
LETTERS = "ABCDEFGHIJKLMNOPRSTW"
# (name suffix, kind): one of each per force; police teams refer, treatment services receive.
AGENCY_KINDS = [
    ("Bench Arrest Referral Team", Agency.Kind.POLICE),
    ("Bench Recovery Service", Agency.Kind.TREATMENT),
    ("Bench Young People's Service", Agency.Kind.TREATMENT),
    ("Bench Schools Service", Agency.Kind.SCHOOL),
    ("Bench Community Health", Agency.Kind.HEALTH),
]
SUBMISSIONS = uuid.UUID("6b0e0d4e-3c52-4d0e-9d55-2f1f6a1b2c3d")  # submission keys: uuid5 of the id
LOAD_USERS = 20  # partner users for the load run, one per concurrent client
