import pytest

from geography.models import Area, Lsoa


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploads are stored under MEDIA_ROOT until their task ends: keep them out of the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lsoas(db):
    """One made-up LSOA in each of four alliance districts."""
    areas = list(Area.objects.in_alliance().order_by("pk")[:4])
    return [
        Lsoa.objects.create(code=f"E0100{n:04d}", name=f"{area.name} 00{n}A", area=area)
        for n, area in enumerate(areas)
    ]
