"""Personas and shared fixtures: a reader (anonymous), a reviewer, an editor and an admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import Article, Citation, Claim, Evidence, ReasonTag, Status


def make_user(username, group=None, **extra):
    user = User.objects.create_user(username, password="pw-for-tests-only", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer(db):
    return make_user("rita", "Reviewers", is_staff=True)


@pytest.fixture
def editor(db):
    return make_user("ed", "Editors", is_staff=True)


@pytest.fixture
def superuser(db):
    return make_user("sue", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(db):
    """Logged in, but in no editorial group."""
    return make_user("olly")


@pytest.fixture
def article(db):
    return Article.objects.create(
        slug="ketamine-news",
        title="Ketamine news",
        text="Ketamine can relieve depression within hours. It triggers BDNF release.",
    )


def make_claim(article, slug="within-hours", quote="relieve depression within hours", **fields):
    claim = Claim(article=article, slug=slug, quote=quote, topic="efficacy", **fields)
    claim.statement = fields.get("statement", "Ketamine relieves depression within hours.")
    claim.full_clean()  # locates the quote, as the admin does
    claim.save()
    return claim


@pytest.fixture
def claim(article):
    return make_claim(article)


@pytest.fixture
def reviewed_claim(article):
    return make_claim(
        article,
        slug="bdnf",
        quote="It triggers BDNF release.",
        statement="Ketamine triggers BDNF release.",
        status=Status.PARTLY_SUPPORTED,
        certainty="low",
        rationale="Shown in mice, not in people.",
    )


@pytest.fixture
def evidenced_claim(reviewed_claim, citation):
    """A reviewed claim with one evidence link and one reason tag."""
    Evidence.objects.create(
        claim=reviewed_claim, citation=citation, stance="qualifies", note="Mice only."
    )
    reviewed_claim.reason_tags.add(ReasonTag.objects.get(slug="animal-extrapolation"))
    return reviewed_claim


@pytest.fixture
def citation(db):
    return Citation.objects.create(
        slug="murrough2013",
        kind="randomized_trial",
        authors="Murrough JW, Iosifescu DV",
        title="Antidepressant efficacy of ketamine in treatment-resistant major depression",
        year=2013,
        doi="10.1176/appi.ajp.2013.13030392",
        pmid="23982301",
    )


@pytest.fixture
def seeded(db):
    """The demo data: the five seed articles with their claims, evidence and citations."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
