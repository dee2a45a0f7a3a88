"""Citations by identifier on the editorial desk: the citation form's "Look up" (the desk's JSON
endpoint, and the admin without JavaScript) and the evidence inline's citation search."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claimtrack.claims.models import Citation

from .conftest import fixture_citation, form_data, make_user, recorded

LOOKUP = reverse("desk:lookup_citation")
ADD = reverse("admin:claims_citation_add")
DOI = "10.1176/appi.ajp.2013.13030392"
FIELDS = ["authors", "title", "journal", "year", "kind", "doi", "pmid"]


def on_file(slug="murrough2013"):
    return {name: fixture_citation(slug)[name] for name in FIELDS}


def change_url(citation):
    return reverse("admin:claims_citation_change", args=[citation.pk])


# The JSON endpoint (static/desk/citation_lookup.js).


def test_a_pasted_doi_link_gives_the_fields(client, editor, services):
    services.paper("murrough2013")
    client.force_login(editor)
    response = client.get(LOOKUP, {"identifier": f"https://doi.org/{DOI}"})
    assert response.status_code == 200
    assert response.json() == {"fields": on_file()}  # nothing empty: a typed URL stays


def test_a_citation_on_file_is_named_without_asking_the_services(
    client, editor, citation, services
):
    client.force_login(editor)
    response = client.get(LOOKUP, {"identifier": "PMID: 23982301"})
    assert response.status_code == 200
    assert response.json() == {
        "existing": {"label": str(citation), "admin_url": change_url(citation)}
    }
    assert not services.router.calls


def test_a_pmid_whose_paper_is_on_file_under_its_doi_is_named(client, editor, services):
    only_doi = Citation.objects.create(
        slug="murrough", kind="other", authors="Murrough JW", title="A trial", doi=DOI.upper()
    )
    services.paper("murrough2013")
    client.force_login(editor)
    response = client.get(LOOKUP, {"identifier": "23982301"})
    assert response.json()["existing"]["admin_url"] == change_url(only_doi)


def test_the_citation_being_edited_is_not_on_file_for_itself(client, editor, citation, services):
    services.paper("murrough2013")
    client.force_login(editor)
    response = client.get(LOOKUP, {"identifier": DOI, "citation": citation.pk})
    assert response.json()["fields"]["title"] == on_file()["title"]


@pytest.mark.parametrize(
    "identifier, answer, status, message",
    [
        ("", None, 400, "Type or paste a DOI or PMID"),
        ("ketamine", None, 400, "“ketamine” is neither a DOI"),
        (DOI, {"status_code": 404}, 404, f"No DOI {DOI} on Crossref – check it"),
        (DOI, {"status_code": 503}, 502, "Crossref could not be reached (it answered 503)"),
    ],
)
def test_a_failed_lookup_says_why_with_its_status(
    client, editor, services, identifier, answer, status, message
):
    if answer:
        services.work(DOI).respond(**answer)
    client.force_login(editor)
    response = client.get(LOOKUP, {"identifier": identifier})
    assert response.status_code == status
    assert response.json()["error"].startswith(message)


@pytest.fixture
def staff_without_permission(db):
    return make_user("stan", is_staff=True)


@pytest.mark.parametrize("who", [None, "outsider", "staff_without_permission"])
def test_the_lookup_is_refused_to_others(client, services, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(LOOKUP, {"identifier": DOI})
    assert response.status_code == 403
    assert "Only editors and reviewers" in response.json()["error"]
    assert not services.router.calls


def test_a_reviewer_of_claims_may_look_up(client, services, db):
    services.paper("murrough2013")
    user = make_user("rae", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_claim"))
    client.force_login(user)
    assert client.get(LOOKUP, {"identifier": DOI}).status_code == 200


def test_the_lookup_only_reads(client, editor):
    client.force_login(editor)
    assert client.post(LOOKUP, {"identifier": DOI}).status_code == 405


# The citation form.


def test_the_form_loads_the_lookup_script_with_its_settings_and_no_inline_script(client, editor):
    client.force_login(editor)
    page = client.get(ADD, {"_popup": 1}).content.decode()  # as from the evidence inline's "+"
    assert '<button type="submit" name="_lookup" value="1"' in page
    assert 'src="/static/desk/citation_lookup.js" defer' in page
    assert f'data-lookup-url="{LOOKUP}"' in page


@pytest.fixture
def add_form(client, editor):
    client.force_login(editor)
    data = form_data(client.get(ADD), "citation_form")
    data.update(slug="murrough2013", identifiers_checked="Looked up.")
    return data


def test_look_up_without_javascript_fills_the_form_and_saves_nothing(client, services, add_form):
    services.paper("murrough2013")
    add_form.update(doi=f"https://doi.org/{DOI}", _lookup="1")
    response = client.post(ADD, add_form)
    assert response.status_code == 200
    assert not Citation.objects.exists()
    assert "Filled in from the lookup; nothing is saved yet." in response.content.decode()
    filled = form_data(response, "citation_form")
    assert {name: filled[name] for name in FIELDS} == {k: str(v) for k, v in on_file().items()}
    assert (filled["slug"], filled["identifiers_checked"]) == ("murrough2013", "Looked up.")
    # Saved as filled in.
    assert client.post(ADD, filled).status_code == 302
    saved = Citation.objects.get()
    assert {name: getattr(saved, name) for name in FIELDS} == on_file()


def test_a_failed_lookup_without_javascript_keeps_what_was_typed_and_says_why(
    client, services, add_form
):
    services.work(DOI).respond(404)
    add_form.update(pmid="", doi=DOI, title="Typed title", kind="", _lookup="1")
    response = client.post(ADD, add_form)
    assert response.status_code == 200
    assert not Citation.objects.exists()
    page = response.content.decode()
    assert f"No DOI {DOI} on Crossref – check it, or fill in the fields by hand." in page
    assert "This field is required." not in page  # kind is still empty: only the lookup speaks
    kept = form_data(response, "citation_form")
    assert (kept["doi"], kept["title"], kept["slug"]) == (DOI, "Typed title", "murrough2013")


def test_a_lookup_without_javascript_links_the_citation_on_file(
    client, services, citation, add_form
):
    add_form.update(doi="", pmid="https://pubmed.ncbi.nlm.nih.gov/23982301/", _lookup="1")
    add_form["slug"] = "again"
    response = client.post(ADD, add_form)
    assert response.status_code == 200
    assert f'Already on file: <a href="{change_url(citation)}">' in response.content.decode()
    assert list(Citation.objects.all()) == [citation]
    assert not services.router.calls


def test_a_lookup_on_the_change_form_refreshes_it_and_keeps_its_version(
    client, editor, services, citation
):
    services.paper("murrough2013")
    client.force_login(editor)
    data = form_data(client.get(change_url(citation)), "citation_form")
    data["_lookup"] = "1"
    response = client.post(change_url(citation), data)
    filled = form_data(response, "citation_form")
    assert filled["authors"] == on_file()["authors"]
    assert filled["seen_version"] == str(citation.version)
    citation.refresh_from_db()
    assert citation.authors == "Murrough JW, Iosifescu DV"  # not saved


# Finding a citation for a claim's evidence (the inline's autocomplete).


def autocomplete(client, term):
    url = reverse("admin:autocomplete")
    params = {"term": term, "app_label": "claims", "model_name": "evidence"}
    response = client.get(url, {**params, "field_name": "citation"})
    assert response.status_code == 200
    return [int(result["id"]) for result in response.json()["results"]]


@pytest.mark.parametrize(
    "term",
    [
        f"https://doi.org/{DOI.upper()}",
        f"doi:{DOI}",
        "PMID: 23982301",
        "https://pubmed.ncbi.nlm.nih.gov/23982301/",
        "Iosifescu",
        "efficacy of ketamine",
    ],
)
def test_the_evidence_citation_search_finds_by_identifier_author_or_title(
    client, editor, citation, term
):
    Citation.objects.create(slug="other", kind="other", authors="Other A", title="Other")
    client.force_login(editor)
    assert autocomplete(client, term) == [citation.pk]


def test_the_citation_list_search_finds_a_pasted_pmid(client, editor, citation):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_citation_changelist"), {"q": "PMID: 23982301"})
    assert list(response.context["cl"].result_list) == [citation]


def test_the_recorded_answers_are_for_citations_on_file():
    """No identifier in tests/data/recorded/ is made up: each is on file, for that paper."""
    for slug in ["murrough2013", "zarate2006"]:
        work = recorded(f"crossref_{slug}.json")["message"]
        search = recorded(f"esearch_{slug}.json")["esearchresult"]
        assert (work["DOI"], search["idlist"]) == (
            fixture_citation(slug)["doi"],
            [fixture_citation(slug)["pmid"]],
        )
    for slug in ["murrough2013", "wilkinson2018", "glue2017", "lodge2015"]:
        pmid = fixture_citation(slug)["pmid"]
        record = recorded(f"esummary_{slug}.json")["result"][pmid]
        assert {i["value"] for i in record["articleids"]} == {pmid, fixture_citation(slug)["doi"]}
