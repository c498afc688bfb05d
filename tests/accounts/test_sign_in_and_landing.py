from io import StringIO

import pytest

from accounts import demo
from accounts.demo import DEMO_PASSWORD
from tests.urls import all_url_patterns

PUBLIC_URL_NAMES = {"login", "healthz", "admin:login"}


@pytest.fixture
def demo_users(db):
    # Only the users: the whole demo (years of records) is tested by each app's own demo tests.
    demo.load_users(StringIO())


@pytest.mark.parametrize(
    ("username", "heading", "sees", "does_not_see"),
    [
        ("analyst", "Analyst workspace", [], ["Administration"]),
        ("manager", "Strategy overview", [], ["Administration"]),
        (
            "partner",
            "Partner referrals",
            ["Nuneaton and Bedworth Community Safety Partnership"],
            ["Administration"],
        ),
        ("admin", "Administration", ["Users, agencies"], []),
    ],
)
def test_each_demo_user_signs_in_and_lands_on_their_role_page(
    client, demo_users, username, heading, sees, does_not_see
):
    response = client.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in page
    for text in sees:
        assert text in page
    for text in does_not_see:
        assert text not in page


def test_wrong_password_is_refused_with_an_error_summary(client, demo_users):
    response = client.post("/sign-in/", {"username": "analyst", "password": "wrong"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Please enter a correct username and password" in page
    assert "_auth_user_id" not in client.session


def test_loading_the_demo_users_twice_keeps_one_user_per_username(db):
    from accounts.models import User

    for _ in range(2):
        demo.load_users(StringIO())

    assert User.objects.filter(username="analyst").count() == 1
    assert User.objects.get(username="partner").agency.areas.get().name == "Nuneaton and Bedworth"


def test_sign_out_is_a_post_and_ends_the_session(analyst_client):
    response = analyst_client.post("/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"
    assert analyst_client.get("/").status_code == 302


def test_password_change_rejects_a_weak_password(analyst_client):
    response = analyst_client.post(
        "/account/password/",
        {"old_password": "correct-horse-battery-staple", "new_password1": "12345", "new_password2": "12345"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too short" in page
    assert "This password is entirely numeric" in page


def test_password_change_accepts_a_strong_password(analyst_client, analyst):
    response = analyst_client.post(
        "/account/password/",
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "a-much-longer-passphrase-2026",
            "new_password2": "a-much-longer-passphrase-2026",
        },
    )

    assert response.status_code == 302
    analyst.refresh_from_db()
    assert analyst.check_password("a-much-longer-passphrase-2026")


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in_from_every_non_public_page(client):
    checked = 0
    for name, path in all_url_patterns():
        if name in PUBLIC_URL_NAMES or path.startswith(("/static/", "/media/")):
            continue
        response = client.get(path)
        if path.startswith("/api/") and not path.startswith("/api/docs/"):
            # The API answers in JSON for itself: no redirect to an HTML page.
            assert response.status_code in (401, 403), (path, response.status_code)
        else:
            assert response.status_code == 302, (path, response.status_code)
            # The admin's index sends people to its own sign-in page; everything else to ours.
            assert response["Location"].startswith(("/sign-in/?next=", "/admin/login/?next=")), (
                path,
                response["Location"],
            )
        checked += 1
    assert checked >= 5


@pytest.mark.django_db
def test_public_pages_need_no_sign_in(client):
    assert client.get("/sign-in/").status_code == 200
    assert client.get("/healthz").status_code == 200
