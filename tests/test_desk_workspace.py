"""The claim workspace: from an article's text to drafted, sourced, published claims, on one page.

The lookups answer from recorded Crossref and PubMed responses (the `services` fixture); nothing
here touches the network.
"""

import httpx
import pytest
from django.urls import reverse

from claimtrack.claims.models import Citation, Claim, ClaimChange, Evidence
from claimtrack.desk.models import DismissedSentence
from tests.conftest import make_claim, raw_delete

TEXT = (
    "Ketamine’s effect on depression can start within 24 hours, a 2006 trial found.\n\n"
    "It is given as an infusion. It is given as an infusion.\n\n"
    "Some clinics call it a miracle cure for treatment-resistant depression."
)


@pytest.fixture
def article(db):
    from claimtrack.claims.models import Article

    return Article.objects.create(slug="ketamine-today", title="Ketamine today", text=TEXT)


def workspace(article):
    return reverse("desk:workspace", args=[article.slug])


def new_claim(client, article, **fields):
    data = {
        "topic": "efficacy",
        "statement": "Ketamine relieves depression within a day.",
        **fields,
    }
    return client.post(reverse("desk:add_claim", args=[article.slug]), data)


def test_the_workspace_shows_the_text_in_pieces_that_know_their_offsets(client, editor, article):
    client.force_login(editor)
    response = client.get(workspace(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<span data-start="0">' in html
    # Every character of the text is in exactly one piece, at its offset.
    first = TEXT.index("It is given")
    assert f'<span data-start="{first}">' in html
    assert "Claim workspace" in html


def test_a_claims_quote_is_highlighted_with_its_verdict_and_drafts_are_marked(
    client, editor, article
):
    claim = make_claim(article, slug="miracle", quote="a miracle cure", statement="A cure.")
    client.force_login(editor)
    html = client.get(workspace(article)).content.decode()
    assert f'class="ws-claim status-unreviewed ws-draft" href="?claim={claim.pk}#panel"' in html


def test_checkable_sentences_are_marked_and_a_dismissed_one_is_not(client, editor, article):
    client.force_login(editor)
    html = client.get(workspace(article)).content.decode()
    sentence = "Some clinics call it a miracle cure for treatment-resistant depression."
    assert f'value="{sentence}"' in html  # its dismiss button
    response = client.post(
        reverse("desk:dismiss_candidate", args=[article.slug]), {"sentence": sentence}
    )
    assert response.status_code == 302
    assert DismissedSentence.objects.filter(article=article, sentence=sentence).count() == 1
    assert f'value="{sentence}"' not in client.get(workspace(article)).content.decode()


def test_a_sentence_not_in_the_article_cannot_be_dismissed(client, editor, article):
    client.force_login(editor)
    client.post(reverse("desk:dismiss_candidate", args=[article.slug]), {"sentence": "Forged."})
    assert not DismissedSentence.objects.exists()


def test_taking_a_candidate_fills_the_new_claims_quote_without_javascript(client, editor, article):
    client.force_login(editor)
    start = TEXT.index("Some clinics")
    response = client.get(workspace(article), {"start": start, "end": len(TEXT)})
    html = response.content.decode()
    assert "Some clinics call it a miracle cure" in html.split('id="new-claim"')[1]
    assert f'name="start" value="{start}"' in html


def test_a_selected_passage_becomes_a_draft_claim_pinned_where_it_was_selected(
    client, editor, article
):
    client.force_login(editor)
    second = TEXT.rindex("It is given as an infusion.")
    response = new_claim(
        client,
        article,
        quote="It is given as an infusion.",
        start=second,
        statement="Ketamine is given as an infusion.",
        topic="administration",
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{workspace(article)}?claim={claim.pk}#panel"
    assert (claim.quote_start, claim.quote_end) == (second, second + 27)
    assert claim.slug == "ketamine-is-given-as-an-infusion"
    assert not claim.is_published and claim.drafted_by == editor
    assert claim.history.get().history_user == editor
    assert not ClaimChange.objects.exists()  # a draft has no public record


def test_a_quote_found_several_times_asks_which_and_saves_nothing(client, editor, article):
    client.force_login(editor)
    response = new_claim(client, article, quote="It is given as an infusion.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This passage appears 2 times in the article: choose which." in html
    assert html.count('type="radio" name="start"') == 2
    assert not Claim.objects.exists()


def test_a_pasted_quote_with_straight_apostrophes_is_stored_as_the_article_has_it(
    client, editor, article
):
    client.force_login(editor)
    new_claim(client, article, quote="Ketamine's effect on depression can start within 24 hours")
    assert Claim.objects.get().quote.startswith("Ketamine’s effect")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quote": "Ketamine cures everything."}, "This passage is not in the article."),
        ({"quote": "It is given as an infusion.", "start": 0}, "select it again"),
    ],
)
def test_a_quote_not_there_is_refused_and_nothing_is_saved(
    client, editor, article, fields, message
):
    client.force_login(editor)
    response = new_claim(client, article, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_check_shows_similar_claims_to_join_and_saves_nothing(client, editor, seeded):
    from claimtrack.claims.models import Article

    article = Article.objects.get(slug="ketamine-benefits-and-risks")
    count = Claim.objects.count()
    client.force_login(editor)
    response = new_claim(
        client,
        article,
        quote=article.claims.first().quote,
        statement="Ketamine relieves depression within hours.",
        check="Check",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Claims that say much the same" in html
    assert 'type="radio" name="group"' in html
    assert Claim.objects.count() == count


def test_a_reviewer_may_draft_but_not_publish(client, reviewer, article):
    client.force_login(reviewer)
    new_claim(client, article, quote="a miracle cure", topic="efficacy")
    claim = Claim.objects.get()
    assert claim.drafted_by == reviewer
    response = client.post(reverse("desk:publish", args=[claim.pk]))
    assert response.status_code == 403
    assert not Claim.objects.get().is_published


def test_people_outside_the_staff_are_sent_to_log_in(client, outsider, article):
    assert client.get(workspace(article)).status_code == 302
    client.force_login(outsider)
    assert client.get(workspace(article)).status_code == 302
    assert new_claim(client, article, quote="a miracle cure").status_code == 302
    assert not Claim.objects.exists()


@pytest.fixture
def draft(article, editor):
    return make_claim(
        article,
        slug="within-24-hours",
        quote="can start within 24 hours",
        statement="Ketamine relieves depression within 24 hours.",
    )


def verdict(client, claim, **fields):
    data = {
        "seen_version": claim.version,
        "status": "partly_supported",
        "certainty": "moderate",
        "rationale": "One small trial in treatment-resistant depression.",
        **fields,
    }
    return client.post(reverse("desk:set_verdict", args=[claim.pk]), data)


def evidence(client, claim, source, stance="qualifies"):
    data = {"source": source, "stance": stance, "note": "n=18 crossover trial."}
    return client.post(reverse("desk:add_evidence", args=[claim.pk]), data)


def test_from_draft_to_published_claim_with_a_source_looked_up_by_doi(
    client, editor, draft, services
):
    services.paper("zarate2006")
    client.force_login(editor)
    assert verdict(client, draft).status_code == 302
    assert not ClaimChange.objects.exists()  # a draft's verdict is not public yet

    response = client.post(reverse("desk:publish", args=[draft.pk]), follow=True)
    assert "Not published: A claim marked partly supported needs evidence" in (
        response.content.decode()
    )
    assert not Claim.objects.get().is_published

    response = evidence(client, draft, "https://doi.org/10.1001/archpsyc.63.8.856")
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert citation.doi == "10.1001/archpsyc.63.8.856"
    assert citation.title.startswith("A randomized trial of an N-methyl-D-aspartate antagonist")
    assert citation.slug == "zarate2006"
    assert "Crossref record" in citation.identifiers_checked
    assert Evidence.objects.get().citation == citation

    client.post(reverse("desk:publish", args=[draft.pk]))
    claim = Claim.objects.get()
    assert claim.is_published and claim.published_by == editor
    change = ClaimChange.objects.get()
    assert (change.old_status, change.new_status, change.note) == (
        "unreviewed",
        "partly_supported",
        "",
    )
    assert client.get(claim.get_absolute_url()).status_code == 200


def test_a_source_on_file_is_reused_by_identifier_or_by_words(client, editor, draft, citation):
    client.force_login(editor)
    evidence(client, draft, "PMID: 23982301")
    response = evidence(client, draft, "murrough antidepressant")  # already linked: refused
    assert "This source is already evidence for this claim." in response.content.decode()
    assert Citation.objects.count() == 1
    assert Evidence.objects.filter(citation=citation).count() == 1


def test_words_matching_nothing_or_several_citations_say_so(client, editor, draft, citation):
    client.force_login(editor)
    response = evidence(client, draft, "cochrane esketamine")
    assert response.status_code == 400
    assert "No citation on file matches" in response.content.decode()
    assert not Evidence.objects.exists()


def test_with_the_services_down_the_editor_is_told_and_nothing_changes(
    client, editor, draft, services
):
    services.work("10.1001/archpsyc.63.8.856").mock(side_effect=httpx.ConnectError("down"))
    services.esearch("10.1001/archpsyc.63.8.856").mock(side_effect=httpx.ConnectError("down"))
    client.force_login(editor)
    response = evidence(client, draft, "10.1001/archpsyc.63.8.856")
    assert response.status_code == 400
    assert "could not be reached" in response.content.decode()
    assert not Citation.objects.exists() and not Evidence.objects.exists()


def test_a_stale_verdict_form_is_refused(client, editor, draft):
    client.force_login(editor)
    seen = draft.version
    verdict(client, draft)
    response = verdict(client, draft, seen_version=seen, status="supported")
    assert response.status_code == 400
    assert "saved by someone else" in response.content.decode()
    assert Claim.objects.get().status == "partly_supported"


def test_the_preview_shows_a_draft_to_staff_only(client, editor, draft):
    url = reverse("desk:claim_preview", args=[draft.pk])
    assert client.get(url).status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Preview of a draft." in response.content.decode()


def test_deleting_a_draft_leaves_no_public_trace(editor, draft):
    raw_delete(Claim.objects.filter(pk=draft.pk))
    assert not ClaimChange.objects.exists()


def test_the_articles_admin_page_links_to_its_workspace(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_article_change", args=[article.pk]))
    assert f'<a href="{workspace(article)}">Claim workspace</a>' in response.content.decode()
    listing = client.get(reverse("admin:claims_article_changelist")).content.decode()
    assert f'<a href="{workspace(article)}">Open</a>' in listing


def test_the_admin_asks_which_occurrence_of_a_quote_and_pins_the_chosen_one(
    client, editor, article
):
    client.force_login(editor)
    url = reverse("admin:claims_claim_add")
    data = {
        "article": article.pk,
        "quote": "It is given as an infusion.",
        "statement": "Ketamine is given as an infusion.",
        "topic": "administration",
        "status": "unreviewed",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The quote appears 2 times in the article: choose which." in response.content.decode()
    assert not Claim.objects.exists()
    response = client.post(url, {**data, "occurrence": "2"})
    assert response.status_code == 302
    assert Claim.objects.get().quote_start == TEXT.rindex("It is given as an infusion.")


def test_the_evidence_autocomplete_finds_citations_on_file_by_author_title_or_identifier(
    client, editor, citation
):
    client.force_login(editor)
    url = reverse("desk:citation_search")
    for query in ["murrough", "antidepressant efficacy", "23982301", citation.doi.upper()]:
        found = client.get(url, {"q": query}).json()["citations"]
        assert found == [
            {"label": f"{citation.short_label}: {citation.title}", "source": citation.doi}
        ], query
    assert client.get(url, {"q": "zarate"}).json() == {"citations": []}


def test_the_evidence_autocomplete_is_for_staff_only(client, outsider, citation):
    client.force_login(outsider)
    assert client.get(reverse("desk:citation_search"), {"q": "murrough"}).status_code == 403
