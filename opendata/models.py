"""Open data published about policing, kept as context for the strategy's own figures.

police.uk street-level crime ('Drugs' rows) and stop and search (searches for controlled
drugs), and the Home Office police recorded crime tables (drug offences by force and quarter).
Rows are keyed by month and force; police.uk rows are mapped to our districts through their
LSOA where they give one. These tables are written only by the imports.
"""

from django.db import models

from geography.models import Area, Force


class StreetCrime(models.Model):
    """A police.uk street-level crime of type 'Drugs'."""

    crime_id = models.CharField("crime ID", max_length=64, unique=True)
    month = models.DateField(db_index=True, help_text="First day of the month")  # rollups and filters
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    # Null when police.uk gives no LSOA (a real gap in the open data) or one we cannot map.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    outcome = models.CharField("last outcome", max_length=150, blank=True)
    # When the row came in or last changed (imported, or a search placed in a district): the
    # lists count the rows the dashboard figures do not show yet. Empty on rows kept before.
    changed_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-month", "crime_id"]
        verbose_name = "police.uk drug crime"

    def __str__(self):
        return f"{self.crime_id[:12]}… {self.month:%Y-%m}"


class StopSearch(models.Model):
    """A police.uk stop and search whose object was controlled drugs, as published.

    police.uk publishes no identifier for a search and identical rows occur (two people
    searched together), so a row is keyed by a fingerprint of its published values and its
    occurrence among identical rows of the file."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    fingerprint = models.CharField(max_length=64)
    searched_at = models.DateTimeField()
    month = models.DateField(db_index=True, help_text="First day of the month (Europe/London)")
    search_type = models.CharField("type", max_length=50)
    part_of_operation = models.BooleanField(null=True, blank=True)
    operation = models.CharField("policing operation", max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Searches carry only coordinates: a district is known only where the same anonymised map
    # point appears in an imported street-level crime with an LSOA (MapPoint). It is where the
    # search happened, which may be across the border in the other force's district.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    gender = models.CharField(max_length=30, blank=True)
    age_range = models.CharField(max_length=30, blank=True)
    # Label sets differ between years ("White - White British (W1)" in 2016,
    # "White - English/Welsh/Scottish/Northern Irish/British" in 2018): kept as published.
    self_defined_ethnicity = models.CharField(max_length=150, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=50, blank=True)
    legislation = models.CharField(max_length=150, blank=True)
    object_of_search = models.CharField(max_length=100)
    outcome = models.CharField(max_length=150, blank=True)
    outcome_linked = models.BooleanField("outcome linked to object of search", null=True, blank=True)
    removal_of_clothing = models.BooleanField("removal of more than outer clothing", null=True, blank=True)
    # When the row came in or last changed (imported, or a search placed in a district): the
    # lists count the rows the dashboard figures do not show yet. Empty on rows kept before.
    changed_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["-searched_at", "pk"]
        verbose_name = "police.uk drug search"
        constraints = [
            models.UniqueConstraint(fields=["force", "fingerprint"], name="stop_search_once_per_force")
        ]

    def __str__(self):
        return f"{self.force} search {self.searched_at:%Y-%m-%d %H:%M}"


class MapPoint(models.Model):
    """One of police.uk's anonymised map points, with the LSOA police.uk gives it.

    police.uk moves every crime and every search to the nearest of a fixed set of points and
    publishes street crimes with the point's LSOA but searches without one. Every street crime
    of a configured force (of any crime type, not only drugs) names its point's LSOA, so the
    points are kept from the street files to place searches in districts."""

    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    lsoa_code = models.CharField("LSOA code", max_length=9)

    class Meta:
        verbose_name = "police.uk map point"
        constraints = [
            models.UniqueConstraint(fields=["latitude", "longitude"], name="map_point_once"),
        ]

    def __str__(self):
        return f"{self.latitude}, {self.longitude} ({self.lsoa_code})"


class OffenceCode(models.TextChoices):
    # Home Office counting rules: 92A includes production and cultivation of cannabis.
    TRAFFICKING = "92A", "92A Trafficking in controlled drugs"
    OTHER = "92C", "92C Other drug offences"
    POSSESSION_EXCLUDING_CANNABIS = "92D", "92D Possession of controlled drugs (excluding cannabis)"
    POSSESSION_OF_CANNABIS = "92E", "92E Possession of cannabis"


class RecordedCrime(models.Model):
    """Home Office police recorded crime: drug offences of one force in one quarter."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    financial_year = models.CharField(max_length=7, help_text="April to March, as 2017/18")
    quarter = models.PositiveSmallIntegerField(help_text="1 = April to June … 4 = January to March")
    quarter_start = models.DateField(db_index=True)
    offence_code = models.CharField("offence code", max_length=3, choices=OffenceCode.choices)
    offence_description = models.CharField(max_length=200, blank=True)
    offences = models.PositiveIntegerField("number of offences")

    class Meta:
        ordering = ["-quarter_start", "force__name", "offence_code"]
        verbose_name = "Home Office recorded drug offences"
        verbose_name_plural = "Home Office recorded drug offences"
        constraints = [
            models.UniqueConstraint(
                fields=["force", "financial_year", "quarter", "offence_code"], name="recorded_crime_once"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="recorded_crime_quarter_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.force} {self.financial_year} Q{self.quarter} {self.offence_code}: {self.offences}"


class ForceSeizures(models.Model):
    """Home Office "Seizures of drugs in England and Wales": the seizures one police force made
    in one financial year, as published for every force (not only those configured here), so
    the alliance's forces can be set against all of them."""

    financial_year = models.CharField(max_length=7, help_text="April to March, as 2018-19")
    year_start = models.DateField(help_text="1 April")
    force_name = models.CharField(max_length=100, help_text="As the Home Office names it")
    # The police force area's ONS code; empty for British Transport Police and Border Force,
    # which police no area of residents.
    force_code = models.CharField("ONS code", max_length=9, blank=True)
    # Counting rule: a seizure of several drugs counts once here and once under each class.
    # Empty where the Home Office published no figures for the force that year (Hampshire, 2012-13).
    all_drugs = models.PositiveIntegerField("seizures of any drug", null=True, blank=True)
    class_a = models.PositiveIntegerField("seizures of a class A drug", null=True, blank=True)

    class Meta:
        ordering = ["-year_start", "force_name"]
        verbose_name = "Home Office seizures by force"
        verbose_name_plural = "Home Office seizures by force"
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "force_name"], name="force_seizures_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.force_name} {self.financial_year}: {self.all_drugs}"


class PartnershipRecordedCrime(models.Model):
    """ONS police recorded crime by community safety partnership: the drug offences recorded
    in one partnership (or not assigned to any, within a force) in a year to 31 December."""

    year_ending = models.DateField(help_text="31 December")
    force_code = models.CharField(max_length=9)
    force_name = models.CharField(max_length=100)
    # Empty for offences the force could not place in a partnership ("Unassigned …").
    partnership_code = models.CharField("ONS code", max_length=9, blank=True)
    partnership_name = models.CharField(max_length=100)
    drug_offences = models.IntegerField(null=True, blank=True, help_text="Empty where the ONS marks [x]")
    # The residents the ONS divides by for its own rates (its table C4: mid-2022 estimates,
    # rounded to 100), so rates here match those it publishes. Empty where it gives none.
    population = models.PositiveIntegerField(null=True, blank=True)
    published_rate = models.DecimalField(
        "ONS rate per 1,000", max_digits=9, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["-year_ending", "force_name", "partnership_name"]
        verbose_name = "ONS drug offences by partnership"
        verbose_name_plural = "ONS drug offences by partnership"
        constraints = [
            models.UniqueConstraint(
                fields=["year_ending", "force_code", "partnership_name"], name="partnership_crime_once_a_year"
            ),
        ]

    def __str__(self):
        return f"{self.partnership_name} year ending {self.year_ending:%B %Y}: {self.drug_offences}"
