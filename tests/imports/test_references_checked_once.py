"""An import looks up every reference of its file in one query, then validates each new record
with full_clean(reference_checked=True) so that the model does not ask again per record. Every
other full_clean still asks, and the promise lasts only the one call."""

import pytest
from django.core.exceptions import ValidationError

from offences.models import DUPLICATE_REFERENCE, Offence
from seizures.models import Seizure
from tests.factories.offences import OffenceFactory
from tests.factories.seizures import SeizureFactory

pytestmark = pytest.mark.django_db

# As the importers validate a new record: force, district and warrant were looked up already.
AS_IMPORTED = {
    "exclude": ["force", "area", "warrant"],
    "validate_unique": False,
    "validate_constraints": False,
}


def same_reference(record):
    if isinstance(record, Seizure):
        fields = ("reference", "seized_on", "force", "area", "place")
        return Seizure(**{name: getattr(record, name) for name in fields})
    fields = ("crime_reference", "recorded_date", "force", "area", "offence_type", "outcome")
    return Offence(**{name: getattr(record, name) for name in fields})


@pytest.mark.parametrize(
    "make, field, message",
    [
        (SeizureFactory, "reference", "This force already has a seizure with this reference"),
        (OffenceFactory, "crime_reference", DUPLICATE_REFERENCE),
    ],
)
def test_only_a_full_clean_told_the_reference_was_checked_skips_asking(
    make, field, message, django_assert_num_queries
):
    again = same_reference(make())

    with pytest.raises(ValidationError) as refused:
        again.full_clean(**AS_IMPORTED)
    assert refused.value.message_dict[field] == [message]

    with django_assert_num_queries(0):
        again.full_clean(**AS_IMPORTED, reference_checked=True)

    with pytest.raises(ValidationError):
        again.full_clean(**AS_IMPORTED)  # the promise held for that one call only
