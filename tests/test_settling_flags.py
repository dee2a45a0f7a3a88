"""Flags settle once: a second editor, or the loser of a race, is told who settled it, when and
how; nobody gets an error page."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from claimtrack.claims.models import Flag

from .conftest import make_claim, make_user, tag


def settle(client, flag, decision="dismiss", note="Not overstated."):
    url = reverse("admin:claims_flag_change", args=[flag.pk])
    return client.post(url, {"decision": decision, "note": note, "_save": "Save"}, follow=True)


def test_settling_a_settled_flag_says_who_settled_it_when_and_how(client, editor, reviewer, claim):
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    flag.uphold(by=editor, note="Hours, not minutes.")
    second = make_user("eve", "Editors", is_staff=True)
    client.force_login(second)
    response = settle(client, flag)
    assert response.status_code == 200  # the flag's page again, read-only, not a 403
    page = response.content.decode()
    assert "This flag was already upheld by ed on" in page
    assert "Hours, not minutes." in page
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.resolution_note) == (
        "upheld",
        editor,
        "Hours, not minutes.",
    )


@pytest.mark.django_db(transaction=True)
def test_two_editors_settling_one_flag_at_once_both_get_an_answer(migration_data, article):
    claim = make_claim(article)
    reviewer = make_user("rita", "Reviewers", is_staff=True)
    editors = [make_user(name, "Editors", is_staff=True) for name in ("ed", "eve")]
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    start = threading.Barrier(2, timeout=30)
    answers = {}

    def editor_settles(user, decision):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            answers[user.username] = settle(client, flag, decision, note=f"{decision} it.")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=editor_settles, args=(user, decision))
        for user, decision in zip(editors, ["uphold", "dismiss"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [answer.status_code for answer in answers.values()] == [200, 200]
    flag.refresh_from_db()
    winner = flag.resolved_by.username
    loser = ({"ed", "eve"} - {winner}).pop()
    assert flag.state in ("upheld", "dismissed")
    assert "This flag was already" in answers[loser].content.decode()
    assert f"by {winner} on" in answers[loser].content.decode()
    assert flag.history.filter(history_type="~").count() == 1  # settled once
