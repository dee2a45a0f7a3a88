"""Logging in and out on the public site."""

import pytest


def test_the_login_page_is_styled_like_the_site(client, db):
    response = client.get("/accounts/login/?next=/claims/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "claimtrack.css" in page
    assert '<input type="hidden" name="next" value="/claims/">' in page
    assert 'name="username"' in page and 'name="password"' in page


def test_a_reviewer_logs_in_and_returns_to_the_claim(client, reviewer, reviewed_claim):
    response = client.post(
        "/accounts/login/",
        {
            "username": "rita",
            "password": "pw-for-tests-only",
            "next": "/claims/ketamine-news/bdnf/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/claims/ketamine-news/bdnf/"
    page = client.get("/claims/ketamine-news/bdnf/").content.decode()
    assert "Flag this claim for the editors" in page


def test_a_wrong_password_says_so(client, reviewer):
    response = client.post("/accounts/login/", {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_does_not_redirect_off_site(client, reviewer):
    response = client.post(
        "/accounts/login/",
        {"username": "rita", "password": "pw-for-tests-only", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logged_in_pages_offer_a_logout_button(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert '<form method="post" action="/accounts/logout/">' in page
    assert "rita" in page


def test_logout_is_a_post(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/", "/claims/", "/articles/", "/changes/"])
def test_anonymous_pages_offer_log_in(client, db, url):
    assert f'href="/accounts/login/?next={url}"' in client.get(url).content.decode()
