"""Every role x every URL: one table, checked cell by cell.

Each row is a URL and a method; each column a role; each cell what that role gets. A cell is
a status code, a redirect (to the site's login page, the admin's, or elsewhere), or DONE: the
request did what it asks (a state-changing row checks that its state changed). A refused
state-changing request is also checked to have changed nothing (the flag still open, no row
added). README.md shows the same table (test_the_readme_shows_this_table).

The roles: a visitor not logged in; a reviewer (group Reviewers) and an editor (group
Editors), both staff; a staff member in no group ("staff": may log in to the admin, may do
nothing there); a superuser; and an editor deactivated while logged in, whom Django treats as
a visitor from the next request on.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import URLResolver, get_resolver, resolve

from claimtrack.claims.models import (
    Article,
    ArticleReview,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
    StaffProfile,
)

from .conftest import make_claim, raw_update, tag

ROLES = ["anonymous", "reviewer", "editor", "staff", "superuser", "inactive"]


@dataclass(frozen=True)
class Redirect:
    """A 302 to a URL starting with `to`."""

    to: str
    label: str

    def __str__(self):
        return f"→ {self.label}"


@dataclass(frozen=True)
class Done:
    """The request did what it asks: its status (or redirect) and its state changed."""

    then: Any

    def __str__(self):
        return f"done ({self.then})"


LOGIN = Redirect("/accounts/login/", "login")
ADMIN_LOGIN = Redirect("/admin/login/", "admin login")
ADMIN_INDEX = Redirect("/admin/", "admin index")
MY_WORK = Redirect("/desk/my-work/", "my work")
FLAGS = Redirect("/admin/claims/flag/", "flag list")
CLAIMS = Redirect("/admin/claims/claim/", "claim list")
OWN_PROFILE = Redirect("/admin/claims/staffprofile/", "own profile")
HOME = Redirect("/", "home")
DONE = Done(302)


@dataclass
class Row:
    method: str
    what: str
    path: str  # placeholders {name} filled from the World
    anonymous: Any
    reviewer: Any
    editor: Any
    staff: Any
    superuser: Any
    inactive: Any
    data: Callable[["World"], dict] | None = None
    state: Callable[["World"], Any] | None = None  # what a refused request leaves unchanged
    query: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self):
        return f"{self.method} {self.what}"

    def cell(self, role):
        return getattr(self, role)


def public(method, what, path, query=""):
    return Row(method, what, path, 200, 200, 200, 200, 200, 200, query=query)


def admin_read(what, path, reviewer=200, editor=200, superuser=200):
    """An admin page: visitors to the admin's login, staff without a role refused."""
    return Row("GET", what, path, ADMIN_LOGIN, reviewer, editor, 403, superuser, ADMIN_LOGIN)


def make_user(username, group=None, **extra):
    """A user without a password to hash (the cells log in with force_login): hashing six
    passwords for each of hundreds of cells would cost minutes."""
    user = User.objects.create(username=username, password="!", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


# The world each cell runs in (World.build): an article with a published claim (with evidence
# and a change in its history) and a draft ready to publish; one open flag raised by another
# reviewer (Rory) and one by the reviewer at hand (Rita); Rory's public profile.


@dataclass
class World:
    users: dict
    article: Article
    published: Claim
    draft: Claim
    citation: Citation
    flag: Flag  # raised by Rory, another reviewer
    own_flag: Flag  # raised by Rita, the reviewer
    profile: StaffProfile  # Rory's
    review: ArticleReview
    claimgroup: ClaimGroup
    tag: ReasonTag
    change: ClaimChange

    @classmethod
    def build(cls):
        users = {
            "reviewer": make_user("rita", "Reviewers", is_staff=True),
            "editor": make_user("ed", "Editors", is_staff=True),
            "staff": make_user("stan", is_staff=True),
            "superuser": make_user("sue", is_staff=True, is_superuser=True),
            "inactive": make_user("ina", "Editors", is_staff=True),
            "other": make_user("rory", "Reviewers", is_staff=True, first_name="Rory"),
        }
        article = Article.objects.create(
            slug="ketamine-news",
            title="Ketamine news",
            text="Ketamine can relieve depression within hours. It triggers BDNF release.",
        )
        citation = Citation.objects.create(
            slug="autry2011",
            kind="preclinical",
            authors="Autry AE, Adachi M",
            title="NMDA receptor blockade at rest triggers rapid antidepressant responses",
            year=2011,
        )
        published = make_claim(
            article,
            slug="bdnf",
            quote="It triggers BDNF release.",
            statement="Ketamine triggers BDNF release.",
            status="partly_supported",
            certainty="low",
            rationale="Shown in mice, not in people.",
        )
        Evidence.objects.create(
            claim=published, citation=citation, stance="qualifies", note="Mice."
        )
        published.change_verdict(
            by=users["editor"],
            status="overstated",
            certainty="low",
            rationale="Mice only.",
            note="Mice.",
        )
        draft = make_claim(
            article,
            status="overstated",
            certainty="low",
            rationale="One small trial.",
            published_at=None,
        )
        Evidence.objects.create(claim=draft, citation=citation, stance="qualifies", note="Mice.")
        Citation.objects.create(
            slug="murrough2013",
            kind="randomized_trial",
            authors="Murrough JW, Iosifescu DV",
            title="Antidepressant efficacy of ketamine in treatment-resistant major depression",
            year=2013,
        )
        flag = Flag.objects.raise_flag(
            claim=published, by=users["other"], reason=tag("overstates-impact")
        )
        own_flag = Flag.objects.raise_flag(
            claim=published, by=users["reviewer"], reason=tag("lacks-context")
        )
        review = ArticleReview(article=article, takeaway="Overstated.")
        review.save_edit(by=users["editor"], note="First review.")
        claimgroup = ClaimGroup.objects.create(name="Speed", slug="speed")
        raw_update(Claim.objects.filter(pk=published.pk), group=claimgroup)
        return cls(
            users=users,
            article=article,
            published=published,
            draft=draft,
            citation=citation,
            flag=flag,
            own_flag=own_flag,
            profile=StaffProfile.objects.make(users["other"]),
            review=review,
            claimgroup=claimgroup,
            tag=tag("overstates-impact"),
            change=published.changes.first(),
        )

    def fill(self, path):
        return path.format(
            article=self.article.slug,
            article_pk=self.article.pk,
            published=self.published.slug,
            published_pk=self.published.pk,
            draft=self.draft.pk,
            citation=self.citation.slug,
            citation_pk=self.citation.pk,
            flag=self.flag.pk,
            own_flag=self.own_flag.pk,
            profile=self.profile.slug,
            profile_pk=self.profile.pk,
            review=self.review.pk,
            claimgroup=self.claimgroup.pk,
            claimgroup_slug=self.claimgroup.slug,
            tag=self.tag.pk,
            change=self.change.pk,
            user=self.users["other"].pk,
            group=Group.objects.get(name="Reviewers").pk,
        )


# What each state-changing row reads before and after.


def flag_state(world):
    flag = Flag.objects.get(pk=world.flag.pk)
    return flag.state, flag.assignee_id, flag.comment, flag.version


def flag_count(world):
    return Flag.objects.count()


def claims_state(world):
    return list(Claim.objects.order_by("pk").values_list("pk", "status", "published_at", "slug"))


def profile_state(world):
    profile = StaffProfile.objects.get(pk=world.profile.pk)
    return profile.display_name, profile.bio


def review_state(world):
    return list(Claim.objects.order_by("pk").values_list("pk", "reviewed_at", "review_due_on"))


def email_setting(world):
    return list(StaffProfile.objects.order_by("pk").values_list("user", "email_on_flags"))


def articles(world):
    return list(Article.objects.values_list("slug", flat=True).order_by("slug"))


def evidence_state(world):
    return list(Evidence.objects.order_by("pk").values_list("pk", "claim", "citation"))


def dismissed(world):
    return world.article.dismissed_sentences.count()


def users_state(world):
    return list(User.objects.order_by("pk").values_list("pk", "username", "is_superuser"))


def groups_state(world):
    return sorted(Group.objects.get(name="Reviewers").permissions.values_list("pk", flat=True))


def reviewer_pk(world):
    return world.users["reviewer"].pk


def settle(world, decision="dismiss"):
    return {"decision": decision, "note": "Checked: the claim stands.", "new_status": ""}


def assign(world):
    return {
        "action": "assign",
        "_selected_action": [world.flag.pk],
        "apply": "1",
        "assignee": world.users["editor"].pk,
        "priority": "high",
        "due_on": "",
    }


def bulk_verdict(world):
    return {
        "action": "set_verdict",
        "_selected_action": [world.published.pk],
        "apply": "1",
        "status": "unsupported",
        "certainty": "low",
        "rationale": "Shown in mice only.",
        "note": "Re-read the trial.",
    }


def publish_action(world):
    return {"action": "publish_claims", "_selected_action": [world.draft.pk]}


def raise_in_admin(world):
    return {"claim": world.draft.pk, "reason": "overstates-confidence", "comment": "Too sure."}


def post_flag(world):
    return {"reason": "overstates-confidence", "comment": "Too sure."}


def verdict_of_published(world):
    claim = Claim.objects.get(pk=world.published.pk)
    return {
        "seen_version": claim.version,
        "status": "unsupported",
        "certainty": "low",
        "rationale": "No trial in people.",
        "note": "Re-read.",
    }


def verdict_of_draft(world):
    claim = Claim.objects.get(pk=world.draft.pk)
    return {
        "seen_version": claim.version,
        "status": "unsupported",
        "certainty": "low",
        "rationale": "No trial in people.",
        "note": "",
    }


def new_claim(world):
    return {
        "quote": "Ketamine can relieve depression",
        "statement": "Ketamine relieves it.",
        "topic": "efficacy",
    }


def new_evidence(world):
    return {"source": "Antidepressant efficacy", "stance": "supports", "note": "Mice."}


def other_profile(world):
    return {
        "display_name": "Someone else",
        "bio": "Changed by another.",
        "interests": "none",
        "interests_statement": "",
    }


def new_article(world):
    return {
        "action": "save",
        "title": "Psilocybin news",
        "slug": "psilocybin-news",
        "publisher": "",
        "author": "",
        "url": "",
        "published_on": "",
        "text": "Psilocybin cures depression in one dose.",
    }


def published_claim_post(world):
    return {"status": "supported", "rationale": "mine", "change_note": "x"}


STAFF_ONLY_JSON = 403  # the desk's lookups answer JSON, not a login page, to a script

MATRIX = [
    # The public site: open to everyone, logged in or not.
    public("GET", "home", "/"),
    public("GET", "claim list", "/claims/"),
    public("GET", "a claim", "/claims/{article}/{published}/"),
    public("GET", "article list", "/articles/"),
    public("GET", "an article", "/articles/{article}/"),
    public("GET", "an article's corrections", "/articles/{article}/changes/"),
    public("GET", "source list", "/sources/"),
    public("GET", "a source", "/sources/{citation}/"),
    public("GET", "reviewer list", "/reviewers/"),
    public("GET", "a reviewer", "/reviewers/{profile}/"),
    public("GET", "changes log", "/changes/"),
    public("GET", "how we rate", "/how-we-rate/"),
    public("GET", "CSV export", "/claims/export.csv"),
    public("GET", "JSON export", "/claims/export.json"),
    public("GET", "Atom feed", "/claims/feed/"),
    public("GET", "Atom feed: verdicts only", "/changes/feed/verdicts/"),
    public("GET", "Atom feed: an article's", "/articles/{article}/feed/"),
    public("GET", "article suggestions", "/articles/suggest.json", query="q=ket"),
    public("GET", "health check", "/healthz"),
    public("GET", "API: index", "/api/v1/"),
    public("GET", "API: claims", "/api/v1/claims/"),
    public("GET", "API: a claim", "/api/v1/claims/{published_pk}/"),
    # The API serves what the public sees, whoever asks: a draft is not there.
    Row("GET", "API: a draft", "/api/v1/claims/{draft}/", 404, 404, 404, 404, 404, 404),
    public("GET", "API: articles", "/api/v1/articles/"),
    public("GET", "API: an article", "/api/v1/articles/{article}/"),
    public("GET", "API: citations", "/api/v1/citations/"),
    public("GET", "API: a citation", "/api/v1/citations/{citation}/"),
    public("GET", "API: groups", "/api/v1/groups/"),
    public("GET", "API: a group", "/api/v1/groups/{claimgroup_slug}/"),
    public("GET", "API: changes", "/api/v1/changes/"),
    public("GET", "API: OpenAPI document", "/api/v1/openapi.json"),
    public("GET", "API: docs", "/api/v1/docs"),
    public("GET", "log-in page", "/accounts/login/"),
    # Logging out is a POST (a link cannot log anyone out); everyone lands on the home page.
    Row("GET", "log out by link", "/accounts/logout/", 405, 405, 405, 405, 405, 405),
    Row("POST", "log out", "/accounts/logout/", *[HOME] * 6),
    # A draft is not public, not even to staff (they preview it on the desk).
    Row("GET", "a draft claim", "/claims/{article}/within-hours/", 404, 404, 404, 404, 404, 404),
    # Flags from the claim page.
    Row(
        "POST",
        "flag a claim",
        "/claims/{article}/{published}/flag/",
        LOGIN,
        Done(Redirect("/claims/", "the claim")),
        Done(Redirect("/claims/", "the claim")),
        403,
        Done(Redirect("/claims/", "the claim")),
        LOGIN,
        data=post_flag,
        state=flag_count,
    ),
    Row(
        "GET",
        "flag a claim",
        "/claims/{article}/{published}/flag/",
        405,
        405,
        405,
        405,
        405,
        405,
    ),
    # The desk.
    Row("GET", "desk", "/desk/", ADMIN_LOGIN, MY_WORK, MY_WORK, MY_WORK, MY_WORK, ADMIN_LOGIN),
    Row("GET", "desk: my work", "/desk/my-work/", ADMIN_LOGIN, 200, 200, 200, 200, ADMIN_LOGIN),
    Row(
        "POST",
        "desk: email setting",
        "/desk/my-work/email/",
        ADMIN_LOGIN,
        Done(MY_WORK),
        Done(MY_WORK),
        Done(MY_WORK),
        Done(MY_WORK),
        ADMIN_LOGIN,
        data=lambda world: {},
        state=email_setting,
    ),
    Row(
        "GET",
        "desk: add an article",
        "/desk/articles/new/",
        ADMIN_LOGIN,
        403,
        200,
        403,
        200,
        ADMIN_LOGIN,
    ),
    Row(
        "POST",
        "desk: add an article",
        "/desk/articles/new/",
        ADMIN_LOGIN,
        403,
        Done(Redirect("/desk/articles/psilocybin-news/workspace/", "its workspace")),
        403,
        Done(Redirect("/desk/articles/psilocybin-news/workspace/", "its workspace")),
        ADMIN_LOGIN,
        data=new_article,
        state=articles,
    ),
    Row(
        "GET",
        "desk: claim workspace",
        "/desk/articles/{article}/workspace/",
        ADMIN_LOGIN,
        200,
        200,
        403,
        200,
        ADMIN_LOGIN,
    ),
    Row(
        "POST",
        "desk: draft a claim",
        "/desk/articles/{article}/claims/",
        ADMIN_LOGIN,
        DONE,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=new_claim,
        state=claims_state,
    ),
    Row(
        "POST",
        "desk: dismiss a candidate sentence",
        "/desk/articles/{article}/dismiss/",
        ADMIN_LOGIN,
        DONE,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=lambda world: {"sentence": "Ketamine can relieve depression within hours."},
        state=dismissed,
    ),
    Row(
        "POST",
        "desk: a draft's verdict",
        "/desk/claims/{draft}/verdict/",
        ADMIN_LOGIN,
        DONE,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=verdict_of_draft,
        state=claims_state,
    ),
    Row(
        "POST",
        "desk: a published claim's verdict",
        "/desk/claims/{published_pk}/verdict/",
        ADMIN_LOGIN,
        403,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=verdict_of_published,
        state=claims_state,
    ),
    Row(
        "POST",
        "desk: add evidence to a draft",
        "/desk/claims/{draft}/evidence/",
        ADMIN_LOGIN,
        DONE,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=new_evidence,
        state=evidence_state,
    ),
    Row(
        "POST",
        "desk: publish a draft",
        "/desk/claims/{draft}/publish/",
        ADMIN_LOGIN,
        403,
        DONE,
        403,
        DONE,
        ADMIN_LOGIN,
        data=lambda world: {},
        state=claims_state,
    ),
    Row(
        "GET",
        "desk: preview a draft",
        "/desk/claims/{draft}/preview/",
        ADMIN_LOGIN,
        200,
        200,
        403,
        200,
        ADMIN_LOGIN,
    ),
    Row(
        "GET",
        "desk: look up a citation",
        "/desk/lookup/citation/",
        STAFF_ONLY_JSON,
        400,
        400,
        STAFF_ONLY_JSON,
        400,
        STAFF_ONLY_JSON,
        query="identifier=nonsense",
    ),
    Row(
        "GET",
        "desk: similar claims",
        "/desk/similar/",
        STAFF_ONLY_JSON,
        200,
        200,
        STAFF_ONLY_JSON,
        200,
        STAFF_ONLY_JSON,
        query="statement=Ketamine+relieves+depression",
    ),
    Row(
        "GET",
        "desk: citation search",
        "/desk/citations/",
        STAFF_ONLY_JSON,
        200,
        200,
        STAFF_ONLY_JSON,
        200,
        STAFF_ONLY_JSON,
        query="q=NMDA",
    ),
    # The evidence watch: reviews that come due.
    Row("GET", "watch: reviews due", "/watch/due/", ADMIN_LOGIN, 200, 200, 403, 200, ADMIN_LOGIN),
    Row(
        "POST",
        "watch: a verdict stands",
        "/watch/due/{published_pk}/confirm/",
        ADMIN_LOGIN,
        403,
        Done(Redirect("/watch/due/", "reviews due")),
        403,
        Done(Redirect("/watch/due/", "reviews due")),
        ADMIN_LOGIN,
        data=lambda world: {"note": "Searched PubMed again; nothing new."},
        state=review_state,
    ),
    Row(
        "GET",
        "watch: a verdict stands",
        "/watch/due/{published_pk}/confirm/",
        405,
        405,
        405,
        405,
        405,
        405,
    ),
    # The admin: reading.
    Row("GET", "admin index", "/admin/", ADMIN_LOGIN, 200, 200, 200, 200, ADMIN_LOGIN),
    admin_read("claim list", "/admin/claims/claim/"),
    admin_read("a published claim", "/admin/claims/claim/{published_pk}/change/"),
    admin_read("a draft claim", "/admin/claims/claim/{draft}/change/"),
    admin_read("a claim's history", "/admin/claims/claim/{published_pk}/history/"),
    admin_read("add a claim", "/admin/claims/claim/add/"),
    admin_read("delete a draft", "/admin/claims/claim/{draft}/delete/"),
    admin_read(
        "delete a published claim", "/admin/claims/claim/{published_pk}/delete/", 403, 403, 403
    ),
    admin_read("article list", "/admin/claims/article/"),
    admin_read("an article", "/admin/claims/article/{article_pk}/change/"),
    admin_read("an article's history", "/admin/claims/article/{article_pk}/history/"),
    admin_read(
        "add an article",
        "/admin/claims/article/add/",
        reviewer=403,
        editor=Redirect("/desk/articles/new/", "desk intake"),
        superuser=Redirect("/desk/articles/new/", "desk intake"),
    ),
    admin_read(
        "delete an article with claims", "/admin/claims/article/{article_pk}/delete/", 403, 403, 403
    ),
    admin_read("citation list", "/admin/claims/citation/"),
    admin_read("a citation", "/admin/claims/citation/{citation_pk}/change/"),
    admin_read("a citation's history", "/admin/claims/citation/{citation_pk}/history/"),
    admin_read("add a citation", "/admin/claims/citation/add/"),
    admin_read(
        "delete a citation",
        "/admin/claims/citation/{citation_pk}/delete/",
        reviewer=403,
        editor=403,
    ),
    admin_read("flag queue", "/admin/claims/flag/"),
    admin_read("another reviewer's flag", "/admin/claims/flag/{flag}/change/"),
    admin_read("a flag's history", "/admin/claims/flag/{flag}/history/"),
    admin_read("raise a flag", "/admin/claims/flag/add/"),
    admin_read("delete a flag", "/admin/claims/flag/{flag}/delete/", 403, 403, 403),
    admin_read("article review list", "/admin/claims/articlereview/"),
    admin_read("an article review", "/admin/claims/articlereview/{review}/change/"),
    admin_read("an article review's history", "/admin/claims/articlereview/{review}/history/"),
    admin_read("add an article review", "/admin/claims/articlereview/add/", reviewer=403),
    admin_read(
        "delete an article review", "/admin/claims/articlereview/{review}/delete/", 403, 403, 403
    ),
    admin_read("claim group list", "/admin/claims/claimgroup/"),
    admin_read("a claim group", "/admin/claims/claimgroup/{claimgroup}/change/"),
    admin_read("add a claim group", "/admin/claims/claimgroup/add/", reviewer=403),
    admin_read(
        "delete a claim group", "/admin/claims/claimgroup/{claimgroup}/delete/", reviewer=403
    ),
    admin_read("reason tag list", "/admin/claims/reasontag/"),
    admin_read("a reason tag", "/admin/claims/reasontag/{tag}/change/"),
    admin_read("add a reason tag", "/admin/claims/reasontag/add/", reviewer=403),
    admin_read(
        "delete a reason tag", "/admin/claims/reasontag/{tag}/delete/", reviewer=403, editor=403
    ),
    admin_read("claim history list", "/admin/claims/claimchange/"),
    admin_read("a history entry", "/admin/claims/claimchange/{change}/change/"),
    admin_read("write history by hand", "/admin/claims/claimchange/add/", 403, 403, 403),
    admin_read(
        "staff profile list",
        "/admin/claims/staffprofile/",
        reviewer=OWN_PROFILE,
        editor=OWN_PROFILE,
    ),
    admin_read(
        "another's staff profile",
        "/admin/claims/staffprofile/{profile_pk}/change/",
        reviewer=ADMIN_INDEX,
        editor=ADMIN_INDEX,
    ),
    admin_read("user list", "/admin/auth/user/", reviewer=403, editor=403),
    admin_read("a user", "/admin/auth/user/{user}/change/", reviewer=403, editor=403),
    admin_read("add a user", "/admin/auth/user/add/", reviewer=403, editor=403),
    admin_read("group list", "/admin/auth/group/", reviewer=403, editor=403),
    admin_read("a group", "/admin/auth/group/{group}/change/", reviewer=403, editor=403),
    # django-axes' records of logins and lockouts: superusers only (they lift a lockout there).
    admin_read("login lockouts", "/admin/axes/accessattempt/", reviewer=403, editor=403),
    admin_read("login failures", "/admin/axes/accessfailurelog/", reviewer=403, editor=403),
    admin_read("logins", "/admin/axes/accesslog/", reviewer=403, editor=403),
    # The admin: writing.
    Row(
        "POST",
        "raise a flag in the admin",
        "/admin/claims/flag/add/",
        ADMIN_LOGIN,
        Done(FLAGS),
        Done(FLAGS),
        403,
        Done(FLAGS),
        ADMIN_LOGIN,
        data=raise_in_admin,
        state=flag_count,
    ),
    Row(
        "POST",
        "settle another reviewer's flag",
        "/admin/claims/flag/{flag}/change/",
        ADMIN_LOGIN,
        403,
        Done(FLAGS),
        403,
        Done(FLAGS),
        ADMIN_LOGIN,
        data=settle,
        state=flag_state,
    ),
    Row(
        "POST",
        "settle one's own flag",
        "/admin/claims/flag/{own_flag}/change/",
        ADMIN_LOGIN,
        403,
        Done(FLAGS),
        403,
        Done(FLAGS),
        ADMIN_LOGIN,
        data=settle,
        state=lambda world: Flag.objects.get(pk=world.own_flag.pk).state,
    ),
    Row(
        "POST",
        "edit another reviewer's flag",
        "/admin/claims/flag/{flag}/change/",
        ADMIN_LOGIN,
        403,
        FLAGS,
        403,
        FLAGS,
        ADMIN_LOGIN,
        data=lambda world: {
            "comment": "Rewritten by someone else.",
            "assignee": world.users["reviewer"].pk,
        },
        state=flag_state,
    ),
    Row(
        "POST",
        "assign flags (action)",
        "/admin/claims/flag/",
        ADMIN_LOGIN,
        200,
        Done(FLAGS),
        403,
        Done(FLAGS),
        ADMIN_LOGIN,
        data=assign,
        state=flag_state,
    ),
    Row(
        "POST",
        "delete a flag",
        "/admin/claims/flag/{flag}/delete/",
        ADMIN_LOGIN,
        403,
        403,
        403,
        403,
        ADMIN_LOGIN,
        data=lambda world: {"post": "yes"},
        state=flag_count,
    ),
    Row(
        "POST",
        "set verdicts (bulk action)",
        "/admin/claims/claim/",
        ADMIN_LOGIN,
        CLAIMS,
        Done(CLAIMS),
        403,
        Done(CLAIMS),
        ADMIN_LOGIN,
        data=bulk_verdict,
        state=claims_state,
    ),
    Row(
        "POST",
        "publish drafts (bulk action)",
        "/admin/claims/claim/",
        ADMIN_LOGIN,
        CLAIMS,
        Done(CLAIMS),
        403,
        Done(CLAIMS),
        ADMIN_LOGIN,
        data=publish_action,
        state=claims_state,
    ),
    Row(
        "POST",
        "change a published claim's verdict",
        "/admin/claims/claim/{published_pk}/change/",
        ADMIN_LOGIN,
        403,
        200,
        403,
        200,
        ADMIN_LOGIN,
        data=published_claim_post,
        state=claims_state,
    ),
    Row(
        "POST",
        "delete a draft",
        "/admin/claims/claim/{draft}/delete/",
        ADMIN_LOGIN,
        Done(CLAIMS),
        Done(CLAIMS),
        403,
        Done(CLAIMS),
        ADMIN_LOGIN,
        data=lambda world: {"post": "yes"},
        state=claims_state,
    ),
    Row(
        "POST",
        "delete a published claim",
        "/admin/claims/claim/{published_pk}/delete/",
        ADMIN_LOGIN,
        403,
        403,
        403,
        403,
        ADMIN_LOGIN,
        data=lambda world: {"post": "yes"},
        state=claims_state,
    ),
    Row(
        "POST",
        "edit another's staff profile",
        "/admin/claims/staffprofile/{profile_pk}/change/",
        ADMIN_LOGIN,
        ADMIN_INDEX,
        ADMIN_INDEX,
        403,
        Done(Redirect("/admin/claims/staffprofile/", "profile list")),
        ADMIN_LOGIN,
        data=other_profile,
        state=profile_state,
    ),
    Row(
        "POST",
        "make a user superuser",
        "/admin/auth/user/{user}/change/",
        ADMIN_LOGIN,
        403,
        403,
        403,
        Done(Redirect("/admin/auth/user/", "user list")),
        ADMIN_LOGIN,
        data=lambda world: {
            "username": "rory",
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "10:00:00",
        },
        state=users_state,
    ),
    Row(
        "POST",
        "change a group's permissions",
        "/admin/auth/group/{group}/change/",
        ADMIN_LOGIN,
        403,
        403,
        403,
        Done(Redirect("/admin/auth/group/", "group list")),
        ADMIN_LOGIN,
        data=lambda world: {"name": "Reviewers", "permissions": []},
        state=groups_state,
    ),
]


@pytest.fixture
def world(db):
    return World.build()


def log_in(client, role, world):
    if role == "anonymous":
        return
    user = world.users[role]
    client.force_login(user)
    if role == "inactive":
        user.is_active = False
        user.save()


def check(response, expected):
    if isinstance(expected, Done):
        expected = expected.then
    if isinstance(expected, Redirect):
        assert response.status_code == 302, response.status_code
        assert response.url.startswith(expected.to), response.url
    else:
        location = response.get("Location", "")
        assert response.status_code == expected, (response.status_code, location)


CELLS = [pytest.param(row, role, id=f"{role}-{row.id}") for row in MATRIX for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CELLS)
def test_cell(client, world, row, role):
    expected = row.cell(role)
    log_in(client, role, world)
    path = world.fill(row.path) + (f"?{row.query}" if row.query else "")
    before = row.state(world) if row.state else None
    if row.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, row.data(world) if row.data else {})
    check(response, expected)
    if row.state is not None:
        after = row.state(world)
        if isinstance(expected, Done):
            assert after != before, "the request was allowed but changed nothing"
        else:
            assert after == before, "a refused request changed something"


# The table as README.md shows it.


def cell_text(value):
    if isinstance(value, Done):
        then = value.then
        return "✓ done" + (f" {then}" if isinstance(then, Redirect) else "")
    return str(value)


def path_text(path):
    return path.replace("{", "<").replace("}", ">")


def matrix_markdown():
    header = "| Method | What | URL | " + " | ".join(ROLES) + " |"
    rule = "|" + "---|" * (3 + len(ROLES))
    lines = [header, rule]
    for row in MATRIX:
        url = path_text(row.path) + (f"?{row.query}" if row.query else "")
        cells = " | ".join(cell_text(row.cell(role)) for role in ROLES)
        lines.append(f"| {row.method} | {row.what} | `{url}` | {cells} |")
    return "\n".join(lines) + "\n"


def test_the_readme_shows_this_table():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = matrix_markdown()
    assert table in readme, f"README.md's table is not this one; paste it there:\n{table}"


def test_every_cell_is_an_outcome():
    for row in MATRIX:
        for role in ROLES:
            value = row.cell(role)
            assert isinstance(value, int | Redirect | Done), (row.id, role)
            if row.method == "POST" and isinstance(value, Done):
                assert row.state is not None, row.id


def named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name}"


def test_every_url_of_the_site_has_a_row(world):
    """A new page cannot slip past the table: each URL name outside the admin has a row, and
    each model in the admin has its list in a row."""
    covered = {resolve(world.fill(row.path)).view_name for row in MATRIX}
    # ninja names its fallback for the API's root; the API's index answers there first.
    covered.add("api:api-root")
    site = {
        name
        for name in named_urls(get_resolver().url_patterns)
        if ":" not in name or not name.startswith("admin:")
    }
    assert site - covered == set()
    changelists = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    }
    assert changelists - covered == set()
