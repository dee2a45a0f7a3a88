"""Settings read from the environment refuse a bad value instead of guessing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from claimtrack.settings import envint, envurl


def test_a_whole_number_is_read_or_refused(monkeypatch):
    assert envint("EMAIL_PORT", 25) == 25
    monkeypatch.setenv("EMAIL_PORT", "587")
    assert envint("EMAIL_PORT", 25) == 587
    monkeypatch.setenv("EMAIL_PORT", "smtp")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        envint("EMAIL_PORT", 25)


def test_an_address_is_read_without_its_trailing_slash_or_refused(monkeypatch):
    assert envurl("SITE_URL", "http://localhost:8000") == "http://localhost:8000"
    monkeypatch.setenv("SITE_URL", "https://claimtrack.example.org/")
    assert envurl("SITE_URL", "") == "https://claimtrack.example.org"
    monkeypatch.setenv("SITE_URL", "claimtrack.example.org")
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be an http"):
        envurl("SITE_URL", "")
