"""Logs are JSON lines on stderr: one per request with its id, status and time, and every server
error with its traceback (and mailed to ADMINS when there are any)."""

import json
import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

from claimtrack.lib.request_log import JsonFormatter, RequestIdFilter


def crash(request):
    raise RuntimeError("the view broke")


urlpatterns = [path("crash/", crash)]


class Lines(logging.Handler):
    """The formatted lines the stderr handler would write, kept for the test."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines():
    handler = Lines()
    loggers = [logging.getLogger(name) for name in ("claimtrack", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_request_is_one_line_with_its_id_status_and_time(client, db, log_lines):
    response = client.get("/claims/?status=supported")
    [line] = [line for line in log_lines if line["logger"] == "claimtrack.requests"]
    assert line["method"] == "GET" and line["path"] == "/claims/" and line["status"] == 200
    assert isinstance(line["ms"], float) and line["ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_a_plausible_request_id_from_the_proxy_is_kept_and_a_forged_one_is_not(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"] == (
        "lb-1234abcd"
    )
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "fake"}')
    assert forged["X-Request-ID"] != 'x"\n{"level": "fake"}'


def test_a_server_error_is_logged_with_its_traceback_and_request_id_and_mailed(
    db, settings, log_lines
):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("", "ops@example.org")]
    response = Client(raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    [error] = [line for line in log_lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert error["status"] == 500
    assert "RuntimeError: the view broke" in error["traceback"]
    assert error["request_id"] == response["X-Request-ID"]
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert "the view broke" in message.body


def test_the_error_page_leaks_nothing(db, settings):
    settings.ROOT_URLCONF = __name__
    page = Client(raise_request_exception=False).get("/crash/").content.decode()
    assert "RuntimeError" not in page and "Traceback" not in page and "the view broke" not in page


def test_every_line_is_one_line_of_json():
    record = logging.LogRecord("x", logging.ERROR, "f", 1, "two\nlines", None, None)
    formatted = JsonFormatter().format(record)
    assert "\n" not in formatted
    assert json.loads(formatted)["message"] == "two\nlines"
