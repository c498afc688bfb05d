"""factory_boy factories, one module per app; import them from here: `from tests.factories import …`."""

from .accounts import AgencyFactory, UserFactory
from .geography import area, force

__all__ = ["AgencyFactory", "UserFactory", "area", "force"]
