"""Logins are throttled per username and address (django-axes), and a session ends when its
user is deactivated or their password changes."""

import pytest

from tests.conftest import make_user

PASSWORD = "a-long-enough-password-1"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def rita(db):
    user = make_user("rita", "Reviewers", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, address=ATTACKER, username="rita", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_that_username_at_that_address(client, rita):
    for _ in range(4):
        response = log_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = log_in(client, "wrong")  # the fifth
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert "paused for 15 minutes" in page
    assert locked["Retry-After"] == "900"
    # The right password does not get through during the cool-off.
    assert log_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(client, rita):
    for _ in range(6):
        log_in(client, "wrong", address=ATTACKER)
    response = log_in(client, PASSWORD, address=OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(rita.pk)


def test_the_lock_is_per_username(client, rita):
    make_user("ed", "Editors", is_staff=True)
    for _ in range(5):
        log_in(client, "wrong", username="ed")
    assert log_in(client, PASSWORD, username="rita").status_code == 302


def test_a_success_clears_the_count(client, rita):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200


def test_the_admin_login_is_throttled_too(client, rita):
    for _ in range(5):
        response = log_in(client, "wrong", path="/admin/login/")
    assert response.status_code == 429


def test_deactivating_a_user_ends_their_sessions(client, rita):
    assert log_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    rita.is_active = False
    rita.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_changing_a_password_ends_the_other_sessions(client, rita):
    assert log_in(client, PASSWORD).status_code == 302
    rita.set_password("another-long-password-2")
    rita.save()
    response = client.get("/admin/")
    assert response.status_code == 302


def test_weak_passwords_are_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
