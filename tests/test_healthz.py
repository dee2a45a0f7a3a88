"""/healthz answers whether the database does."""

from unittest import mock

from django.db import OperationalError, connection


def test_it_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"


def test_it_answers_503_when_the_database_does_not(client, db):
    refused = OperationalError(
        'connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused\n'
        "\tIs the server running on that host?"
    )
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable: Connection refused\n"
