"""Flagging a claim from its page: who may, what it creates, and what it refuses."""

import re

import pytest
from django.test import Client

from claimtrack.claims.models import Evidence, Flag, ReasonTag

from .conftest import make_claim, tag

FLAG_URL = "/claims/ketamine-news/within-hours/flag/"
CLAIM_URL = "/claims/ketamine-news/within-hours/"


@pytest.fixture
def claim(article, citation):
    """The claim at CLAIM_URL, published (only a public page offers the flag form), with
    evidence that would carry an upheld flag's new verdict."""
    claim = make_claim(
        article,
        status="partly_supported",
        certainty="low",
        rationale="Within hours for some patients, in small trials.",
    )
    Evidence.objects.create(claim=claim, citation=citation, stance="qualifies", note="n=73 RCT")
    return claim


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_a_reviewer_sees_the_flag_form(client, claim, reviewer):
    client.force_login(reviewer)
    page = client.get(CLAIM_URL).content.decode()
    assert f'<form method="post" action="{FLAG_URL}"' in page
    assert 'name="tags"' not in page  # one vocabulary: the reason is a reason tag
    assert 'name="comment"' in page
    assert "Log in to flag" not in page


def test_each_reason_is_a_reason_tag_shown_with_its_definition(client, claim, reviewer):
    client.force_login(reviewer)
    page = client.get(CLAIM_URL).content.decode()
    form = page[page.index('class="flag-form"') :]
    radios = re.findall(r'<input type="radio" name="reason" value="([^"]+)"', form)
    assert radios == [
        *ReasonTag.objects.exclude(slug="other").values_list("slug", flat=True),
        "other",
    ]
    n = radios.index("overstates-impact")
    assert (
        f'<input type="radio" name="reason" value="overstates-impact" id="id_reason_{n}"'
        f' required aria-describedby="id_reason_{n}_definition">'
    ) in form
    assert (
        f'<label for="id_reason_{n}">Overstates the impact of a finding</label> '
        f'<small id="id_reason_{n}_definition">Real finding, but its size, speed or '
        "reach is exaggerated.</small>"
    ) in form
    assert ">Misquoted</label> <small id=" in form
    assert "The quote or the statement does not match what the article says.</small>" in form
    assert "Something else; the reviewer&#x27;s comment says what.</small>" in form


@pytest.mark.parametrize("persona", ["reviewer", "editor", "superuser"])
def test_a_user_who_may_flag_raises_a_flag(client, claim, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(
        FLAG_URL,
        {"reason": "overstates-impact", "comment": "Days, not hours."},
        follow=True,
    )
    assert response.redirect_chain == [(CLAIM_URL, 302)]
    flag = Flag.objects.get()
    assert (flag.claim, flag.raised_by, flag.reason, flag.comment, flag.state) == (
        claim,
        user,
        tag("overstates-impact"),
        "Days, not hours.",
        "open",
    )
    assert messages_of(response) == [
        "Thank you: your flag is with the editors, who will uphold or dismiss it."
    ]
    assert "1 open flag waiting for the editors." in response.content.decode()


def test_a_flag_needs_no_comment(client, claim, reviewer):
    client.force_login(reviewer)
    client.post(FLAG_URL, {"reason": "lacks-context"})
    flag = Flag.objects.get()
    assert (flag.reason.slug, flag.comment) == ("lacks-context", "")


def test_other_without_a_comment_is_a_400_that_asks_for_one(client, claim, reviewer):
    client.force_login(reviewer)
    response = client.post(FLAG_URL, {"reason": "other", "comment": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what is wrong: “Other” needs a comment." in page
    assert re.search(r'value="other"[^>]*checked', page)  # the choice is kept
    assert not Flag.objects.exists()


def test_a_duplicate_flag_shows_the_error_and_creates_nothing(client, claim, reviewer):
    Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    client.force_login(reviewer)
    response = client.post(FLAG_URL, {"reason": "overstates-impact"}, follow=True)
    assert response.redirect_chain == [(CLAIM_URL, 302)]
    assert messages_of(response) == ["You already have an open flag on this claim for this reason."]
    assert Flag.objects.count() == 1


def test_a_flag_without_a_reason_is_a_400_with_the_message(client, claim, reviewer):
    client.force_login(reviewer)
    response = client.post(FLAG_URL, {"comment": "Hmm"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose what is wrong with the claim." in page
    assert "Hmm</textarea>" in page  # what they typed is kept
    assert not Flag.objects.exists()


# "overstated" was a reason before reasons became tags.
@pytest.mark.parametrize("data", [{"reason": "boring"}, {"reason": "overstated"}])
def test_an_unknown_reason_is_a_400(client, claim, reviewer, data):
    client.force_login(reviewer)
    assert client.post(FLAG_URL, data).status_code == 400
    assert not Flag.objects.exists()


def test_anonymous_visitors_are_invited_to_log_in(client, claim):
    page = client.get(CLAIM_URL).content.decode()
    assert (
        '<a href="/accounts/login/?next=/claims/ketamine-news/within-hours/">Log in to flag</a>'
    ) in page
    assert '<form method="post" action="/claims/' not in page


def test_it_sends_an_anonymous_post_to_log_in_and_creates_nothing(client, claim):
    response = client.post(FLAG_URL, {"reason": "overstates-impact"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/claims/ketamine-news/within-hours/"
    assert not Flag.objects.exists()


def test_it_refuses_a_user_without_the_permission(client, claim, outsider):
    client.force_login(outsider)
    page = client.get(CLAIM_URL).content.decode()
    assert "Only claimtrack reviewers and editors can flag claims." in page
    assert 'name="reason"' not in page
    response = client.post(FLAG_URL, {"reason": "overstates-impact"})
    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_it_refuses_get(client, claim, reviewer):
    client.force_login(reviewer)
    assert client.get(FLAG_URL).status_code == 405


def test_flagging_an_unknown_claim_is_a_404(client, claim, reviewer):
    client.force_login(reviewer)
    assert client.post("/claims/ketamine-news/nope/flag/", {"reason": "other"}).status_code == 404


def test_it_refuses_a_forged_post_without_the_csrf_token(claim, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(FLAG_URL, {"reason": "overstates-impact"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
    assert not Flag.objects.exists()


def test_it_accepts_the_token_from_the_claim_page(claim, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    page = client.get(CLAIM_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(FLAG_URL, {"reason": "overstates-impact", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Flag.objects.count() == 1


def test_the_claim_page_shows_an_upheld_flags_new_status_and_history(
    client, claim, reviewer, editor
):
    client.force_login(reviewer)
    client.post(FLAG_URL, {"reason": "overstates-impact"})
    flag = Flag.objects.get()
    flag.uphold(
        by=editor,
        note="Hours for some, days for most.",
        status="overstated",
        rationale="Relief within hours is seen in some patients only.",
    )
    client.logout()
    page = client.get(CLAIM_URL).content.decode()
    assert (
        '<a class="badge badge--link status-overstated" href="/how-we-rate/#status-overstated">'
        'Overstated<span class="visually-hidden">' in page
    )
    assert "No open flags." in page
    history = page[page.index('id="history"') :]
    assert (
        "A reviewer&#x27;s flag (overstates the impact of a finding) was upheld: "
        "Hours for some, days for most." in history
    )
    assert "— A claimtrack reviewer" in history  # ed gave no name; never the login name


def test_a_flag_raised_on_the_site_is_in_the_admins_queue(client, claim, reviewer, editor):
    client.force_login(reviewer)
    client.post(FLAG_URL, {"reason": "overstates-impact", "comment": "Days, not hours."})
    client.force_login(editor)
    page = client.get("/admin/claims/flag/").content.decode()
    assert "Ketamine relieves depression within hours." in page
    assert "Days, not hours." in page
