import pytest

from .seeded_database import prepare_seeded_database


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    prepare_seeded_database(item)  # before pytest-django restores the seeded data
