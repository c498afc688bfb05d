"""Demo data for `manage.py load_demo`.

Each app registers a loader (a function taking `stdout`) in its AppConfig.ready(); loaders run
in `order`, lowest first, and must be safe to run again (update_or_create, not create).
"""

from django.db import transaction

from geography.models import Area

from .models import Agency, Role, User

DEMO_PASSWORD = "Strategy-Demo-2026"

# (username, first name, last name, role, agency name or None)
DEMO_USERS = [
    ("analyst", "Alex", "Analyst", Role.ANALYST, None),
    ("manager", "Morgan", "Manager", Role.MANAGER, None),
    ("partner", "Pat", "Partner", Role.PARTNER, "Nuneaton and Bedworth Community Safety Partnership"),
    ("treatment", "Taylor", "Treatment", Role.PARTNER, "Warwickshire Drug and Alcohol Treatment Service"),
    ("admin", "Ash", "Administrator", Role.ADMINISTRATOR, None),
]

DEMO_AGENCIES = [
    # (name, kind, ONS codes of the districts served)
    (
        "Nuneaton and Bedworth Community Safety Partnership",
        Agency.Kind.COMMUNITY_SAFETY_PARTNERSHIP,
        ["E07000219"],
    ),
    (
        "Warwickshire Drug and Alcohol Treatment Service",
        Agency.Kind.TREATMENT,
        ["E07000218", "E07000219", "E07000220", "E07000221", "E07000222"],
    ),
    ("Worcestershire Youth Support Service", Agency.Kind.YOUTH, ["E07000234", "E07000236", "E07000237"]),
]

_loaders = []


def register(loader, order=100):
    if all(existing is not loader for _, existing in _loaders):
        _loaders.append((order, loader))


def load_all(stdout):
    with transaction.atomic():
        for _, loader in sorted(_loaders, key=lambda pair: pair[0]):
            loader(stdout)


def load_users(stdout):
    from django.contrib.auth.models import Group

    for name, kind, codes in DEMO_AGENCIES:
        agency, _ = Agency.objects.update_or_create(name=name, defaults={"kind": kind, "active": True})
        agency.areas.set(Area.objects.filter(ons_code__in=codes))

    for username, first, last, role, agency_name in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@strategy-portal.invalid",
                "is_staff": role == Role.ADMINISTRATOR,
                "agency": Agency.objects.get(name=agency_name) if agency_name else None,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
    stdout.write(f"Demo users (password {DEMO_PASSWORD}):")
    for username, _, _, role, agency_name in DEMO_USERS:
        stdout.write(f"  {username:<10} {role.value}{f' — {agency_name}' if agency_name else ''}")
