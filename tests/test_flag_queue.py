"""The review queue in the admin: its order, columns and filters, and the "Assign…" action."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims.models import Flag

from .conftest import make_claim, make_user, tag

FLAGS = reverse("admin:claims_flag_changelist")
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def raise_flag(claim, by, slug, comment=""):
    return Flag.objects.raise_flag(claim=claim, by=by, reason=tag(slug), comment=comment)


@pytest.fixture
def queue(claim, reviewer, editor):
    """Six flags, raised in this order, and the order the queue puts them in."""
    oldest = raise_flag(claim, reviewer, "lacks-context")
    overdue_low = raise_flag(claim, reviewer, "outdated")
    high = raise_flag(claim, reviewer, "misquoted")
    high_due_tomorrow = raise_flag(claim, reviewer, "cherry-picking")
    settled_high = raise_flag(claim, reviewer, "inadequate-support")
    overdue_normal = raise_flag(claim, reviewer, "overstates-impact")
    for flag, priority, due_on in [
        (overdue_low, "low", YESTERDAY),
        (high, "high", None),
        (high_due_tomorrow, "high", TOMORROW),
        (settled_high, "high", YESTERDAY),
        (overdue_normal, "normal", YESTERDAY),
    ]:
        flag.assign(by=editor, assignee=None, priority=priority, due_on=due_on)
    settled_high.dismiss(by=editor, note="No.")
    return [overdue_normal, overdue_low, high, high_due_tomorrow, oldest, settled_high]


def test_the_queue_puts_open_first_then_overdue_then_priority_then_oldest(queue):
    assert list(Flag.objects.review_queue()) == queue


def test_the_admin_lists_flags_in_queue_order(client, editor, queue):
    client.force_login(editor)
    assert list(client.get(FLAGS).context["cl"].result_list) == queue


def test_the_list_shows_claim_status_comment_reason_triage_and_state(
    client, editor, reviewer, reviewed_claim
):
    flag = raise_flag(reviewed_claim, reviewer, "overstates-impact", comment="Mice " * 30)
    flag.assign(by=editor, assignee=editor, priority="high", due_on=YESTERDAY)
    client.force_login(editor)
    page = client.get(FLAGS).content.decode()
    row = page[page.index('<tr><td class="action-checkbox">') :]
    row = row[: row.index("</tr>")]
    assert "Ketamine triggers BDNF release." in row
    assert '<span class="ct-badge ct-status-partly_supported">Partly supported</span>' in row
    assert "Mice Mice" in row and "…" in row and "Mice " * 30 not in row
    assert "Overstates the impact of a finding" in row
    assert ">ed<" in row
    assert ">High<" in row
    assert '<span class="ct-badge ct-flag-overdue">overdue</span>' in row
    assert '<span class="ct-badge ct-flag-open">Open</span>' in row


def test_the_list_runs_as_many_queries_for_more_flags(client, editor, reviewer, article):
    client.force_login(editor)
    raise_flag(make_claim(article, slug="c0"), reviewer, "outdated")
    with CaptureQueriesContext(connection) as few:
        assert client.get(FLAGS).status_code == 200
    for i in range(1, 20):
        flag = raise_flag(make_claim(article, slug=f"c{i}"), reviewer, "outdated")
        flag.assign(by=editor, assignee=editor, priority="low", due_on=TOMORROW)
    with CaptureQueriesContext(connection) as many:
        assert client.get(FLAGS).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"assignee": "mine"}, ["mine", "settled"]),
        ({"assignee": "mine", "state__exact": "open"}, ["mine"]),
        ({"assignee": "unassigned"}, ["nobody's", "overdue"]),
        ({"priority__exact": "high"}, ["mine"]),
        ({"overdue": "yes"}, ["overdue"]),
        ({"state__exact": "dismissed"}, ["settled"]),
    ],
)
def test_the_queue_filters_by_assignee_priority_overdue_and_state(
    client, editor, reviewer, claim, superuser, query, expected
):
    flags = {
        "mine": raise_flag(claim, reviewer, "outdated"),
        "someone else's": raise_flag(claim, reviewer, "misquoted"),
        "nobody's": raise_flag(claim, reviewer, "lacks-context"),
        "overdue": raise_flag(claim, reviewer, "cherry-picking"),
        "settled": raise_flag(claim, reviewer, "inadequate-support"),
    }
    flags["mine"].assign(by=editor, assignee=editor, priority="high", due_on=TOMORROW)
    flags["someone else's"].assign(by=editor, assignee=superuser, priority="low", due_on=None)
    flags["overdue"].assign(by=editor, assignee=None, priority="normal", due_on=YESTERDAY)
    flags["settled"].assign(by=editor, assignee=editor, priority="low", due_on=YESTERDAY)
    flags["settled"].dismiss(by=editor, note="No.")
    client.force_login(editor)
    shown = client.get(FLAGS, query).context["cl"].result_list
    names = {flag.pk: name for name, flag in flags.items()}
    assert sorted(names[flag.pk] for flag in shown) == sorted(expected)


# The "Assign…" action.


def choose(client, flags, **extra):
    """Select flags in the list and pick the action: the intermediate page, or its answer."""
    data = {"action": "assign", "_selected_action": [flag.pk for flag in flags], **extra}
    return client.post(FLAGS, data)


def test_assign_shows_a_page_choosing_assignee_priority_and_due_date(client, editor, queue):
    client.force_login(editor)
    response = choose(client, queue[:2])
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_assignee">Assignee:</label>' in page
    assert '<option value="" selected>Nobody (unassign)</option>' in page
    assert f'<option value="{editor.pk}">ed</option>' in page
    assert "rita" not in page.split('id="id_assignee"')[1].split("</select>")[0]
    assert '<label for="id_priority">Priority:</label>' in page
    assert '<label for="id_due_on">Due date:</label>' in page
    assert 'type="date" name="due_on"' in page
    for flag in queue[:2]:
        assert f'name="seen_version_{flag.pk}" value="{flag.version}"' in page


def test_assign_gives_each_chosen_flag_to_the_assignee(client, editor, superuser, queue):
    client.force_login(editor)
    chosen = queue[2:5]
    response = choose(
        client,
        chosen,
        apply="Assign",
        assignee=superuser.pk,
        priority="high",
        due_on=TOMORROW.isoformat(),
        **{f"seen_version_{flag.pk}": flag.version for flag in chosen},
    )
    assert response.status_code == 302
    for flag in chosen:
        flag.refresh_from_db()
        assert (flag.assignee, flag.priority, flag.due_on) == (superuser, "high", TOMORROW)
        assert flag.history.first().history_user == editor
    assert Flag.objects.filter(assignee=superuser).count() == 3
    messages = [str(m) for m in client.get(FLAGS).context["messages"]]
    assert messages == ["Assigned 3 of 3 flag(s) to sue."]


def test_assign_leaves_settled_and_since_changed_flags_alone_and_says_so(
    client, editor, superuser, queue
):
    client.force_login(editor)
    open_flag, settled = queue[0], queue[-1]
    seen = open_flag.version
    open_flag.assign(by=superuser, assignee=superuser, priority="low", due_on=None)
    response = choose(
        client,
        [open_flag, settled],
        apply="Assign",
        assignee=editor.pk,
        priority="high",
        due_on="",
        **{f"seen_version_{open_flag.pk}": seen, f"seen_version_{settled.pk}": settled.version},
    )
    assert response.status_code == 302
    assert Flag.objects.get(pk=open_flag.pk).assignee == superuser
    assert Flag.objects.get(pk=settled.pk).assignee is None
    messages = [str(m) for m in client.get(FLAGS).context["messages"]]
    assert messages[0] == "Assigned 0 of 2 flag(s) to ed."
    assert "saved by someone else since you chose it" in messages[1]
    assert "This flag was already dismissed by ed" in messages[1]


def test_assign_refuses_someone_who_cannot_be_assigned(client, editor, reviewer, queue):
    client.force_login(editor)
    response = choose(client, queue[:1], apply="Assign", assignee=reviewer.pk, priority="high")
    assert response.status_code == 200  # the page again, with the error
    assert "Select a valid choice." in response.content.decode()
    assert Flag.objects.get(pk=queue[0].pk).assignee is None


def test_reviewers_are_not_offered_the_assign_action(client, reviewer, editor, queue):
    client.force_login(reviewer)
    page = client.get(FLAGS).content.decode()
    assert 'value="assign"' not in page
    choose(client, queue[:1], apply="Assign", assignee=editor.pk, priority="high")
    assert Flag.objects.get(pk=queue[0].pk).assignee is None


def test_staff_outside_the_groups_cannot_open_the_queue(client, queue):
    client.force_login(make_user("stan", is_staff=True))
    assert client.get(FLAGS).status_code == 403
