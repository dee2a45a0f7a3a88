"""Looking a paper up by DOI or PMID (claimtrack.scholarly), against recorded answers."""

import ast
from pathlib import Path

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

import claimtrack.scholarly
from claimtrack.claims.models import CitationKind
from claimtrack.scholarly import crossref, pubmed
from claimtrack.scholarly.lookup import LookupFailed, lookup
from claimtrack.scholarly.reference import KINDS
from claimtrack.settings import envseconds, envurl

from .conftest import CROSSREF, EUTILS, fixture_citation, recorded

MURROUGH_DOI = "10.1176/appi.ajp.2013.13030392"
FIELDS = ["authors", "title", "journal", "year", "kind", "doi", "pmid"]


def as_on_file(slug):
    return {name: fixture_citation(slug)[name] for name in FIELDS}


def fields(reference):
    return {name: getattr(reference, name) for name in FIELDS}


@pytest.mark.parametrize(
    "pasted",
    [
        f"https://doi.org/{MURROUGH_DOI}",
        "PMID: 23982301",
        "https://pubmed.ncbi.nlm.nih.gov/23982301/",
    ],
)
def test_a_doi_or_pmid_gives_the_fields_as_the_citations_write_them(services, pasted):
    services.paper("murrough2013")
    found = lookup(pasted)
    assert fields(found) == as_on_file("murrough2013")
    assert found.url == ""  # the DOI and PubMed links are made from the identifiers


def test_crossref_names_and_pages_come_out_in_the_house_format(services):
    services.work("10.1001/archpsyc.63.8.856").respond(json=recorded("crossref_zarate2006.json"))
    nothing = {"esearchresult": {"count": "0", "idlist": []}}
    services.esearch("10.1001/archpsyc.63.8.856").respond(json=nothing)
    found = lookup("doi:10.1001/archpsyc.63.8.856")
    on_file = as_on_file("zarate2006")
    assert found.authors == on_file["authors"]  # "Zarate CA Jr, Singh JB, …"
    assert (found.title, found.journal, found.year) == (
        on_file["title"],
        on_file["journal"],
        on_file["year"],
    )
    assert (found.pmid, found.kind) == ("", "other")  # PubMed had no record: kind unknown


@pytest.mark.parametrize(
    "slug", ["murrough2013", "wilkinson2018", "glue2017", "lodge2015", "schwenk2018_acutepain"]
)
def test_the_kind_comes_from_pubmeds_publication_types(slug):
    on_file = fixture_citation(slug)
    record = recorded(f"esummary_{slug}.json")["result"][on_file["pmid"]]
    assert pubmed.reference(record, on_file["pmid"]).kind == on_file["kind"]


@pytest.mark.parametrize(
    "types, kind",
    [
        (["Journal Article", "Review", "Meta-Analysis"], "systematic_review"),
        (["Systematic Review"], "systematic_review"),
        (["Randomized Controlled Trial", "Multicenter Study"], "randomized_trial"),
        (["Case Reports", "Review"], "case_report"),
        (["Review"], "narrative_review"),
        (["Guideline"], "guideline"),
        (["Practice Guideline", "Review"], "guideline"),
        (["Journal Article"], "other"),
        ([], "other"),
    ],
)
def test_publication_types_map_to_a_kind(types, kind):
    assert pubmed.kind_of(types) == kind


@pytest.mark.parametrize(
    "crossref_type, kind",
    [
        ("book", "book"),
        ("monograph", "book"),
        ("book-chapter", "book"),
        ("journal-article", "other"),
    ],
)
def test_crossref_book_types_are_books_published_by_their_publisher(crossref_type, kind):
    work = {"type": crossref_type, "publisher": "Basic Books", "publisher-location": "New York"}
    found = crossref.reference(work, "")
    assert found.kind == kind
    if kind == "book":
        assert found.journal == "Basic Books, New York"


def test_every_kind_a_lookup_gives_is_a_citation_kind():
    assert set(KINDS) <= set(CitationKind.values)


def test_a_second_lookup_is_answered_from_the_cache(services):
    routes = services.paper("murrough2013")
    first = lookup(MURROUGH_DOI)
    assert lookup(f"https://doi.org/{MURROUGH_DOI.upper()}") == first
    assert [route.call_count for route in routes] == [1, 1, 1]


def test_a_503_is_retried_after_a_short_wait_then_answered(services):
    services.paper("murrough2013")
    work = recorded("crossref_murrough2013.json")
    route = services.work(MURROUGH_DOI)
    route.side_effect = [
        httpx.Response(503, headers={"Retry-After": "2"}),
        httpx.Response(502),
        httpx.Response(200, json=work),
    ]
    assert lookup(MURROUGH_DOI).title == work["message"]["title"][0]
    assert route.call_count == 3
    assert services.waits == [2.0, 1.0]  # Retry-After, then the doubled backoff


def test_a_long_retry_after_is_cut_short_and_the_attempts_end(services):
    route = services.work(MURROUGH_DOI).respond(429, headers={"Retry-After": "3600"})
    with pytest.raises(LookupFailed) as failed:
        lookup(MURROUGH_DOI)
    assert str(failed.value) == (
        "Crossref could not be reached (it answered 429). Fill in the fields by hand or try again."
    )
    assert route.call_count == 3
    assert services.waits == [5.0, 5.0]


def test_a_timeout_says_crossref_could_not_be_reached(services):
    route = services.work(MURROUGH_DOI)
    route.side_effect = httpx.ConnectTimeout
    with pytest.raises(LookupFailed) as failed:
        lookup(MURROUGH_DOI)
    assert str(failed.value) == (
        "Crossref could not be reached (timed out). Fill in the fields by hand or try again."
    )
    assert route.call_count == 3
    assert services.waits == [0.5, 1.0]


def test_an_unknown_doi_says_so_at_once(services):
    route = services.work(MURROUGH_DOI).respond(404, text="Resource not found.")
    with pytest.raises(LookupFailed) as failed:
        lookup(MURROUGH_DOI)
    assert str(failed.value) == (
        f"No DOI {MURROUGH_DOI} on Crossref – check it, or fill in the fields by hand."
    )
    assert route.call_count == 1


def test_an_unknown_pmid_says_so(services):
    # How esummary answers for a PMID it has no record of.
    missing = {
        "result": {
            "uids": ["23982301"],
            "23982301": {"uid": "23982301", "error": "cannot get document summary"},
        }
    }
    services.esummary("23982301").respond(json=missing)
    with pytest.raises(LookupFailed, match="No PMID 23982301 on PubMed – check it"):
        lookup("23982301")


def test_what_is_no_identifier_is_refused_without_asking_anyone(services):
    with pytest.raises(LookupFailed, match="neither a DOI .* nor a PMID"):
        lookup("ketamine depression 2013")
    assert not services.router.calls


def test_when_pubmed_fails_the_crossref_record_comes_without_a_pmid_and_is_not_cached(services):
    work, *_ = services.paper("murrough2013")
    services.esearch(MURROUGH_DOI).side_effect = httpx.ConnectError
    found = lookup(MURROUGH_DOI)
    assert (found.title, found.pmid) == (
        recorded("crossref_murrough2013.json")["message"]["title"][0],
        "",
    )
    lookup(MURROUGH_DOI)
    assert work.call_count == 2  # asked again: PubMed may answer this time


def test_the_services_are_asked_politely(services):
    work, search, summary = services.paper("murrough2013")
    lookup(MURROUGH_DOI)
    for route in (work, search, summary):
        agent = route.calls.last.request.headers["User-Agent"]
        assert agent.startswith("claimtrack/")
        assert "mailto:editors@claimtrack.invalid" in agent
    assert work.calls.last.request.url.params["mailto"] == "editors@claimtrack.invalid"
    for route in (search, summary):
        params = route.calls.last.request.url.params
        assert (params["tool"], params["email"]) == ("claimtrack", "editors@claimtrack.invalid")


def test_the_services_addresses_come_from_the_settings(services, settings):
    settings.CROSSREF_API_URL = "https://mirror.example.org/crossref"
    settings.NCBI_EUTILS_URL = "https://mirror.example.org/eutils"
    settings.SCHOLARLY_CONTACT_EMAIL = "desk@example.org"
    routes = services.paper(
        "murrough2013", crossref=settings.CROSSREF_API_URL, eutils=settings.NCBI_EUTILS_URL
    )
    assert lookup(MURROUGH_DOI).pmid == "23982301"
    assert [route.call_count for route in routes] == [1, 1, 1]
    assert "mailto:desk@example.org" in routes[0].calls.last.request.headers["User-Agent"]
    assert CROSSREF not in str(routes[0].calls.last.request.url)
    assert EUTILS not in str(routes[1].calls.last.request.url)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "600"])
def test_a_bad_timeout_setting_is_refused(monkeypatch, value):
    monkeypatch.setenv("SCHOLARLY_TIMEOUT", value)
    with pytest.raises(ImproperlyConfigured, match="SCHOLARLY_TIMEOUT must be a number"):
        envseconds("SCHOLARLY_TIMEOUT", 5.0)


def test_a_service_address_setting_must_be_http_and_loses_its_trailing_slash(monkeypatch):
    monkeypatch.setenv("CROSSREF_API_URL", "https://mirror.example.org/crossref/")
    assert envurl("CROSSREF_API_URL", CROSSREF) == "https://mirror.example.org/crossref"
    monkeypatch.setenv("CROSSREF_API_URL", "api.crossref.org")
    with pytest.raises(ImproperlyConfigured, match="CROSSREF_API_URL must be an http"):
        envurl("CROSSREF_API_URL", CROSSREF)


def test_scholarly_imports_neither_the_domain_nor_the_desk():
    """Imports run one way, towards the domain: scholarly is below claims and the desk."""
    package = Path(claimtrack.scholarly.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 1, module  # nothing above the package, relatively
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(("claimtrack.claims", "claimtrack.desk")), module
