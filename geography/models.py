"""Police forces and the local authority districts they cover, with ONS codes.

Districts (E06/E07) are grouped into Community Safety Partnerships (E22), the level at which
councils and partner agencies work, so figures roll up by district, partnership and force.
"""

from django.db import models


class Force(models.Model):
    name = models.CharField(max_length=100, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="E23…")
    # Forces outside the alliance may be configured (for context data); only alliance forces
    # are offered in recording forms. Not ticked by default: the alliance's forces are seeded, a
    # force added later is most likely one to compare with, and one summed into the alliance's
    # figures by mistake would change every figure.
    in_alliance = models.BooleanField(
        default=False,
        help_text="Alliance forces are recorded here and summed into the alliance's figures. "
        "Leave unticked for a force shown only for comparison (add one with manage.py add_force).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommunitySafetyPartnership(models.Model):
    name = models.CharField(max_length=100)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="E22…")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="partnerships")

    class Meta:
        ordering = ["force__name", "name"]
        verbose_name = "community safety partnership"

    def __str__(self):
        return self.name


class AreaQuerySet(models.QuerySet):
    def in_alliance(self):
        return self.filter(force__in_alliance=True)


class Area(models.Model):
    """A local authority district."""

    name = models.CharField(max_length=100)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="E06… or E07…")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    partnership = models.ForeignKey(
        CommunitySafetyPartnership, on_delete=models.PROTECT, related_name="areas"
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["force__name", "name"]
        verbose_name = "district"

    def __str__(self):
        return self.name


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2011) and the district it lies in: how police.uk rows,
    which give an LSOA code, are mapped to our districts. Loaded with `load_lsoa_lookup` for
    the districts of the configured forces."""

    code = models.CharField("ONS code", max_length=9, unique=True, help_text="E01…")
    name = models.CharField(max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="lsoas", verbose_name="district")

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"
        verbose_name_plural = "LSOAs"

    def __str__(self):
        return f"{self.name} ({self.code})"


class PopulationEstimate(models.Model):
    """An ONS mid-year resident population estimate of one district, community safety
    partnership, police force area or country of England and Wales, on the December 2019
    boundaries. Kept for every district of England and Wales, not only the configured forces',
    so figures can be set against every force and partnership. A partnership's or a force's
    population is the sum of its districts' (ONS lookup of districts, partnerships and police
    force areas)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District"
        PARTNERSHIP = "partnership", "Community safety partnership"
        FORCE = "force", "Police force area"
        COUNTRY = "country", "Country"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    ons_code = models.CharField("ONS code", max_length=9)
    name = models.CharField(max_length=100)
    # The police force area (E23/W15) a district or partnership lies in.
    force_code = models.CharField(max_length=9, blank=True)
    # The partnership (E22/W14) a district lies in.
    partnership_code = models.CharField(max_length=9, blank=True)
    year = models.PositiveSmallIntegerField(help_text="The mid-year estimate: 2018 is at 30 June 2018")
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ons_code", "year"], name="population_once_a_year"),
        ]

    def __str__(self):
        return f"{self.name} ({self.ons_code}), mid-{self.year}: {self.population:,}"
