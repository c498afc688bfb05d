"""Read queries shared by the pages, the API, the exports and the metrics."""

from django.apps import apps
from django.db.models import Count, Q, Sum

from .models import Offence


def offence_list():
    """Live offences with what the list, the export and the API show of each."""
    # Table columns and API fields.
    return Offence.objects.live().select_related("force", "area", "warrant", "site", "drug")


def plant_totals(offences):
    """The cannabis plants of `offences`, as the plants figure adds them up, with how many of
    them are cultivation offences and how many of those have no count of plants. One query."""
    # The names differ from the fields': an alias would shadow its field in the filters.
    return offences.aggregate(
        total_plants=Sum("plants"),
        cultivation_offences=Count("pk", filter=Q(cultivation=True)),
        uncounted=Count("pk", filter=Q(cultivation=True, plants__isnull=True)),
    )


def offence_for(user, pk):
    """An offence for its detail page: administrators also open withdrawn ones."""
    return (
        Offence.objects.openable_by(user)
        # Summary list rows.
        .select_related("force", "area__partnership", "warrant", "site", "drug", "withdrawn_by")
        .get(pk=pk)
    )


def warrant_model():
    """Warrants belong to the seizures app, which this app may not import: look the model up."""
    return apps.get_model("seizures", "Warrant")


def live_warrants(*, force=None):
    warrants = warrant_model().objects.live()
    return warrants.filter(force=force) if force is not None else warrants


def warrant_by_reference(*, force, reference):
    """The force's live warrant with this reference (case-insensitive), or None."""
    return live_warrants(force=force).filter(reference__iexact=reference.strip()).first()


def site_model():
    """Cannabis factories (sites) belong to the seizures app too: looked up by name."""
    return apps.get_model("seizures", "Site")


def live_sites(*, force=None):
    sites = site_model().objects.live()
    return sites.filter(force=force) if force is not None else sites


def site_by_reference(*, force, reference):
    """The force's live cannabis factory with this reference (case-insensitive), or None."""
    return live_sites(force=force).filter(reference__iexact=reference.strip()).first()


def drug_model():
    return apps.get_model("seizures", "Drug")


def recordable_drugs():
    """The drugs an offence may name: the catalogue's active ones."""
    return drug_model().objects.filter(active=True)
