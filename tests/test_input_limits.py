"""What a request may choose: orderings only from an allow-list, no lookup of its own reaching
the ORM, and a length limit on every text box (one character over: a 400 with the field's
message, nothing stored)."""

import re

import pytest
from django import forms

from claimtrack.claims.filters import ChangeFilter, ClaimFilter, SourceFilter
from claimtrack.claims.forms import ArticleListForm, FlagForm, SuggestForm
from claimtrack.claims.models import Article, Claim, Flag
from claimtrack.desk.forms import (
    EmailSettingsForm,
    EvidenceForm,
    IntakeForm,
    NewClaimForm,
    SimilarClaimsForm,
    VerdictForm,
)

from .conftest import make_user

LINKS = {
    "/claims/": r'href="(/claims/[\w-]+/[\w-]+/)"',
    "/articles/": r'href="(/articles/[\w-]+/)"',
    "/sources/": r'href="(/sources/[\w-]+/)"',
    "/changes/": r'href="(/claims/[\w-]+/[\w-]+/)"',
}


def listed(client, path, query=None):
    response = client.get(path, query or {})
    assert response.status_code == 200, (path, query, response.status_code)
    return re.findall(LINKS[path], response.content.decode())


# Orderings: only the listed ones; anything else is a 400, never an ORDER BY of its own.

REFUSED_ORDERINGS = [
    ("/claims/", "ordering", ["pk", "-id", "article__text", "quote", "reviewed_by__password", "?"]),
    ("/articles/", "sort", ["pk", "-title", "text", "published_claims", "claims__statement"]),
    ("/sources/", "sort", ["pk", "year", "-public_claims", "abstract", "evidence__note"]),
]


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [(path, name, value) for path, name, values in REFUSED_ORDERINGS for value in values],
)
def test_an_ordering_not_on_the_list_is_refused(seeded, client, path, name, value):
    response = client.get(path, {name: value})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "name", "values"),
    [
        ("/claims/", "ordering", ["reviewed", "-reviewed", "created", "-article", "statement"]),
        ("/articles/", "sort", ["title", "newest", "claims"]),
        ("/sources/", "sort", ["title", "newest", "oldest", "cited"]),
    ],
)
def test_the_listed_orderings_are_accepted(seeded, client, path, name, values):
    for value in values:
        assert listed(client, path, {name: value}), value


@pytest.fixture
def corrected(seeded):
    """Two published claims withdrawn: entries in the public corrections log."""
    editor = make_user("ed", "Editors", is_staff=True)
    for claim in Claim.objects.published().order_by("pk")[:2]:
        claim.withdraw(by=editor, note="Retracted study.")


def test_the_changes_log_takes_no_ordering_and_ignores_one(corrected, client):
    plain = listed(client, "/changes/")
    assert plain
    for name in ["ordering", "sort", "o"]:
        for value in ["-pk", "claim__statement", "changed_by__password"]:
            assert listed(client, "/changes/", {name: value}) == plain


# Lookups typed into the address: no filter of the request's own reaches the ORM.

LOOKUPS = {
    "article__text__regex": ".",
    "pk__gt": "999999999",
    "id": "1",
    "status__in": "supported",
    "claim__article__text__regex": "x",
    "reviewed_by__password__startswith": "pbkdf2",
    "citation__title__icontains": "zzz",
    "year__lt": "0",
    "__class__": "x",
}


@pytest.mark.parametrize("path", ["/claims/", "/articles/", "/sources/", "/changes/"])
def test_lookups_in_the_address_change_nothing(corrected, client, path):
    plain = listed(client, path)
    assert plain, "the list must show something for the comparison to mean anything"
    for name, value in LOOKUPS.items():
        assert listed(client, path, {name: value}) == plain, name
    assert listed(client, path, LOOKUPS) == plain


# Length limits: every text box of every public and desk form.

ARTICLE = Article(slug="a", title="A", text="Ketamine can relieve depression within hours.")
FORMS = {
    "FlagForm": lambda: FlagForm(),
    "ArticleListForm": lambda: ArticleListForm(),
    "SuggestForm": lambda: SuggestForm(),
    "ClaimFilter": lambda: ClaimFilter(queryset=Claim.objects.none()).form,
    "ChangeFilter": lambda: ChangeFilter().form,
    "SourceFilter": lambda: SourceFilter().form,
    "NewClaimForm": lambda: NewClaimForm(article=ARTICLE),
    "VerdictForm": lambda: VerdictForm(),
    "EvidenceForm": lambda: EvidenceForm(),
    "IntakeForm": lambda: IntakeForm(),
    "SimilarClaimsForm": lambda: SimilarClaimsForm(),
    "EmailSettingsForm": lambda: EmailSettingsForm(),
}


def text_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)  # URLField, SlugField and the like included
    }


@pytest.mark.parametrize("form_name", FORMS)
def test_every_text_field_has_a_limit_and_refuses_one_character_more(db, form_name):
    form = FORMS[form_name]()
    for name, field in text_fields(form).items():
        assert field.max_length, f"{form_name}.{name} has no max_length"
        try:
            field.clean("a" * (field.max_length + 1))
        except forms.ValidationError as error:
            assert any(
                f"at most {field.max_length:,} characters" in message
                or f"at most {field.max_length} characters" in message
                for message in error.messages
            ), (form_name, name, error.messages)
        else:
            pytest.fail(f"{form_name}.{name} took {field.max_length + 1} characters")


def too_long(field):
    return "a" * (field.max_length + 1)


@pytest.mark.parametrize(
    ("path", "form", "name"),
    [
        ("/claims/", lambda: ClaimFilter(queryset=Claim.objects.none()).form, "q"),
        ("/claims/", lambda: ClaimFilter(queryset=Claim.objects.none()).form, "article"),
        ("/articles/", ArticleListForm, "q"),
        ("/articles/suggest.json", SuggestForm, "q"),
        ("/sources/", lambda: SourceFilter().form, "q"),
        ("/sources/", lambda: SourceFilter().form, "journal"),
        ("/changes/", lambda: ChangeFilter().form, "article"),
        ("/claims/export.csv", lambda: ClaimFilter(queryset=Claim.objects.none()).form, "q"),
    ],
)
def test_a_public_parameter_one_character_too_long_is_a_400(db, client, path, form, name):
    limit = form().fields[name].max_length
    response = client.get(path, {name: "a" * (limit + 1)})
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert client.get(path, {name: "a" * limit}).status_code == 200


def test_a_flag_comment_one_character_too_long_is_a_400_and_no_flag(
    client, reviewer, unverifiable_claim
):
    claim_url = unverifiable_claim.get_absolute_url()
    client.force_login(reviewer)
    limit = FlagForm().fields["comment"].max_length
    response = client.post(
        claim_url + "flag/", {"reason": "overstates-impact", "comment": "a" * (limit + 1)}
    )
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert not Flag.objects.exists()


@pytest.fixture
def desk(client, db):
    client.force_login(make_user("ed", "Editors", is_staff=True))
    return client


def test_desk_texts_one_character_too_long_are_a_400_and_nothing_stored(desk, article):
    workspace = f"/desk/articles/{article.slug}/"
    quote_max = NewClaimForm(article=article).fields["quote"].max_length
    statement_max = NewClaimForm(article=article).fields["statement"].max_length
    for data, limit in [
        (
            {"quote": "a" * (quote_max + 1), "statement": "Ketamine works.", "topic": "efficacy"},
            quote_max,
        ),
        (
            {
                "quote": "relieve depression",
                "statement": "a" * (statement_max + 1),
                "topic": "efficacy",
            },
            statement_max,
        ),
    ]:
        response = desk.post(workspace + "claims/", data)
        assert response.status_code == 400
        assert f"at most {limit} characters" in response.content.decode()
    assert not Claim.objects.exists()
    text_max = IntakeForm().fields["text"].max_length
    response = desk.post(
        "/desk/articles/new/",
        {"action": "save", "title": "Long", "slug": "", "text": "a" * (text_max + 1)},
    )
    assert response.status_code == 400
    assert f"at most {text_max} characters" in response.content.decode()
    assert list(Article.objects.values_list("slug", flat=True)) == [article.slug]


def test_desk_verdict_and_evidence_too_long_are_a_400_and_nothing_stored(desk, claim):
    before = (claim.status, claim.rationale, claim.evidence.count())
    rationale = too_long(VerdictForm().fields["rationale"])
    data = {"seen_version": claim.version, "status": "unverifiable", "rationale": rationale}
    response = desk.post(f"/desk/claims/{claim.pk}/verdict/", data)
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    note = too_long(EvidenceForm().fields["note"])
    response = desk.post(
        f"/desk/claims/{claim.pk}/evidence/",
        {"source": "Antidepressant efficacy", "stance": "supports", "note": note},
    )
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.rationale, claim.evidence.count()) == before


def test_a_too_long_note_on_a_draft_verdict_is_shown_though_drafts_hide_the_note(desk, claim):
    # The "why it changes" box is only shown for published claims; a forged one still gets
    # its message where the editor can see it, and changes nothing.
    assert not claim.is_published
    note = too_long(VerdictForm().fields["note"])
    data = {"seen_version": claim.version, "status": "unverifiable", "note": note}
    response = desk.post(f"/desk/claims/{claim.pk}/verdict/", data)
    assert response.status_code == 400
    assert f"at most {len(note) - 1} characters" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "unreviewed"
