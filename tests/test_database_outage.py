"""While the database is down, /healthz says so and why (503), pages and exports answer a
friendly 503 before sending a byte, and once it is back the app recovers with no restart.

In-process, the outage is the connection pointed at a database that is not there. Under
gunicorn on PostgreSQL it is real: the test database stops accepting connections and the
worker's connection is cut, then both are given back.
"""

import os
import subprocess
import sys

import httpx
import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, OperationalError, connection

from claimtrack.lib.database_down import DatabaseUnavailableMiddleware
from tests.processes import database_url, free_port, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def point_nowhere():
    """Close the default connection and point it at a database that cannot be reached; returns
    its settings as they were."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = str(free_port())  # nothing listens there
    else:
        connection.settings_dict["NAME"] = "/nonexistent/directory/claimtrack.sqlite3"
    return saved


def point_back(saved):
    connection.close()
    connection.settings_dict.update(saved)


@pytest.fixture
def database_down():
    saved = point_nowhere()
    yield
    point_back(saved)


def test_healthz_gives_503_and_the_reason_then_recovers(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    reason = response.content.decode()
    assert reason.startswith("database unavailable: ")
    assert len(reason.strip()) > len("database unavailable:")


@pytest.mark.parametrize("path", ["/", "/claims/", "/claims/export.csv"])
def test_pages_and_exports_answer_a_friendly_503(client, database_down, path):
    response = client.get(path)
    assert response.status_code == 503
    assert not response.streaming  # not a byte of the export was sent
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "back in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.parametrize(
    "path",
    ["/claims/export.json", "/articles/suggest.json?q=ket", "/api/v1/claims/", "/api/v1/claims/1/"],
)
def test_json_addresses_answer_the_503_in_json(client, database_down, path):
    """A program asked for JSON: it gets JSON it can read, not the readers' page."""
    response = client.get(path)
    assert response.status_code == 503
    assert not response.streaming  # not a byte of the export was sent
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert "try again shortly" in response.json()["error"]
    assert "OperationalError" not in response.content.decode()


def test_the_app_recovers_when_the_database_is_back(client, migration_data):
    saved = point_nowhere()
    assert client.get("/healthz").status_code == 503
    point_back(saved)
    assert client.get("/healthz").status_code == 200
    assert client.get("/claims/").status_code == 200


def maintenance(sql, *params):
    """Run sql on the server's "postgres" database (not the test one, which it may close)."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql, params)


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="a real outage needs PostgreSQL",
)
def test_gunicorn_rides_out_a_postgresql_outage_without_a_restart(migration_data):
    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "CONN_MAX_AGE": "600",  # the worker keeps its connection: the outage must break it
        "PAGE_CACHE": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "claimtrack.wsgi"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = httpx.Client(base_url=f"http://127.0.0.1:{env['PORT']}", timeout=30)
    try:
        wait_for(lambda: app.get("/healthz").status_code == 200, "gunicorn", process)
        assert app.get("/claims/").status_code == 200
        connection.close()  # ours too: nothing may hold the database open
        maintenance(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        maintenance(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name
        )
        down = app.get("/healthz")
        assert down.status_code == 503
        assert "not currently accepting connections" in down.text
        page = app.get("/claims/")
        assert page.status_code == 503 and "back in a moment" in page.text

        maintenance(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        assert app.get("/healthz").status_code == 200
        assert app.get("/claims/").status_code == 200
        assert process.poll() is None  # the server was never restarted
    finally:
        maintenance(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        app.close()
        stop(process)


def test_a_query_the_database_refuses_is_no_outage(rf):
    # SQLite answers "no such table" (and "LIKE or GLOB pattern too complex") with the same
    # OperationalError as a lost connection: only a database that does not answer is an outage.
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nonsense FROM nowhere")
    except DatabaseError as error:
        refused = error
    assert middleware.process_exception(rf.get("/"), refused) is None  # a 500, logged as a bug
    saved = point_nowhere()
    try:
        response = middleware.process_exception(rf.get("/"), OperationalError("gone"))
    finally:
        point_back(saved)
    assert response.status_code == 503


def test_an_api_revalidation_in_an_outage_is_the_json_503(client, database_down):
    response = client.get("/api/v1/claims/", HTTP_IF_NONE_MATCH='"an-etag-from-before"')
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
