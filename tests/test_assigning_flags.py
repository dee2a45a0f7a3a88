"""Triage: who may assign a flag, to whom, and what assigning records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claimtrack.claims.models import Flag, StaleEdit, assignable_users

from .conftest import make_user, raw_update, tag

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def flag(claim, reviewer):
    return Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))


def test_a_new_flag_is_unassigned_with_normal_priority_and_no_due_date(flag):
    assert (flag.assignee, flag.priority, flag.due_on) == (None, "normal", None)
    assert not flag.is_overdue


def test_an_editor_assigns_a_flag_and_the_history_says_who_and_what(flag, editor):
    assert flag.assign(by=editor, assignee=editor, priority="high", due_on=NEXT_WEEK)
    flag.refresh_from_db()
    assert (flag.assignee, flag.priority, flag.due_on, flag.version) == (
        editor,
        "high",
        NEXT_WEEK,
        2,
    )
    record = flag.history.first()
    assert (record.history_type, record.history_user, record.assignee) == ("~", editor, editor)
    assert record.history_change_reason == (
        f"Assigned to ed, high priority, due {NEXT_WEEK:%d %b %Y}."
    )


def test_unassigning_gives_the_flag_to_nobody(flag, editor):
    flag.assign(by=editor, assignee=editor, priority="low", due_on=None)
    flag.assign(by=editor, assignee=None, priority="low", due_on=None)
    flag.refresh_from_db()
    assert flag.assignee is None
    assert flag.history.first().history_change_reason == (
        "Assigned to nobody, low priority, no due date."
    )


def test_assigning_what_is_already_so_records_nothing(flag, editor):
    flag.assign(by=editor, assignee=editor, priority="high", due_on=NEXT_WEEK)
    versions = flag.history.count()
    assert not flag.assign(by=editor, assignee=editor, priority="high", due_on=NEXT_WEEK)
    assert flag.history.count() == versions


@pytest.mark.parametrize("persona", ["reviewer", "outsider"])
def test_it_refuses_assigning_by_someone_who_cannot_settle_flags(flag, editor, persona, request):
    with pytest.raises(PermissionDenied):
        flag.assign(
            by=request.getfixturevalue(persona), assignee=editor, priority="high", due_on=None
        )
    assert Flag.objects.get(pk=flag.pk).assignee is None


def test_an_admin_assigns_to_an_editor_and_to_themselves(flag, editor, superuser):
    flag.assign(by=superuser, assignee=editor, priority="normal", due_on=None)
    flag.assign(by=superuser, assignee=superuser, priority="normal", due_on=None)
    assert Flag.objects.get(pk=flag.pk).assignee == superuser


@pytest.mark.parametrize(
    "username, group, extra",
    [
        ("rita2", "Reviewers", {"is_staff": True}),  # reads and flags, neither settles nor reviews
        ("stan", None, {"is_staff": True}),  # staff in no group
        ("ella", "Editors", {"is_staff": False}),  # an editor who cannot use the admin
        ("gone", "Editors", {"is_staff": True, "is_active": False}),  # left
    ],
)
def test_it_assigns_only_to_active_staff_who_can_settle_or_review(
    flag, editor, username, group, extra
):
    someone = make_user(username, group, **extra)
    with pytest.raises(ValidationError) as error:
        flag.assign(by=editor, assignee=someone, priority="normal", due_on=None)
    assert error.value.error_dict["assignee"][0].code == "invalid_assignee"
    assert Flag.objects.get(pk=flag.pk).assignee is None


def test_who_may_be_assigned_a_flag(editor, reviewer, superuser, outsider):
    make_user("stan", is_staff=True)
    make_user("gone", "Editors", is_staff=True, is_active=False)
    assert list(assignable_users()) == [editor, superuser]


def test_it_refuses_an_unknown_priority(flag, editor):
    with pytest.raises(ValidationError) as error:
        flag.assign(by=editor, assignee=editor, priority="urgent", due_on=None)
    assert error.value.error_dict["priority"][0].code == "invalid_priority"


def test_the_database_refuses_an_unknown_priority(flag):
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_update(Flag.objects.filter(pk=flag.pk), priority="urgent")


def test_a_settled_flag_is_not_assigned(flag, editor):
    flag.dismiss(by=editor, note="Fine as worded.")
    stale = Flag.objects.get(pk=flag.pk)
    with pytest.raises(ValidationError) as error:
        stale.assign(by=editor, assignee=editor, priority="high", due_on=None)
    assert error.value.code == "already_settled"
    assert Flag.objects.get(pk=flag.pk).assignee is None


def test_assigning_from_a_stale_copy_raises_stale_edit(flag, editor, superuser):
    seen = flag.version
    Flag.objects.get(pk=flag.pk).assign(
        by=superuser, assignee=superuser, priority="low", due_on=None
    )
    with pytest.raises(StaleEdit):
        flag.assign(by=editor, assignee=editor, priority="high", due_on=None, expected_version=seen)
    assert Flag.objects.get(pk=flag.pk).assignee == superuser


def test_an_open_flag_due_before_today_is_overdue(flag, editor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    flag.assign(by=editor, assignee=None, priority="normal", due_on=yesterday)
    assert flag.is_overdue
    assert list(Flag.objects.overdue()) == [flag]
    flag.assign(by=editor, assignee=None, priority="normal", due_on=timezone.localdate())
    assert not flag.is_overdue  # due today is not late yet
    flag.assign(by=editor, assignee=None, priority="normal", due_on=yesterday)
    flag.dismiss(by=editor, note="Done.")
    assert not flag.is_overdue
    assert not Flag.objects.overdue().exists()
