"""My work (the desk): what waits for the logged-in person, and the admin front page's way in."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claimtrack.claims.models import Flag, StaffProfile

from .conftest import make_claim, make_user, raw_update, tag

MY_WORK = reverse("desk:my_work")
EMAIL_SETTINGS = reverse("desk:email_settings")
TODAY = timezone.localdate()


def days(n):
    return TODAY + datetime.timedelta(days=n)


def raise_flag(claim, by, slug):
    return Flag.objects.raise_flag(claim=claim, by=by, reason=tag(slug))


def flag_links(page):
    return [int(pk) for pk in re.findall(r'href="/admin/claims/flag/(\d+)/change/"', page)]


@pytest.fixture
def my_flags(claim, reviewer, editor, superuser):
    """ed's open flags in the order My work lists them, and flags it leaves out."""
    later = raise_flag(claim, reviewer, "lacks-context")
    undated_high = raise_flag(claim, reviewer, "misquoted")
    overdue = raise_flag(claim, reviewer, "outdated")
    undated_low = raise_flag(claim, reviewer, "cherry-picking")
    soon = raise_flag(claim, reviewer, "inadequate-support")
    someone_elses = raise_flag(claim, reviewer, "overstates-impact")
    settled = raise_flag(claim, reviewer, "animal-extrapolation")
    for flag, priority, due_on in [
        (later, "normal", days(10)),
        (undated_high, "high", None),
        (overdue, "low", days(-2)),
        (undated_low, "low", None),
        (soon, "normal", days(1)),
        (settled, "high", days(-5)),
    ]:
        flag.assign(by=editor, assignee=editor, priority=priority, due_on=due_on)
    someone_elses.assign(by=editor, assignee=superuser, priority="high", due_on=days(-9))
    settled.dismiss(by=editor, note="Done.")
    return [overdue, soon, later, undated_high, undated_low]


def test_my_work_lists_my_open_flags_overdue_first_then_by_due_date(client, editor, my_flags):
    client.force_login(editor)
    response = client.get(MY_WORK)
    assert response.status_code == 200
    page = response.content.decode()
    assert flag_links(page) == [flag.pk for flag in my_flags]
    mine = page[page.index('id="my-flags"') :]
    overdue_row = mine[mine.index(f"/admin/claims/flag/{my_flags[0].pk}/") :]
    overdue_row = overdue_row[: overdue_row.index("</tr>")]
    assert f"{days(-2):%-d %b %Y}" in overdue_row
    assert '<span class="ct-badge ct-flag-overdue">overdue</span>' in overdue_row
    assert "Outdated" in overdue_row and "Low" in overdue_row


def test_my_work_has_the_admins_look(client, editor):
    client.force_login(editor)
    page = client.get(MY_WORK).content.decode()
    assert "<title>My work | claimtrack admin</title>" in page
    assert '<div id="site-name"><a href="/admin/">claimtrack editorial admin</a></div>' in page
    assert '<a href="/admin/">Home</a> &rsaquo; My work' in page
    assert "No open flags are assigned to you." in page
    assert "<script>" not in page  # no inline script: only the admin's own files


def test_claims_whose_quote_needs_confirming_are_listed_for_those_who_may_review(
    client, editor, reviewer, article
):
    make_claim(article)  # in place
    moved = make_claim(article, slug="bdnf", quote="It triggers BDNF release.")
    raw_update(
        type(moved).objects.filter(pk=moved.pk),
        anchor="detached",
        passage_changed_at=timezone.now(),
    )
    client.force_login(editor)
    page = client.get(MY_WORK).content.decode()
    section = page[page.index('id="quotes"') :]
    assert f'href="/admin/claims/claim/{moved.pk}/change/"' in section
    assert "Changed or removed from the article" in section
    assert section.count("/admin/claims/claim/") == 1
    client.force_login(reviewer)
    assert 'id="quotes"' not in client.get(MY_WORK).content.decode()


def test_my_work_runs_as_many_queries_for_more_work(client, editor, reviewer, article):
    client.force_login(editor)
    raise_flag(make_claim(article, slug="c0"), reviewer, "outdated").assign(
        by=editor, assignee=editor, priority="normal", due_on=None
    )
    with CaptureQueriesContext(connection) as few:
        assert client.get(MY_WORK).status_code == 200
    for i in range(1, 15):
        flag = raise_flag(make_claim(article, slug=f"c{i}"), reviewer, "outdated")
        flag.assign(by=editor, assignee=editor, priority="high", due_on=days(i - 5))
    with CaptureQueriesContext(connection) as many:
        assert client.get(MY_WORK).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", [None, "outsider"])
def test_my_work_is_for_staff_only(client, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_desk_opens_on_my_work(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("desk:index"))
    assert (response.status_code, response["Location"]) == (302, MY_WORK)


# The email setting.


def test_the_email_setting_is_a_labelled_checkbox_ticked_by_default(client, editor):
    client.force_login(editor)
    page = client.get(MY_WORK).content.decode()
    assert re.search(r'<input type="checkbox" name="email_on_flags"[^>]* checked', page)
    assert '<label for="id_email_on_flags">Email me about flags:</label>' in page
    assert f'<form method="post" action="{EMAIL_SETTINGS}"' in page


def test_turning_the_emails_off_and_on_again(client, editor):
    client.force_login(editor)
    response = client.post(EMAIL_SETTINGS, {}, follow=True)  # an unticked box sends nothing
    assert response.redirect_chain == [(MY_WORK, 302)]
    assert StaffProfile.objects.get(user=editor).email_on_flags is False
    assert "No more emails about flags." in response.content.decode()
    assert not re.search(r'name="email_on_flags"[^>]* checked', response.content.decode())
    client.post(EMAIL_SETTINGS, {"email_on_flags": "on"})
    assert StaffProfile.objects.get(user=editor).email_on_flags is True


def test_the_email_setting_changes_only_with_a_post_by_staff(client, editor, outsider):
    client.force_login(editor)
    assert client.get(EMAIL_SETTINGS).status_code == 405
    client.force_login(outsider)
    assert client.post(EMAIL_SETTINGS, {})["Location"].startswith("/admin/login/")
    assert not StaffProfile.objects.exists()


# The admin's front page.


def test_the_admin_front_page_links_my_work_and_counts_the_queue(
    client, editor, superuser, my_flags, claim, reviewer
):
    raise_flag(claim, make_user("rob", "Reviewers", is_staff=True), "outdated")  # unassigned
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{MY_WORK}">My work</a>' in page
    box = page[page.index("<h2>Queue</h2>") :]
    box = box[: box.index("</ul>")]
    flags = reverse("admin:claims_flag_changelist")
    # Open: ed's five, sue's one, the unassigned one; overdue: ed's and sue's, not the settled.
    assert f'<a href="{flags}?state__exact=open">7 open flags</a>' in box
    assert f'<a href="{flags}?state__exact=open&amp;assignee=unassigned">1 unassigned</a>' in box
    assert f'<a href="{flags}?overdue=yes">2 overdue</a>' in box
    assert f'<a href="{flags}?state__exact=open&amp;assignee=mine">5 assigned to me</a>' in box


def test_staff_who_cannot_see_flags_get_the_link_but_no_queue(client, db):
    client.force_login(make_user("stan", is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{MY_WORK}">My work</a>' in page
    assert "<h2>Queue</h2>" not in page


def test_the_apps_own_page_has_no_queue_box(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:app_list", args=["claims"])).content.decode()
    assert "<h2>Queue</h2>" not in page


def draft_by(user, article, slug, **verdict):
    claim = make_claim(article, slug=slug, quote="It triggers BDNF release.", published_at=None)
    raw_update(type(claim).objects.filter(pk=claim.pk), drafted_by=user)
    if verdict:
        claim.refresh_from_db()
        claim.change_verdict(by=user, note="", **verdict)
    return claim


def test_my_work_lists_the_claims_i_drafted_with_a_link_to_their_workspace(
    client, reviewer, editor, article
):
    mine = draft_by(reviewer, article, "mine")
    draft_by(editor, article, "not-mine")
    client.force_login(reviewer)
    page = client.get(MY_WORK).content.decode()
    workspace = reverse("desk:workspace", args=[article.slug])
    assert f'href="{workspace}?claim={mine.pk}#panel"' in page
    assert page.count(f'href="{workspace}?claim=') == 1
    assert "Drafts ready to publish" not in page  # reviewers do not publish


def test_editors_see_others_drafts_that_are_ready_to_publish(
    client, reviewer, editor, article, citation
):
    verdict = {"status": "unverifiable", "certainty": "", "rationale": "No study is named."}
    ready = draft_by(reviewer, article, "ready", **verdict)
    draft_by(reviewer, article, "no-verdict-yet")
    needs_evidence = draft_by(
        reviewer, article, "needs-evidence", status="supported", certainty="", rationale="Yes."
    )
    client.force_login(editor)
    page = client.get(MY_WORK).content.decode()
    ready_section = page.split('id="ready"')[1]
    assert f"?claim={ready.pk}#panel" in ready_section
    assert f"?claim={needs_evidence.pk}#panel" not in ready_section
    needs_evidence.add_evidence(by=editor, citation=citation, stance="supports", note="Trial.")
    page = client.get(MY_WORK).content.decode()
    assert f"?claim={needs_evidence.pk}#panel" in page.split('id="ready"')[1]
