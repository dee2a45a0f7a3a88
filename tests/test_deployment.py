"""Production settings pass Django's deployment checklist, a bad or missing setting stops the
app with one line, and every response carries the security headers, the admin's included."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.processes import free_port

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "claimtrack.example.org",
    "SITE_URL": "https://claimtrack.example.org",
    "ENV_FILE": "/nonexistent/.env",  # a developer's .env must not help
}


# The test process's own switch for Playwright (conftest.py): no production server has it.
NOT_INHERITED = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_gives_no_warning_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_behind_a_proxy_that_sets_hsts_only_that_warning_is_silenced():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, HSTS_SECONDS="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_without_https_the_checklist_says_what_is_missing():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SITE_URL": "http://x.org"}
    )
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_a_production_start_without_secret_key_refuses_in_one_line():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode == 1
    assert result.stderr == (
        "claimtrack cannot start: Set SECRET_KEY (or DEBUG=1 for local development).\n"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_gunicorn_refuses_the_same_way(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update({**PRODUCTION, "SECRET_KEY": "", "PORT": str(free_port())})
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "claimtrack.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "claimtrack cannot start: Set SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_local_env_file_lets_manage_py_run_with_nothing_exported(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# written by make run\nDEBUG=1\nSECRET_KEY='local-only'\n")
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        ENV_FILE=str(env_file),
        DEBUG="",
        SECRET_KEY="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "local-only"


def test_a_malformed_env_file_is_named_without_its_content(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nthis line is secret-ish\n")
    result = manage("check", ENV_FILE=str(env_file))
    assert result.returncode == 1
    assert result.stderr == f"claimtrack cannot start: {env_file}: line 2 is not NAME=value\n"


# The headers, on a public page, a form, the admin, a file and an error.
PATHS = ["/", "/claims/", "/accounts/login/", "/admin/login/", "/claims/export.csv", "/nowhere/"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, db, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert not re.search(r"unsafe-(inline|eval)", " ".join(directives["script-src"]))
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_hsts_and_secure_cookies_when_served_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    assert client.get("/claims/").status_code == 301  # plain http is sent to https
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_no_hsts_over_plain_http_locally(client, db):
    assert "Strict-Transport-Security" not in client.get("/").headers
