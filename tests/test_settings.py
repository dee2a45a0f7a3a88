"""Settings read from the environment refuse a bad value instead of guessing."""

import multiprocessing
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from claimtrack.settings import envcache, envint, envurl


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


def test_the_cache_is_local_memory_unless_a_redis_address_is_given(monkeypatch):
    assert envcache("CACHE_URL")["BACKEND"].endswith("LocMemCache")
    monkeypatch.setenv("CACHE_URL", "redis://cache.internal:6379/0")
    cache = envcache("CACHE_URL")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/0"
    monkeypatch.setenv("CACHE_URL", "rediss://:s3cret@cache.internal:6380")
    assert envcache("CACHE_URL")["LOCATION"] == "rediss://:s3cret@cache.internal:6380"


@pytest.mark.parametrize("value", ["memcached://:s3cret@cache:11211", "localhost:6379", "redis:/x"])
def test_another_cache_address_is_refused_without_repeating_it(monkeypatch, value):
    monkeypatch.setenv("CACHE_URL", value)
    with pytest.raises(
        ImproperlyConfigured, match="CACHE_URL must be a redis:// or rediss://"
    ) as e:
        envcache("CACHE_URL")
    assert "s3cret" not in str(e.value) and value not in str(e.value)


def gunicorn_settings(monkeypatch, **env):
    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_listens_on_this_machine_with_workers_from_the_cores(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert conf["accesslog"] == "-" and conf["timeout"] == 120 and conf["graceful_timeout"]


def test_gunicorn_takes_its_address_and_workers_from_the_environment(monkeypatch):
    conf = gunicorn_settings(monkeypatch, HOST="0.0.0.0", PORT="9000", WEB_CONCURRENCY="3")
    assert conf["bind"] == "0.0.0.0:9000" and conf["workers"] == 3
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        gunicorn_settings(monkeypatch, WEB_CONCURRENCY="many")


def test_production_compiles_templates_once_and_keeps_connections():
    """The suite runs with DEBUG off, as production does."""
    assert not settings.DEBUG
    [loader] = settings.TEMPLATES[0]["OPTIONS"]["loaders"]
    assert loader[0] == "django.template.loaders.cached.Loader"
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"]
