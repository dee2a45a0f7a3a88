"""CSV and JSON exports of the filtered claims."""

import csv
import io
import json

import pytest
from django.db import OperationalError

from claimtrack.claims import exports
from claimtrack.claims.models import Claim, Evidence
from tests.conftest import make_claim


def content(response):
    """The body as text; a CSV's byte-order mark (exports.BOM) is dropped, as spreadsheets
    read it."""
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(content(response))))


def test_the_csv_export_has_every_public_field(client, evidenced_claim):
    response = client.get("/claims/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="claimtrack-claims-')
    assert response["Content-Disposition"].endswith('.csv"')
    [row] = csv_rows(response)
    assert row == {
        "article": "ketamine-news",
        "article_title": "Ketamine news",
        "claim": "bdnf",
        "url": "http://testserver/claims/ketamine-news/bdnf/",
        "quote": "It triggers BDNF release.",
        "statement": "Ketamine triggers BDNF release.",
        "topic": "efficacy",
        "status": "partly_supported",
        "certainty": "low",
        "rationale": "Shown in mice, not in people.",
        "reason_tags": "animal-extrapolation",
        "reviewed_at": "",
        "evidence_count": "2",
        "id": str(evidenced_claim.pk),
        "group": "",
        "group_name": "",
        "article_url": "",
        "dois": "10.1176/appi.ajp.2013.13030392",  # the mouse study has none
        "pmids": "23982301",
        "open_flags": "0",
        "withdrawn_at": "",
        "withdrawal_note": "",
    }


def test_the_json_export_has_every_field_with_evidence_and_citations(client, evidenced_claim):
    response = client.get("/claims/export.json?status=partly_supported")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    document = json.loads(content(response))
    assert document["source"] == "claimtrack"
    assert document["filters"] == {"status": "partly_supported"}
    [record] = document["claims"]
    assert record["statement"] == "Ketamine triggers BDNF release."
    assert record["reason_tags"] == ["animal-extrapolation"]
    assert record["url"] == "http://testserver/claims/ketamine-news/bdnf/"
    assert set(record) >= {
        "article",
        "quote",
        "statement",
        "topic",
        "status",
        "certainty",
        "rationale",
        "reason_tags",
        "reviewed_at",
        "url",
        "evidence",
    }
    mice, evidence = record["evidence"]  # oldest citation first
    assert (mice["citation"]["year"], mice["stance"]) == (2011, "qualifies")
    assert evidence["stance"] == "qualifies"
    assert evidence["note"] == "Mice only."
    assert evidence["citation"]["doi_url"] == "https://doi.org/10.1176/appi.ajp.2013.13030392"
    assert evidence["citation"]["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/23982301/"
    assert evidence["citation"]["year"] == 2013


def test_the_reviewed_date_is_exported(client, reviewed_claim, editor):
    reviewed_claim.change_verdict(
        by=editor, status="overstated", certainty="low", rationale="Mice.", note="Mice only."
    )
    [row] = csv_rows(client.get("/claims/export.csv"))
    assert row["reviewed_at"] == reviewed_claim.reviewed_at.isoformat()
    [record] = json.loads(content(client.get("/claims/export.json")))["claims"]
    assert record["reviewed_at"] == reviewed_claim.reviewed_at.isoformat()


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_exports_apply_the_list_filters(client, article, reviewed_claim, extension):
    make_claim(article, status="unverifiable", rationale="No study named.")
    make_claim(
        article,
        slug="bdnf-unverifiable",
        quote="It triggers BDNF release.",
        statement="Ketamine triggers BDNF release.",
        status="unverifiable",
        rationale="No study named.",
    )
    response = client.get(f"/claims/export.{extension}?status=unverifiable&q=hours")
    if extension == "csv":
        assert [row["claim"] for row in csv_rows(response)] == ["within-hours"]
    else:
        claims = json.loads(content(response))["claims"]
        assert [record["claim"] for record in claims] == ["within-hours"]


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_an_export_of_nothing_is_still_valid(client, unverifiable_claim, extension):
    response = client.get(f"/claims/export.{extension}?status=contradicted")
    if extension == "csv":
        assert content(response).splitlines() == [",".join(exports.CSV_COLUMNS)]
    else:
        assert json.loads(content(response))["claims"] == []


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_a_bad_filter_is_a_400_with_the_message(client, claim, extension):
    response = client.get(f"/claims/export.{extension}?status=nonsense")
    assert response.status_code == 400
    assert not response.streaming
    assert "nonsense is not one of the available choices" in response.content.decode()


def test_csv_quotes_commas_quotes_and_newlines(client, article):
    article.text = 'It is "fast, safe"\nand cheap.'
    article.save()
    make_claim(article, slug="odd", quote='"fast, safe"\nand', status="unverifiable", rationale="x")
    [row] = csv_rows(client.get("/claims/export.csv"))
    assert row["quote"] == '"fast, safe"\nand'


@pytest.mark.parametrize("extension", ["csv", "json"])
def test_exports_read_claims_in_chunks_with_a_fixed_number_of_queries_each(
    client, seeded, extension, monkeypatch, django_assert_num_queries
):
    # The public version (for the ETag); one query reads the claims with their articles and
    # groups, through a cursor; then per chunk one query for the tags, one for the evidence
    # with its citations (JSON) or their identifiers (CSV), one for the open-flag counts.
    total = Claim.objects.count()
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    chunks = -(-total // 100)
    with django_assert_num_queries(2 + 3 * chunks):
        body = content(client.get(f"/claims/export.{extension}"))
    if extension == "csv":
        assert len(list(csv.DictReader(io.StringIO(body)))) == total
    else:
        assert len(json.loads(body)["claims"]) == total


def test_the_seed_export_matches_the_database(client, seeded):
    document = json.loads(content(client.get("/claims/export.json")))
    assert len(document["claims"]) == Claim.objects.count()
    exported_evidence = sum(len(record["evidence"]) for record in document["claims"])
    assert exported_evidence == Evidence.objects.count()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB"])
def test_csv_cells_a_spreadsheet_would_run_are_made_inert(client, article, text):
    article.text = f"Intro. {text} Outro."
    article.save()
    make_claim(article, slug="formula", quote=text, status="unverifiable", rationale=text)
    [row] = csv_rows(client.get("/claims/export.csv"))
    assert row["quote"] == row["rationale"] == "'" + text
    # JSON is data for programs, not a spreadsheet: it carries the text as it is.
    [record] = json.loads(content(client.get("/claims/export.json")))["claims"]
    assert record["quote"] == text


def test_inert_leaves_ordinary_cells_and_numbers_alone():
    assert exports.inert("Ketamine - a drug") == "Ketamine - a drug"
    assert exports.inert(-3) == -3
    assert exports.inert("") == ""
    assert exports.inert("\rCR") == "'\rCR"  # (article texts keep no bare \r to quote)


def test_an_export_that_fails_midway_raises_instead_of_ending_like_a_whole_file(
    client, seeded, monkeypatch
):
    """The server then aborts the connection (gunicorn sends no last chunk), so a download
    cut short is seen as cut short: it never ends with a clean footer."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    calls = []

    def tags_failing_the_second_time(ids):
        calls.append(ids)
        if len(calls) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return {}

    monkeypatch.setattr(exports, "tags_of", tags_failing_the_second_time)
    for extension in ("csv", "json"):
        calls.clear()
        response = client.get(f"/claims/export.{extension}")
        assert response.status_code == 200
        received = []
        with pytest.raises(OperationalError):
            for part in response.streaming_content:
                received.append(part)
        assert received  # the first chunk went out
        assert not b"".join(received).endswith(b"]}\n")
