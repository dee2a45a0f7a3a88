"""The exports as open data (a byte-order mark for spreadsheets, identifiers, group, article
address, open flags, errors a program can read) and the feeds in plain words: the whole log,
one article's, verdicts only."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from claimtrack.claims import exports
from claimtrack.claims.models import (
    Article,
    ChangeKind,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    Status,
)
from tests.conftest import make_claim, make_user, tag

ATOM = "{http://www.w3.org/2005/Atom}"
UTF8_BOM = b"\xef\xbb\xbf"


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# The CSV's byte-order mark


@pytest.fixture
def curly_claim(article):
    article.text = "Doctors said “it’s a breakthrough” for depression."
    article.save()
    return make_claim(
        article,
        slug="breakthrough",
        quote="“it’s a breakthrough”",
        statement="Ketamine is “a breakthrough” for depression.",
        status="unverifiable",
        rationale="No trial is named; it’s opinion.",
    )


@pytest.mark.parametrize("query", ["", "?bom=1"])
def test_the_csv_starts_with_a_byte_order_mark_and_keeps_curly_quotes(client, curly_claim, query):
    data = body(client.get(f"/claims/export.csv{query}"))
    assert data.startswith(UTF8_BOM + b"article,article_title,")
    assert data.count(UTF8_BOM) == 1
    [row] = csv_rows(data)
    assert row["quote"] == "“it’s a breakthrough”"
    assert row["rationale"] == "No trial is named; it’s opinion."
    assert "article" in row  # the mark is not glued to the first column's name


def test_bom_0_leaves_the_mark_out_for_programs(client, curly_claim):
    data = body(client.get("/claims/export.csv?bom=0&status=unverifiable"))
    assert data.startswith(b"article,article_title,")
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert row["statement"] == "Ketamine is “a breakthrough” for depression."


def test_an_empty_csv_still_has_its_mark_and_header(client, db):
    data = body(client.get("/claims/export.csv"))
    assert data == UTF8_BOM + (",".join(exports.CSV_COLUMNS) + "\r\n").encode()


@pytest.mark.parametrize("value", ["2", "yes", "", "1 "])
def test_a_bom_other_than_0_or_1_is_the_filters_400(client, curly_claim, value):
    response = client.get(f"/claims/export.csv?bom={value}")
    if value == "":
        assert response.status_code == 200  # as if not given, like an empty filter
        return
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"].startswith("text/html")
    assert "bom must be 1 (a byte-order mark first, the default) or 0 (none)." in (
        response.content.decode()
    )


def test_a_bad_bom_and_a_bad_filter_are_both_named(client, curly_claim):
    page = client.get("/claims/export.csv?bom=x&status=bogus").content.decode()
    assert "bom must be 1" in page
    assert "bogus is not one of the available choices" in page


def test_bom_is_not_a_filter_of_the_json_export(client, curly_claim):
    response = client.get("/claims/export.json?bom=1&status=unverifiable")
    assert response.status_code == 200
    data = body(response)
    assert not data.startswith(UTF8_BOM)  # JSON never has one (RFC 8259)
    assert json.loads(data)["filters"] == {"status": "unverifiable"}


# The new columns and fields


@pytest.fixture
def grouped_claim(reviewed_claim, citation, reviewer, editor):
    """reviewed_claim in a group, its article with an address, resting on three sources: the
    mouse study (no identifiers), murrough2013 (DOI and PMID), and a 2016 review (DOI and
    PMID); with one open flag and one dismissed."""
    group = ClaimGroup.objects.create(slug="ketamine-bdnf", name="Ketamine and BDNF")
    article = reviewed_claim.article
    article.url = "https://news.example/ketamine"
    article.save()
    reviewed_claim.group = group
    reviewed_claim.save()
    review = Citation.objects.create(
        slug="newport2015",
        kind="systematic_review",
        authors="Newport DJ, Carpenter LL",
        title="Ketamine and other NMDA antagonists",
        year=2015,
        doi="10.1176/appi.ajp.2015.15040465",
        pmid="26423481",
    )
    Evidence.objects.create(claim=reviewed_claim, citation=citation, stance="qualifies", note="n")
    Evidence.objects.create(claim=reviewed_claim, citation=review, stance="qualifies", note="n")
    Flag.objects.raise_flag(claim=reviewed_claim, by=reviewer, reason=tag("overstates-impact"))
    other = make_user("otto", "Reviewers", is_staff=True)
    settled = Flag.objects.raise_flag(
        claim=reviewed_claim, by=other, reason=tag("animal-extrapolation")
    )
    settled.dismiss(by=editor, note="The rationale says mice.")
    return reviewed_claim


def test_the_csv_carries_ids_group_article_address_identifiers_and_open_flags(
    client, grouped_claim, unverifiable_claim
):
    rows = {row["claim"]: row for row in csv_rows(body(client.get("/claims/export.csv")))}
    assert list(rows["bdnf"])[-9:] == [
        "id",
        "group",
        "group_name",
        "article_url",
        "dois",
        "pmids",
        "open_flags",
        "withdrawn_at",
        "withdrawal_note",
    ]
    assert list(rows["bdnf"])[:13] == exports.CSV_COLUMNS[:13]  # the old columns stay put
    bdnf = rows["bdnf"]
    assert bdnf["id"] == str(grouped_claim.pk)
    assert (bdnf["group"], bdnf["group_name"]) == ("ketamine-bdnf", "Ketamine and BDNF")
    assert bdnf["article_url"] == "https://news.example/ketamine"
    # In the evidence's order, oldest source first; the mouse study has no identifier.
    assert bdnf["dois"] == "10.1176/appi.ajp.2013.13030392 10.1176/appi.ajp.2015.15040465"
    assert bdnf["pmids"] == "23982301 26423481"
    assert bdnf["evidence_count"] == "3"
    assert bdnf["open_flags"] == "1"  # the dismissed one is not open
    assert bdnf["withdrawn_at"] == ""
    hours = rows["within-hours"]
    assert hours["id"] == str(unverifiable_claim.pk)
    assert (hours["group"], hours["group_name"], hours["dois"], hours["pmids"]) == ("",) * 4
    assert hours["open_flags"] == "0"


def test_the_json_records_carry_id_group_article_address_and_open_flags(
    client, grouped_claim, unverifiable_claim
):
    document = json.loads(body(client.get("/claims/export.json")))
    records = {record["claim"]: record for record in document["claims"]}
    bdnf = records["bdnf"]
    assert bdnf["id"] == grouped_claim.pk
    assert bdnf["group"] == {"slug": "ketamine-bdnf", "name": "Ketamine and BDNF"}
    assert bdnf["article_url"] == "https://news.example/ketamine"
    assert bdnf["open_flags"] == 1
    assert bdnf["withdrawn_at"] is None
    assert [e["citation"]["pmid"] for e in bdnf["evidence"]] == ["", "23982301", "26423481"]
    hours = records["within-hours"]
    assert (hours["group"], hours["open_flags"]) == (None, 0)


def test_a_withdrawn_claim_says_when_and_why_in_both_exports(client, reviewed_claim, editor):
    reviewed_claim.withdraw(by=editor, note="The article was retracted.")
    reviewed_claim.refresh_from_db()
    when = reviewed_claim.withdrawn_at.isoformat()
    [row] = csv_rows(body(client.get("/claims/export.csv")))
    assert (row["withdrawn_at"], row["withdrawal_note"]) == (when, "The article was retracted.")
    [record] = json.loads(body(client.get("/claims/export.json")))["claims"]
    assert record["withdrawn_at"] == when
    assert record["withdrawal_note"] == "The article was retracted."


def test_new_cells_are_made_inert_too(client, article):
    article.url = "https://news.example/=1"
    article.save()
    group = ClaimGroup.objects.create(slug="formula", name="=HYPERLINK(1)")
    make_claim(article, status="unverifiable", rationale="x", group=group)
    [row] = csv_rows(body(client.get("/claims/export.csv")))
    assert row["group_name"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_a_second_chunk_costs_only_the_per_chunk_queries(
    client, seeded, editor, reviewer, extension, monkeypatch, django_assert_num_queries
):
    """No query per claim: flags, groups and identifiers on many claims, and a second chunk
    adds its three queries (tags, evidence, open flags), nothing else."""
    for claim in Claim.objects.published()[:20]:
        Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("overstates-impact"))
    total = Claim.objects.published().count()
    assert Claim.objects.published().filter(group__isnull=False).exists()
    monkeypatch.setattr(exports, "CHUNK_SIZE", total)
    with django_assert_num_queries(2 + 3):  # the version, the claims; one chunk
        one = body(client.get(f"/claims/export.{extension}"))
    monkeypatch.setattr(exports, "CHUNK_SIZE", -(-total // 2))
    with django_assert_num_queries(2 + 3 * 2):  # two chunks
        two = body(client.get(f"/claims/export.{extension}"))
    if extension == "csv":
        assert one == two
        flags = sum(int(row["open_flags"]) for row in csv_rows(two))
    else:
        records = json.loads(two)["claims"]
        assert len(records) == total
        flags = sum(record["open_flags"] for record in records)
    assert flags == Flag.objects.open().filter(claim__published_at__isnull=False).count()


# Errors in JSON


def test_a_bad_json_export_filter_is_a_json_400(client, claim):
    response = client.get("/claims/export.json?status=bogus&flagged=maybe")
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "error": "invalid filters",
        "errors": {
            "status": ["Select a valid choice. bogus is not one of the available choices."],
            "flagged": ["Select a valid choice. maybe is not one of the available choices."],
        },
    }
    assert "ETag" not in response


def test_a_bad_suggestion_request_is_a_json_400(client, db):
    response = client.get("/articles/suggest.json?q=" + "x" * 201)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "invalid query"
    assert body["errors"] == {"q": ["Ensure this value has at most 200 characters (it has 201)."]}


def test_a_bad_csv_filter_stays_the_readers_page(client, claim):
    response = client.get("/claims/export.csv?status=bogus")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "These filters cannot be used" in response.content.decode()


# The feeds


def entries(response):
    """(title, link) of each entry, checking that each has what Atom requires of it."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    for element in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{element}").text
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        for element in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{element}").text, element
        found.append((entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href")))
    return found


def titles(response):
    return [title for title, _ in entries(response)]


@pytest.fixture
def full_log(reviewed_claim, citation, editor):
    """reviewed_claim's public log with one change of every kind but a lost passage."""
    claim = reviewed_claim
    claim.record_verdict_change(("", "", ""), None, "Loaded.")
    claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    claim.change_verdict(
        by=editor, status="overstated", certainty="very_low", rationale="Mice.", note="Fewer."
    )
    claim.change_verdict(
        by=editor, status="overstated", certainty="very_low", rationale="Mice, n=12.", note="n."
    )
    claim.add_evidence(by=editor, citation=citation, stance="qualifies", note="n=73", why="New.")
    claim.refresh_from_db()
    claim.statement = "Ketamine raises BDNF in mice."
    claim.save_edit(by=editor, note="Said more exactly.")
    claim.confirm_verdict(by=editor, note="Looked again.")
    claim.withdraw(by=editor, note="The article was retracted.")
    return claim


def test_every_entry_is_titled_in_plain_words(client, full_log):
    statement = "Ketamine raises BDNF in mice."
    assert titles(client.get("/claims/feed/")) == [
        f"Withdrawn: {statement}",
        f"Checked again, the verdict stands: {statement}",
        f"Wording corrected: {statement}",
        f"Evidence added: {statement}",
        f"Still rated Overstated, rationale revised: {statement}",
        f"Still rated Overstated, certainty now very low (was low): {statement}",
        f"Now rated Overstated (was Partly supported): {statement}",
        f"Rated Partly supported: {statement}",
    ]


def test_no_title_shows_a_raw_key(client, seeded, editor):
    """Each verdict to every other, and back to the first: no key, slug or arrow in a title."""
    claims = Claim.objects.published().filter(status="supported", evidence__stance="supports")
    claims = list(claims.distinct()[:2])
    for claim in claims:
        claim.record_verdict_change(("", "", ""), None, "")
        for status in ["unsupported", "overstated", "supported"]:
            claim.change_verdict(
                by=editor, status=status, certainty="very_low", rationale="Seen.", note="Again."
            )
    keys = {key for key in [*Status.values, *ChangeKind.values] if key.islower()}
    found = titles(client.get("/claims/feed/"))
    assert len(found) == 8
    for title in found:
        words = title.split(": ", 1)[0]  # what happened, before the statement
        assert not set(words.replace("(", " ").replace(")", " ").split()) & keys, title
        assert "_" not in words and "→" not in words and "new" not in words, title
    assert "Now rated Unsupported (was Supported)" in found[-2]


def test_an_evidence_entry_says_which_source_and_why(client, full_log):
    feed = ET.fromstring(client.get("/claims/feed/").content)
    summaries = [e.find(f"{ATOM}summary").text for e in feed.findall(f"{ATOM}entry")]
    assert "Added evidence: Murrough and Iosifescu 2013 (qualifies). New." in summaries
    assert "The claim was withdrawn. The article was retracted." in summaries


def test_a_verdict_taken_back_to_unreviewed_says_so(client, reviewed_claim):
    ClaimChange.objects.create(
        claim=reviewed_claim,
        kind=ChangeKind.VERDICT,
        old_status="overstated",
        new_status="unreviewed",
        note="Being looked at again.",
    )
    assert titles(client.get("/claims/feed/")) == [
        "No longer rated (was Overstated): Ketamine triggers BDNF release."
    ]


@pytest.fixture
def two_articles(full_log, editor):
    other = Article.objects.create(
        slug="psilocybin-news", title="Psilocybin news", text="Psilocybin lifts mood for weeks."
    )
    claim = make_claim(
        other,
        slug="weeks",
        quote="lifts mood for weeks",
        statement="Psilocybin lifts mood for weeks.",
        status="unverifiable",
        rationale="No trial is named.",
    )
    claim.record_verdict_change(("", "", ""), editor, "")
    return full_log.article, other


def test_an_articles_feed_has_only_its_claims_changes(client, two_articles):
    ketamine, psilocybin = two_articles
    found = entries(client.get("/articles/psilocybin-news/feed/"))
    assert found == [
        (
            "Rated Unverifiable: Psilocybin lifts mood for weeks.",
            found[0][1],
        )
    ]
    assert found[0][1].startswith("http://testserver/claims/psilocybin-news/weeks/#change-")
    ketamine_links = [link for _, link in entries(client.get("/articles/ketamine-news/feed/"))]
    assert len(ketamine_links) == 8
    assert all("/claims/ketamine-news/" in link for link in ketamine_links)
    feed = ET.fromstring(client.get("/articles/ketamine-news/feed/").content)
    assert feed.find(f"{ATOM}title").text == (
        "claimtrack: corrections to the claims in “Ketamine news”"
    )


def test_an_unknown_articles_feed_is_a_404(client, db):
    assert client.get("/articles/no-such-article/feed/").status_code == 404


def test_a_renamed_articles_feed_redirects_for_good(client, article, reviewed_claim):
    article.slug = "ketamine-in-the-news"
    article.save()
    response = client.get("/articles/ketamine-news/feed/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/ketamine-in-the-news/feed/"


def test_the_verdicts_feed_has_verdict_changes_only(client, two_articles):
    found = titles(client.get("/changes/feed/verdicts/"))
    assert len(found) == 5  # four on ketamine's claim, one on psilocybin's
    assert all(title.startswith(("Rated ", "Now rated ", "Still rated ")) for title in found)
    assert ClaimChange.objects.public().exclude(kind=ChangeKind.VERDICT).count() == 4
    feed = ET.fromstring(client.get("/changes/feed/verdicts/").content)
    assert feed.find(f"{ATOM}title").text == "claimtrack: verdicts given or changed"


@pytest.mark.parametrize(
    "url", ["/claims/feed/", "/changes/feed/verdicts/", "/articles/ketamine-news/feed/"]
)
def test_drafts_never_appear_in_a_feed(client, reviewed_claim, article, url):
    draft = make_claim(
        article, status="unverifiable", rationale="No trial is named.", published_at=None
    )
    # A draft has no public log; a row written around that rule still never shows.
    ClaimChange.objects.create(claim=draft, kind=ChangeKind.VERDICT, new_status="unverifiable")
    reviewed_claim.record_verdict_change(("", "", ""), None, "")
    assert titles(client.get(url)) == ["Rated Partly supported: Ketamine triggers BDNF release."]


def test_a_new_change_reaches_the_cached_article_feed_at_once(client, reviewed_claim, editor):
    assert titles(client.get("/articles/ketamine-news/feed/")) == []
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    assert titles(client.get("/articles/ketamine-news/feed/")) == [
        "Now rated Overstated (was Partly supported): Ketamine triggers BDNF release."
    ]


def test_the_new_feeds_run_a_fixed_number_of_queries(
    client, seeded, editor, django_assert_num_queries
):
    for claim in Claim.objects.filter(status="supported")[:60]:
        claim.change_verdict(
            by=editor, status="overstated", certainty="low", rationale="Less.", note="Review."
        )
    slug = Claim.objects.filter(changes__isnull=False).values_list("article__slug")[0][0]
    with django_assert_num_queries(2):  # the public version, the changes
        client.get("/changes/feed/verdicts/")
    with django_assert_num_queries(3):  # the public version, the article, its changes
        client.get(f"/articles/{slug}/feed/")


def test_the_article_page_and_the_log_link_their_feeds(client, reviewed_claim):
    page = client.get("/articles/ketamine-news/").content.decode()
    head = page[: page.index("</head>")]
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="claimtrack: corrections to the claims in this article" '
        'href="/articles/ketamine-news/feed/">'
    ) in head
    assert '<a href="/articles/ketamine-news/feed/">Follow corrections' in page
    log = client.get("/changes/").content.decode()
    head = log[: log.index("</head>")]
    assert 'type="application/atom+xml" title="claimtrack: verdicts given or changed" ' in head
    assert '<a href="/changes/feed/verdicts/">verdicts given or changed only</a>' in log
    assert '<a href="/claims/feed/">every change</a>' in log
