"""Identifiers as editors paste them (claimtrack.scholarly.identifiers)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from claimtrack.claims.models import Citation
from claimtrack.scholarly.identifiers import normalize_doi, normalize_pmid, parse_identifier

from .conftest import form_data

DOI = "10.1176/appi.ajp.2013.13030392"


@pytest.mark.parametrize(
    "pasted",
    [
        DOI,
        f"  {DOI}  ",
        f"{DOI}.",
        f"({DOI});",
        f"https://doi.org/{DOI}",
        f"http://dx.doi.org/{DOI}",
        f"doi.org/{DOI}",
        f"doi:{DOI}",
        f"DOI: {DOI}",
        f"https://doi.org/{DOI.replace('/', '%2F')}",
        f"<{DOI}>",
    ],
)
def test_a_doi_is_stored_bare_whatever_way_it_was_pasted(pasted):
    assert normalize_doi(pasted) == DOI


def test_a_dois_case_and_inner_punctuation_are_kept():
    doi = "10.1016/S0006-3223(99)00230-9"
    assert normalize_doi(f"https://doi.org/{doi}.") == doi


def test_what_is_not_a_doi_comes_back_trimmed_for_the_validator():
    assert normalize_doi(" not a doi. ") == "not a doi"
    assert normalize_doi("") == ""


@pytest.mark.parametrize(
    "pasted",
    [
        "23982301",
        " 23982301 ",
        "PMID: 23982301",
        "pmid 23982301",
        "https://pubmed.ncbi.nlm.nih.gov/23982301/",
        "https://www.ncbi.nlm.nih.gov/pubmed/23982301",
        "pubmed.ncbi.nlm.nih.gov/23982301/?from=search",
    ],
)
def test_a_pmid_is_stored_as_its_number(pasted):
    assert normalize_pmid(pasted) == "23982301"


@pytest.mark.parametrize(
    "pasted, parsed",
    [
        (f"https://doi.org/{DOI}", ("doi", DOI)),
        (f"doi:{DOI}.", ("doi", DOI)),
        (DOI, ("doi", DOI)),
        ("10.1016/S0006-3223(99)00230-9", ("doi", "10.1016/S0006-3223(99)00230-9")),
        ("PMID: 23982301", ("pmid", "23982301")),
        ("23982301", ("pmid", "23982301")),
        ("https://pubmed.ncbi.nlm.nih.gov/23982301/", ("pmid", "23982301")),
    ],
)
def test_a_pasted_identifier_is_told_apart(pasted, parsed):
    assert parse_identifier(pasted) == parsed


@pytest.mark.parametrize(
    "pasted", ["", "ketamine", "murrough2013", "0123", "https://example.org/10.1176/x"]
)
def test_what_is_neither_a_doi_nor_a_pmid_is_none(pasted):
    assert parse_identifier(pasted) is None


# On the citation form and in the model.


@pytest.fixture
def citation_form(client, editor):
    client.force_login(editor)
    url = reverse("admin:claims_citation_add")
    data = form_data(client.get(url), "citation_form")
    data.update(slug="new2013", kind="randomized_trial", authors="Murrough JW", title="A trial")
    return url, data


def test_a_pasted_doi_url_and_pubmed_url_are_saved_bare(client, citation_form):
    url, data = citation_form
    data.update(doi=f"https://doi.org/{DOI}.", pmid="https://pubmed.ncbi.nlm.nih.gov/23982301/")
    assert client.post(url, data).status_code == 302
    saved = Citation.objects.get(slug="new2013")
    assert (saved.doi, saved.pmid) == (DOI, "23982301")


def test_the_browser_lets_a_long_link_be_pasted(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_citation_add")).content.decode()
    for name in ["doi", "pmid"]:
        tag = page[page.index(f'name="{name}"') :].split(">")[0]
        assert "maxlength" not in tag


def test_a_duplicate_doi_of_another_case_is_refused_with_a_link_to_the_one_on_file(
    client, citation, citation_form
):
    url, data = citation_form
    data.update(doi=f"doi:{DOI.upper()}")
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    on_file = reverse("admin:claims_citation_change", args=[citation.pk])
    assert f'This DOI is already on file: <a href="{on_file}">' in page
    assert "citation_unique_doi" not in page
    assert not Citation.objects.filter(slug="new2013").exists()


def test_the_database_refuses_a_doi_differing_only_in_case(citation):
    other = Citation(slug="copy", kind="other", authors="X", title="Y", doi=DOI.upper())
    with pytest.raises(ValidationError, match="A citation with this DOI is already on file."):
        other.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
