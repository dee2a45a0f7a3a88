"""Sources as pages: a source's page with the published claims resting on it, and the sources
list, searched by author, title, journal, year, DOI and PMID."""

import re
from html import unescape

import pytest
from django.db import connection

from claimtrack.claims import views
from claimtrack.claims.filters import SourceFilter
from claimtrack.claims.models import Citation, Evidence, Status
from tests.conftest import make_claim

# For an anonymous reader each page first reads the public version it is cached under. Then
# the source page reads the source with its count, its notices (retractions, corrections), and
# a page of its evidence with the claims and their articles; the list reads a page of sources
# with their counts.
SOURCE_QUERIES = 4
SOURCE_LIST_QUERIES = 2
# "Most cited" first asks whether there are too many sources to count them all.
MOST_CITED_QUERIES = 3


def titles(response):
    """The titles of the sources a list page shows, in order."""
    found = re.findall(r'<h3 class="source-card__title"><a href="[^"]+">([^<]+)</a>', response)
    return [unescape(title) for title in found]


@pytest.fixture
def trial(citation, article):
    """murrough2013 (DOI and PMID) as evidence for a published claim and for a draft."""
    published = make_claim(
        article,
        status=Status.SUPPORTED,
        rationale="A randomised trial found it.",
        statement="Ketamine relieves depression within hours.",
    )
    Evidence.objects.create(
        claim=published, citation=citation, stance="supports", note="n=73, a day after."
    )
    draft = make_claim(
        article,
        slug="draft-bdnf",
        quote="It triggers BDNF release.",
        statement="A draft about BDNF, not yet public.",
        status=Status.UNSUPPORTED,
        rationale="Not checked yet.",
        published_at=None,
    )
    Evidence.objects.create(claim=draft, citation=citation, stance="contradicts", note="Secret.")
    return citation


@pytest.fixture
def sources(trial, reviewed_claim):
    """Three sources on file: murrough2013 and autry2011 cited by published claims, and one
    cited by a draft only."""
    hidden = Citation.objects.create(
        slug="draftonly2020",
        kind="observational",
        authors="Nobody N",
        title="A cohort only a draft cites",
        journal="Journal of Drafts",
        year=2020,
        pmid="11111111",
    )
    draft = trial.evidence.get(claim__slug="draft-bdnf").claim
    Evidence.objects.create(claim=draft, citation=hidden, stance="supports", note="Drafted.")
    return trial


# A source's page


def test_the_source_page_says_what_the_source_is_with_its_identifiers_as_links(client, trial):
    response = client.get("/sources/murrough2013/")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "<h1>Antidepressant efficacy of ketamine in treatment-resistant major depression</h1>"
        in page
    )
    assert "Murrough JW, Iosifescu DV" in page
    assert "Randomized trial" in page
    assert '<a href="/sources/?year=2013">2013</a>' in page
    assert '<a href="https://doi.org/10.1176/appi.ajp.2013.13030392"' in page
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/23982301/"' in page


def test_the_source_page_links_its_url_when_it_has_one(client, trial):
    trial.url = "https://example.org/report.pdf"
    trial.save()
    page = client.get("/sources/murrough2013/").content.decode()
    assert '<a href="https://example.org/report.pdf" rel="nofollow noopener">' in page


def test_the_source_page_lists_the_claims_resting_on_it_with_stance_and_note(client, trial):
    page = client.get("/sources/murrough2013/").content.decode()
    claim = trial.evidence.get(claim__slug="within-hours").claim
    assert (
        f'<a href="{claim.get_absolute_url()}">Ketamine relieves depression within hours.</a>'
        in page
    )
    assert (
        '<a class="badge badge--link status-supported" href="/how-we-rate/#status-supported">'
        "Supported<span"
    ) in page
    assert '<span class="stance stance-supports">Supports</span>' in page
    assert "n=73, a day after." in page
    assert '<a href="/articles/ketamine-news/">Ketamine news</a>' in page
    assert "1 published claim cites it as evidence" in page


def test_the_source_page_never_shows_a_draft(client, trial):
    page = client.get("/sources/murrough2013/").content.decode()
    assert "A draft about BDNF" not in page
    assert "Secret." not in page
    assert "Contradicts" not in page


def test_a_withdrawn_claim_stays_on_the_source_page_marked_withdrawn(client, trial, editor):
    claim = trial.evidence.get(claim__slug="within-hours").claim
    claim.withdraw(by=editor, note="Quoted from the wrong article.")
    page = client.get("/sources/murrough2013/").content.decode()
    assert claim.get_absolute_url() in page
    assert '<span class="source-claims__withdrawn">Withdrawn</span>' in page


def test_an_unknown_source_is_a_404(client, db):
    assert client.get("/sources/nobody1999/").status_code == 404


def test_a_source_only_drafts_cite_is_not_found(client, sources):
    assert client.get("/sources/draftonly2020/").status_code == 404


def test_the_source_page_runs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    busiest = Citation.objects.public().with_public_claims().order_by("-public_claims").first()
    assert busiest.public_claims > 3
    with django_assert_num_queries(SOURCE_QUERIES):
        response = client.get(busiest.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<li class="claim-card">') == busiest.public_claims


def test_a_source_cited_by_many_claims_is_shown_a_page_at_a_time(
    client, citation, article, monkeypatch, django_assert_num_queries
):
    for n in range(5):
        claim = make_claim(
            article,
            slug=f"claim-{n}",
            statement=f"Claim number {n}.",
            status=Status.SUPPORTED,
            rationale="A trial.",
        )
        Evidence.objects.create(claim=claim, citation=citation, stance="supports", note=f"N{n}")
    monkeypatch.setattr(views, "SOURCE_CLAIMS_PER_PAGE", 2)
    first = client.get("/sources/murrough2013/").content.decode()
    assert first.count('<li class="claim-card">') == 2
    assert "5 published claims cite it as evidence; 1–2 here" in first
    next_link = re.search(r'rel="next" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    with django_assert_num_queries(SOURCE_QUERIES):
        second = client.get(f"/sources/murrough2013/?{next_link}").content.decode()
    assert second.count('<li class="claim-card">') == 2
    assert set(re.findall(r"N\d", first)).isdisjoint(re.findall(r"N\d", second))
    assert client.get("/sources/murrough2013/?page=x").status_code == 400


# The sources list


def test_the_list_shows_public_sources_with_their_count_of_public_claims(client, sources):
    response = client.get("/sources/")
    assert response.status_code == 200
    page = response.content.decode()
    assert titles(page) == [
        "Antidepressant efficacy of ketamine in treatment-resistant major depression",
        "NMDA receptor blockade at rest triggers rapid behavioural antidepressant responses",
    ]
    # murrough2013: the published claim, not the draft.
    assert page.count("1 claim rests on it") == 2
    assert "A cohort only a draft cites" not in page


@pytest.mark.parametrize(
    "query",
    [
        "q=murrough",  # an author
        "q=IOSIFESCU",  # any case
        "q=treatment-resistant+ketamine",  # words of the title, in any order
        "q=psychiatry",  # the journal
        "q=murrough+2013",  # an author and the year
        "q=10.1176/appi.ajp.2013.13030392",  # a bare DOI
        "q=doi:10.1176/APPI.AJP.2013.13030392",  # doi: and in capitals
        "q=https://doi.org/10.1176/appi.ajp.2013.13030392",  # a doi.org link
        "q=23982301",  # a PMID
        "q=PMID+23982301",
        "q=pmid:23982301",
        "journal=american+journal",
        "year=2013",
        "kind=randomized_trial",
    ],
)
def test_the_list_finds_a_source_by(client, sources, query):
    sources.journal = "American Journal of Psychiatry 170(10):1134-1142"
    sources.save()
    response = client.get(f"/sources/?{query}")
    assert response.status_code == 200
    assert titles(response.content.decode()) == [sources.title]


@pytest.mark.parametrize(
    "query",
    [
        "q=murrough+2011",  # the author, not that year
        "q=10.1176/other",  # another DOI
        "q=PMID+23982302",
        "q=zzzq",
        "q=nobody",  # the author of a source only a draft cites
        "q=11111111",  # its PMID
        "journal=lancet",
        "year=1999",
    ],
)
def test_the_list_finds_nothing_for(client, sources, query):
    response = client.get(f"/sources/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert titles(page) == []
    assert "No source matches these filters." in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=twenty", "Year: Enter a whole number."),
        ("year=2013.5", "Year: Enter a whole number."),
        ("year=99999", "Year: Ensure this value is less than or equal to 2999."),
        ("year=13", "Year: Ensure this value is greater than or equal to 1000."),
        ("kind=blog", "Kind: Select a valid choice. blog is not one of"),
        ("sort=random", "Order by: Select a valid choice. random is not one of"),
        ("q=" + "x" * 201, "Search sources: Ensure this value has at most 200 characters"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_forms_message(client, sources, query, message):
    response = client.get(f"/sources/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "These filters cannot be used:" in page
    assert message in page
    assert titles(page) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", "ANZ"),  # Antidepressant…, NMDA…, Zz…
        ("newest", "ZAN"),  # 2024, 2013, 2011
        ("oldest", "NAZ"),
        ("cited", "ZAN"),  # two claims, then one each by title
    ],
)
def test_the_list_sorts(client, sources, reviewed_claim, sort, expected):
    newest = Citation.objects.create(
        slug="zz2024", kind="other", authors="Zed Z", title="Zz: a newer source", year=2024
    )
    for claim in (reviewed_claim, sources.evidence.get(claim__slug="within-hours").claim):
        Evidence.objects.create(claim=claim, citation=newest, stance="supports", note="Both.")
    shown = titles(client.get(f"/sources/?sort={sort}").content.decode())
    assert "".join(title[0] for title in shown) == expected


def test_most_cited_with_too_many_sources_comes_in_title_order_and_says_so(
    client, sources, monkeypatch
):
    monkeypatch.setattr("claimtrack.claims.filters.MOST_CITED_AT_MOST", 1)
    monkeypatch.setattr("claimtrack.claims.views.MOST_CITED_AT_MOST", 1)
    page = client.get("/sources/?sort=cited").content.decode()
    assert titles(page)[0].startswith("Antidepressant")
    assert "More than 1 sources match, too many to put the most cited first" in page
    narrowed = client.get("/sources/?sort=cited&q=murrough").content.decode()
    assert "too many to put the most cited first" not in narrowed


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", SOURCE_LIST_QUERIES),
        ("?q=ketamine", SOURCE_LIST_QUERIES),
        ("?journal=psychiatry&year=2013", SOURCE_LIST_QUERIES),
        ("?sort=newest", SOURCE_LIST_QUERIES),
        ("?sort=cited", MOST_CITED_QUERIES),
    ],
)
def test_the_list_runs_a_fixed_number_of_queries(
    client, seeded, query, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        response = client.get(f"/sources/{query}")
    assert response.status_code == 200
    assert titles(response.content.decode())


def test_the_list_pages_follow_their_cursors(client, seeded, monkeypatch):
    monkeypatch.setattr(views, "SOURCES_PER_PAGE", 10)
    seen, url = [], "/sources/?sort=newest"
    while url:
        page = client.get(url).content.decode()
        seen += titles(page)
        link = re.search(r'rel="next" href="\?([^"]+)"', page)
        url = "/sources/?" + link.group(1).replace("&amp;", "&") if link else None
    public = Citation.objects.public()
    assert len(seen) == public.count() > 10
    assert sorted(seen) == sorted(public.values_list("title", flat=True))


def test_the_filterset_searches_on_its_own(sources):
    found = SourceFilter({"q": "doi:10.1176/appi.ajp.2013.13030392"}, Citation.objects.all())
    assert found.is_valid()
    assert list(found.qs) == [sources]


# Where the sources are linked from


def test_the_claim_page_links_each_citation_to_its_source_page(client, trial):
    claim = trial.evidence.get(claim__slug="within-hours").claim
    page = client.get(claim.get_absolute_url()).content.decode()
    assert (
        '<cite><a href="/sources/murrough2013/">Antidepressant efficacy of ketamine in '
        "treatment-resistant major depression</a></cite>" in page
    )
    assert '<a href="https://doi.org/10.1176/appi.ajp.2013.13030392">' in page  # still there


def test_the_main_nav_marks_the_sources_pages_current(client, trial):
    for url in ("/sources/", "/sources/murrough2013/"):
        page = client.get(url).content.decode()
        assert '<a href="/sources/" aria-current="page">Sources</a>' in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes")
@pytest.mark.parametrize(
    ("search", "index"),
    [
        (lambda sources: sources.search("murrough"), "citation_text_trgm"),
        (lambda sources: sources.in_journal("psychiatry"), "citation_journal_trgm"),
        (lambda sources: sources.search("doi:10.1176/X"), "citation_unique_doi"),
        (lambda sources: sources.search("PMID 23982301"), "citation_unique_pmid"),
    ],
)
def test_the_search_is_read_off_its_index_on_postgresql(db, search, index):
    # A tiny table is read whole, or in the order of its slugs; forbid that and leave the
    # order out, to see which index the search can use.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(Citation.objects.order_by()).explain()
    assert index in plan, plan
