import pytest

from core.links import absolute_url


def test_a_path_becomes_a_link_on_the_site(settings):
    settings.SITE_URL = "https://portal.example.police.uk"

    assert absolute_url("/referrals/7/") == "https://portal.example.police.uk/referrals/7/"


def test_a_trailing_slash_on_the_site_address_is_not_doubled(settings):
    settings.SITE_URL = "https://portal.example.police.uk/"

    assert absolute_url("/referrals/7/") == "https://portal.example.police.uk/referrals/7/"


def test_only_paths_from_the_root_are_taken():
    with pytest.raises(ValueError, match="not a path from the site's root"):
        absolute_url("referrals/7/")
