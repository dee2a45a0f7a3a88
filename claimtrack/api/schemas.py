"""The shapes of the API's answers: what the OpenAPI document promises and every answer is
checked against. Only what the public site shows: no drafts, no flags or their notes, no login
names (people appear by their public names), no article texts (the outlets' to license, not
ours: each claim carries its quote)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from claimtrack.claims.models import (
    Certainty,
    ChangeKind,
    CitationKind,
    NoticeKind,
    NoticeSource,
    Stance,
    Status,
    Topic,
)


def one_of(choices, blank=False):
    """The choices' stored values as a Literal: an enum in the OpenAPI document."""
    values = [*choices.values, ""] if blank else choices.values
    return Literal[tuple(values)]


StatusValue = one_of(Status)
OptionalStatus = one_of(Status, blank=True)
CertaintyValue = one_of(Certainty, blank=True)


class Error(Schema):
    error: str = Field(description="What was wrong, in words.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Each parameter in error, with what was wrong with it."
    )


class Licence(Schema):
    name: str
    url: str


class Index(Schema):
    title: str
    version: str
    licence: Licence
    docs: str = Field(description="This API's documentation, to try it in a browser.")
    openapi: str = Field(description="The OpenAPI 3 document.")
    lists: dict[str, str] = Field(description="The lists, by name.")


class ArticleRef(Schema):
    slug: str
    title: str
    url: str = Field(description="The article's own address, at its outlet.")
    page: str = Field(description="The article on this site, its claims highlighted.")
    api_url: str


class GroupRef(Schema):
    slug: str
    name: str
    api_url: str


class Claim(Schema):
    id: int = Field(description="Stable: the claim keeps it when its wording or slug changes.")
    slug: str
    page: str = Field(description="The claim's page on this site.")
    api_url: str
    article: ArticleRef
    quote: str = Field(description="The claim as its article wrote it.")
    statement: str = Field(description="The claim restated as one checkable proposition.")
    topic: one_of(Topic)
    status: StatusValue
    status_label: str
    certainty: CertaintyValue = Field(description="Certainty of the evidence; empty when none.")
    rationale: str
    reason_tags: list[str] = Field(description="Slugs of the reasons for the verdict.")
    group: GroupRef | None = Field(description="Claims in other articles that say the same.")
    group_note: str
    open_flags: int = Field(description="Reviewers' flags not yet settled by an editor.")
    evidence_count: int
    reviewed_at: datetime | None
    review_due_on: date | None = Field(description="When the verdict is next due for review.")
    published_at: datetime
    updated_at: datetime = Field(
        description="When anything public about the claim last changed (?updated_after=)."
    )
    withdrawn_at: datetime | None
    withdrawal_note: str


class Notice(Schema):
    kind: one_of(NoticeKind)
    kind_label: str
    date: date | None
    notice_doi: str
    notice_pmid: str
    notice_url: str = Field(description="The notice itself, at doi.org or PubMed.")
    reported_by: one_of(NoticeSource)


class Citation(Schema):
    key: str
    kind: one_of(CitationKind)
    kind_label: str
    authors: str
    title: str
    journal: str
    year: int | None
    doi: str
    doi_url: str
    pmid: str
    pubmed_url: str
    url: str
    page: str
    api_url: str
    notices: list[Notice] = Field(description="Retractions, corrections and other notices.")


class Evidence(Schema):
    stance: one_of(Stance)
    note: str = Field(description="What the source shows, for this claim.")
    citation: Citation


class Change(Schema):
    id: int
    claim_id: int
    claim_page: str
    claim_api_url: str
    kind: one_of(ChangeKind)
    kind_label: str
    title: str = Field(description="What changed, in words.")
    changed_at: datetime
    changed_by: str = Field(description="The public name of who made the change.")
    old_status: OptionalStatus
    new_status: OptionalStatus
    old_certainty: CertaintyValue
    new_certainty: CertaintyValue
    old_rationale: str
    new_rationale: str
    summary: str
    old_wording: str
    new_wording: str
    note: str = Field(description="Why.")


class ClaimDetail(Claim):
    reviewed_by: str | None = Field(description="The reviewer's public name.")
    evidence: list[Evidence]
    history: list[Change] = Field(description="The claim's corrections log, newest first.")


class Article(Schema):
    slug: str
    title: str
    publisher: str
    author: str
    url: str
    published_on: date | None
    page: str
    api_url: str
    claim_counts: dict[str, int] = Field(description="Its public claims, by status.")


class ArticleDetail(Article):
    claims: list[Claim] = Field(description="Its public claims, in the order of its text.")


class Group(Schema):
    slug: str
    name: str
    description: str
    api_url: str


class GroupDetail(Group):
    claims: list[Claim] = Field(description="Its public claims, by article title.")
    more_claims: bool = Field(description="More public claims than the list holds.")


class Page(Schema):
    next: str | None = Field(description="The next page's address; null on the last page.")
    cursor: str | None = Field(description="The next page's cursor, for ?cursor=.")
    licence: Licence


class ClaimPage(Page):
    items: list[Claim]


class ArticlePage(Page):
    items: list[Article]


class CitationPage(Page):
    items: list[Citation]


class GroupPage(Page):
    items: list[Group]


class ChangePage(Page):
    items: list[Change]
