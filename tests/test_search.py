"""Searching claims: one search document per claim, kept right by every write that changes
what it holds, searched by full-text search through a GIN index on PostgreSQL and word by word
on SQLite, with the matched words marked (and everything else escaped) in the results."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from claimtrack.claims import search
from claimtrack.claims.filters import ClaimFilter
from claimtrack.claims.models import Citation, Claim, ReasonTag
from claimtrack.claims.search import START, STOP
from claimtrack.claims.text import fold_typography
from claimtrack.claims.views import filtered_claims

from .conftest import form_data, make_claim

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and its index are PostgreSQL's"
)


def found(q, key="slug"):
    """The slugs (or another field) of the claims the public filter finds for q, in order."""
    filterset = ClaimFilter({"q": q}, queryset=Claim.objects.order_by("pk"))
    assert filterset.is_valid(), filterset.errors
    return [getattr(claim, key) for claim in filterset.qs]


def found_set(q, key="pk"):
    keys = found(q, key)
    assert len(keys) == len(set(keys))  # no claim twice, however many sources match
    return set(keys)


def document(claim):
    return Claim.objects.values_list("search_document", flat=True).get(pk=claim.pk)


# On the seed data: what readers look for and did not find before.


def mentioning(word):
    """The seed claims that mention word anywhere a reader searches, found the slow way."""
    word = word.lower()
    claims = Claim.objects.select_related("article").prefetch_related(
        "reason_tags", "evidence__citation"
    )
    found_ids = set()
    for claim in claims:
        texts = [claim.statement, claim.quote, claim.rationale, claim.group_note]
        texts += [claim.article.title, *(tag.name for tag in claim.reason_tags.all())]
        for link in claim.evidence.all():
            source = link.citation
            texts += [link.note, source.authors, source.title, source.journal, source.doi]
            texts += [source.pmid]
        if any(word in fold_typography(text).lower() for text in texts):
            found_ids.add(claim.pk)
    return found_ids


def in_wording_or_title(word):
    """What the search looked in before: statement, quote and article title."""
    return {
        claim.pk
        for claim in Claim.objects.select_related("article")
        if any(
            word.lower() in text.lower()
            for text in (claim.statement, claim.quote, claim.article.title)
        )
    }


@pytest.mark.parametrize("word", ["esketamine", "Spravato", "murrough"])
def test_a_drug_or_an_author_finds_the_claims_that_mention_or_cite_it(seeded, word):
    expected = mentioning(word)
    assert len(expected) > 20 and not in_wording_or_title(word)  # nothing found before
    assert found_set(word) == expected


def test_a_cited_doi_or_pmid_finds_the_claims_citing_that_source(seeded):
    source = Citation.objects.get(slug="murrough2013")
    citing = set(Claim.objects.filter(evidence__citation=source).values_list("pk", flat=True))
    assert len(citing) > 10
    assert found_set(source.doi) == citing
    assert found_set(source.doi.upper()) == citing  # a DOI's case does not matter
    assert found_set(source.pmid) == citing


def test_curly_and_straight_apostrophes_quotes_and_dashes_find_the_same_claims(seeded):
    assert found("ketamine’s", "pk") == found("ketamine's", "pk") != []
    assert found("“rapid”", "pk") == found('"rapid"', "pk") != []
    assert found("treatment–resistant", "pk") == found("treatment—resistant", "pk")
    assert found("treatment–resistant", "pk") == found("treatment-resistant", "pk") != []


def test_every_word_must_match(seeded):
    both = found_set("spravato murrough")
    assert both and both < found_set("spravato") and both < found_set("murrough")
    assert found("spravato zzyzxnotaword") == []


# The document follows every write that changes what it holds.


@pytest.fixture
def cited(reviewed_claim, citation, editor):
    """reviewed_claim citing murrough2013 through the rules, noted "Rapid onset in TRD"."""
    reviewed_claim.add_evidence(
        by=editor, citation=citation, stance="qualifies", note="Rapid onset in TRD."
    )
    return reviewed_claim


def test_a_claim_made_by_the_rules_is_found_by_its_wording_and_article(claim):
    assert found("relieves") == found("hours") == found("ketamine news") == ["within-hours"]


def test_evidence_added_revised_and_removed_changes_what_finds_the_claim(cited, editor):
    assert found("iosifescu") == found("onset trd") == found("23982301") == ["bdnf"]
    link = cited.evidence.get(citation__slug="murrough2013")
    link.note = "Slow onset in bipolar depression."
    cited.revise_evidence(link, by=editor, why="Reread the trial.")
    assert found("bipolar") == ["bdnf"] and found("trd") == []
    cited.remove_evidence(link, by=editor, why="Not about this claim.")
    assert found("iosifescu") == found("bipolar") == found("23982301") == []


def test_a_new_rationale_finds_the_claim(reviewed_claim, editor):
    reviewed_claim.change_verdict(
        by=editor,
        status="partly_supported",
        certainty="low",
        rationale="Rodent studies only; no human biomarker trial.",
        note="Reread.",
    )
    assert found("rodent biomarker") == ["bdnf"]
    assert found("people") == []  # the old rationale is gone


def test_an_edited_statement_finds_the_claim(reviewed_claim, editor):
    reviewed_claim.statement = "Ketamine raises neurotrophin levels."
    reviewed_claim.save_edit(by=editor, note="Clearer.")
    assert found("neurotrophin") == ["bdnf"]
    assert found("triggers") == ["bdnf"]  # still in the quote
    assert "ketamine triggers" not in document(reviewed_claim)  # the old statement


def test_a_copy_read_before_a_refresh_does_not_write_its_document_back(
    reviewed_claim, citation, editor
):
    stale = Claim.objects.get(pk=reviewed_claim.pk)
    reviewed_claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="TRD.")
    stale.topic = "mechanism"
    stale.save()  # writes the copy's fields, never its search document
    assert found("iosifescu") == ["bdnf"]


def test_refreshing_writes_no_history_and_no_version(cited):
    claim = Claim.objects.get(pk=cited.pk)
    history, version = claim.history.count(), claim.version
    Claim._base_manager.filter(pk=claim.pk).update(search_document="")
    assert Claim.objects.filter(pk=claim.pk).refresh_search_documents() == 1
    claim.refresh_from_db()
    assert "iosifescu" in claim.search_document
    assert (claim.history.count(), claim.version) == (history, version)
    assert Claim.objects.filter(pk=claim.pk).refresh_search_documents() == 0  # already right


def test_refreshing_takes_a_fixed_number_of_queries_a_chunk(
    article, citation, editor, django_assert_num_queries
):
    claims = []
    for n in range(5):
        claim = make_claim(article, slug=f"claim-{n}", statement=f"Statement {n}.")
        claim.add_evidence(by=editor, citation=citation, stance="supports", note=f"Note {n}.")
        claim.reason_tags.add(ReasonTag.objects.get(slug="outdated"))
        claims.append(claim)
    Claim._base_manager.update(search_document="")
    # Chunks of 2: three chunks of 4 queries (claims, tags, evidence, write).
    with django_assert_num_queries(12):
        assert Claim.objects.all().refresh_search_documents(chunk_size=2) == 5
    assert all("outdated" in document(claim) for claim in claims)
    assert document(claims[4]).startswith("statement 4.")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def admin_edit(client, obj, **changes):
    url = reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])
    data = form_data(client.get(url), f"{obj._meta.model_name}_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_a_citation_edited_in_the_admin_changes_what_finds_its_claims(admin_client, cited):
    assert found("antidepressant efficacy") == ["bdnf"]
    citation = Citation.objects.get(slug="murrough2013")
    admin_edit(admin_client, citation, title="Rapid and longer-term effects in TRD")
    assert found("longer-term effects") == ["bdnf"]
    assert found("antidepressant efficacy") == []


def test_an_article_renamed_in_the_admin_changes_what_finds_its_claims(
    admin_client, claim, reviewed_claim
):
    assert found("news") == ["within-hours", "bdnf"]
    admin_edit(admin_client, claim.article, title="Ketamine explained", change_note="Retitled.")
    assert found("explained") == ["within-hours", "bdnf"]
    assert found("news") == []


def test_reason_tags_set_or_renamed_in_the_admin_change_what_finds_the_claim(
    admin_client, reviewed_claim
):
    tag = ReasonTag.objects.get(slug="animal-extrapolation")
    assert found(tag.name) == []
    admin_edit(admin_client, reviewed_claim, reason_tags=[str(tag.pk)], change_note="Tagged.")
    assert reviewed_claim.reason_tags.get() == tag
    assert found(tag.name) == ["bdnf"]
    admin_edit(admin_client, tag, name="Rodents are not people")
    assert found("rodents") == ["bdnf"]
    assert found(tag.name) == []


def test_fixtures_loaded_are_found_by_their_sources(db, tmp_path):
    rows = [
        {
            "model": "claims.article",
            "fields": {"slug": "fixture-news", "title": "Fixture news", "text": "It works fast."},
        },
        {
            "model": "claims.citation",
            "fields": {
                "slug": "daly2018",
                "kind": "randomized_trial",
                "authors": "Daly EJ, Singh JB",
                "title": "Efficacy and safety of intranasal esketamine adjunctive to oral "
                "antidepressant therapy",
                "year": 2018,
                "doi": "10.1001/jamapsychiatry.2017.3739",
                "pmid": "29282469",
            },
        },
        {
            "model": "claims.claim",
            "fields": {
                "article": ["fixture-news"],
                "slug": "fast",
                "quote": "It works fast.",
                "statement": "Ketamine works fast.",
                "topic": "efficacy",
                "status": "supported",
                "rationale": "Trials show it.",
                "reason_tags": [["outdated"]],
            },
        },
        {
            "model": "claims.evidence",
            "fields": {
                "claim": ["fixture-news", "fast"],
                "citation": ["daly2018"],
                "stance": "supports",
                "note": "Phase 2 trial of Spravato.",
            },
        },
    ]
    fixture = tmp_path / "search_fixture.json"
    fixture.write_text(json.dumps(rows))
    call_command("loaddata", str(fixture), verbosity=0)
    for q in ["daly", "intranasal", "29282469", "10.1001/jamapsychiatry.2017.3739", "spravato"]:
        assert found(q) == ["fast"], q
    assert found("outdated") == ["fast"]  # the claim's reason tag, set after it was saved


# The query.


@on_postgresql
def test_the_search_uses_the_gin_index(seeded, rf):
    # As a newsroom's table grows: many thousand claims, of which a rare word finds a few.
    # (With the seeds alone, reading all 217 published claims is as quick as any index.)
    model = next(iter(Claim.objects.published()))
    fields = {f.attname: getattr(model, f.attname) for f in Claim._meta.concrete_fields}
    del fields["id"]
    Claim._base_manager.bulk_create(
        Claim(**{**fields, "slug": f"filler-{n}", "search_document": "sleep and appetite"})
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")  # as autovacuum would after such a load
        # Twenty thousand short rows are still read quicker whole than through any index: take
        # the table scan away, so that the plan shows which index serves the search.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The fillers share one article: a nested loop over it may look as cheap as the index.
        cursor.execute("SET LOCAL enable_nestloop = off")
    filterset = filtered_claims(rf.get("/claims/", {"q": "spravato"}))  # the list's own query
    assert filterset.is_valid()
    plan = filterset.qs.with_counts().explain()
    assert search.SEARCH_INDEX in plan, plan
    assert search.SEARCH_INDEX in Claim.objects.search("esketamine -spravato").explain()


@on_postgresql
def test_the_best_match_comes_first_unless_an_order_is_chosen(article):
    # In the usual order (article, place in it) the passing mention comes first.
    passing = make_claim(
        article,
        slug="passing",
        quote="Ketamine can relieve",
        statement="Ketamine relieves depression.",
        status="unverifiable",
        rationale="The article names no esketamine trial.",
    )
    central = make_claim(
        article,
        slug="central",
        quote="BDNF release",
        statement="Esketamine (Spravato) is esketamine nasal spray.",
        status="unverifiable",
        rationale="A label, not a finding.",
    )
    assert found("esketamine") == [central.slug, passing.slug]
    ordered = ClaimFilter(
        {"q": "esketamine", "ordering": "created"}, queryset=Claim.objects.all()
    ).qs
    assert [claim.slug for claim in ordered] == [passing.slug, central.slug]


@on_postgresql
def test_postgresql_reads_the_websearch_syntax(claim, reviewed_claim):
    assert found('"relieves depression"') == ["within-hours"]
    assert found("ketamine -bdnf") == ["within-hours"]
    assert found_set("hours or bdnf", "slug") == {"within-hours", "bdnf"}


@pytest.mark.parametrize(
    "q", ['"unclosed', "-", "!!! & | :* ()", "'", "or", "a" * 200, "ketamine's’“”–"]
)
def test_odd_searches_answer_without_error(client, unverifiable_claim, q):
    response = client.get("/claims/", {"q": q})
    assert response.status_code == 200


def test_an_over_long_search_gets_a_clear_400(client, unverifiable_claim):
    response = client.get("/claims/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


# What readers see.


def test_the_list_marks_the_matched_words_and_escapes_the_rest(client, article):
    make_claim(
        article,
        statement="<script>alert('x')</script> Ketamine relieves depression.",
        status="unverifiable",
        rationale="No trial of <b>ketamine</b> is named.",
    )
    page = client.get("/claims/", {"q": "ketamine"}).content.decode()
    assert "<script>alert" not in page and "<b>ketamine" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Ketamine</mark>" in page
    assert "&lt;b&gt;<mark>ketamine</mark>&lt;/b&gt;" in page  # the rationale, where it matched
    assert START not in page and STOP not in page


def test_a_claim_found_by_its_sources_says_so(client, article, citation, editor):
    claim = make_claim(article, status="unverifiable", rationale="No trial is named.")
    claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="Not this dose.")
    page = client.get("/claims/", {"q": "iosifescu"}).content.decode()
    assert "<mark>" not in page
    assert "Found in its sources, evidence notes, reason tags or article title." in page
    page = client.get("/claims/", {"q": "hours"}).content.decode()
    assert "Found in its sources" not in page and "<mark>hours</mark>" in page


def test_without_a_search_nothing_is_marked(client, unverifiable_claim):
    page = client.get("/claims/").content.decode()
    assert "<mark>" not in page and "Found in its sources" not in page


def test_highlight_marks_each_word_in_any_case_and_typography():
    marked = search.highlight("Ketamine’s effect on ketamine-naive mice", ["ketamine's", "mice"])
    assert marked == f"{START}Ketamine’s{STOP} effect on ketamine-naive {START}mice{STOP}"
    assert search.highlight("antidepressant", ["anti", "depress"]) == (
        f"{START}antidepress{STOP}ant"  # overlapping matches make one mark
    )


def test_marked_escapes_first_and_drops_stray_marks():
    assert (
        search.marked(f"<i>{START}a&b{STOP}</i>{START}")
        == "&lt;i&gt;<mark>a&amp;b</mark>&lt;/i&gt;"
    )


def test_an_excerpt_is_cut_around_the_first_mark():
    text = " ".join(f"word{n}" for n in range(100)) + " esketamine " + "tail " * 50
    cut = search.excerpt(search.highlight(text, ["esketamine"]), size=80)
    assert cut.startswith("… ") and cut.endswith(" …")
    assert f"{START}esketamine{STOP}" in cut and len(cut) < 110
    assert search.excerpt("No match here.") == ""
    assert search.excerpt(f"Short {START}esketamine{STOP}.") == f"Short {START}esketamine{STOP}."
    long_mark = f"{START}{'a' * 50} {'b' * 50}{STOP} tail"
    assert search.excerpt(long_mark, size=20).count(STOP) == 1  # a mark cut short is closed


# The migration fills the documents of the claims already there.


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_documents_of_existing_claims(migration_data):
    executor = MigrationExecutor(connection)
    target = ("claims", "0016_claim_search_document")
    before = list(executor.loader.graph.node_map[target].parents)
    executor.migrate([node.key for node in before])
    apps = MigrationExecutor(connection).loader.project_state([n.key for n in before]).apps
    Article, Claim_, Citation_, Evidence = (
        apps.get_model("claims", name) for name in ("Article", "Claim", "Citation", "Evidence")
    )
    article = Article.objects.create(slug="news", title="Ketamine news", text="Fast relief.")
    claim = Claim_.objects.create(
        article=article,
        slug="fast",
        quote="Fast relief.",
        quote_start=0,
        quote_end=12,
        statement="Ketamine’s relief is fast.",
        topic="efficacy",
    )
    source = Citation_.objects.create(
        slug="murrough2013", kind="randomized_trial", authors="Murrough JW", title="Trial"
    )
    Evidence.objects.create(claim=claim, citation=source, stance="supports", note="n=73")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "murrough jw" in document(claim) and "ketamine's relief" in document(claim)
    assert found("murrough") == ["fast"]


@on_postgresql
def test_a_search_that_finds_too_many_to_rank_lists_them_unranked_and_says_so(
    client, seeded, monkeypatch
):
    ranked = Claim.objects.published().search("ketamine")
    assert ranked.is_ranked()
    monkeypatch.setattr("claimtrack.claims.models.claims.RANKED_AT_MOST", 5)
    unranked = Claim.objects.published().search("ketamine")
    assert not unranked.is_ranked()
    assert set(unranked.values_list("pk", flat=True)) == set(ranked.values_list("pk", flat=True))
    page = client.get("/claims/?q=ketamine").content.decode()
    assert "too many to put the best match first" in page
    assert "too many" not in client.get("/claims/?q=ketamine&ordering=-reviewed").content.decode()


def test_the_admins_search_and_autocomplete_search_as_the_public_list_does(
    admin_client, cited, citation
):
    # A DOI is in no column the admin's ILIKE read (statement, quote, article title).
    listed = admin_client.get("/admin/claims/claim/", {"q": citation.doi})
    assert [claim.pk for claim in listed.context["cl"].result_list] == [cited.pk]
    suggested = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "flag", "field_name": "claim", "term": citation.doi},
    )
    assert [int(r["id"]) for r in suggested.json()["results"]] == [cited.pk]
    nothing = admin_client.get("/admin/claims/claim/", {"q": "zzzunheardof"})
    assert list(nothing.context["cl"].result_list) == []
