import pytest


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploads are stored under MEDIA_ROOT until their task ends: keep them out of the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
