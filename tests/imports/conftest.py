import pytest


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploads are stored under MEDIA_ROOT until their task ends: keep them out of the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def pages(client, django_capture_on_commit_callbacks):
    """Upload and confirm on the pages; the tasks queued on commit run before the call returns
    (as the in-process worker would, a moment later)."""
    from django.urls import reverse

    from tests.factories.imports import uploaded

    class Pages:
        def upload(self, record_type, name, content, **data):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(
                    reverse("imports:start", args=[record_type]),
                    {"file": uploaded(name, content), **data},
                )

        def confirm(self, batch):
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(reverse("imports:confirm", args=[batch.pk]))

    return Pages()
