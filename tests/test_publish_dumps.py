"""publish_dumps: every public claim, article, source and change as gzipped JSON Lines and CSV
with a manifest, switched in atomically, never anything that is not public."""

import csv
import gzip
import hashlib
import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from claimtrack.api import dumps
from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    ClaimChange,
    Flag,
    StaffProfile,
)

from .conftest import make_user, tag

SECRET_DRAFT = "Zebrafish draft statement nobody outside may read"
SECRET_COMMENT = "Quokka flag comment for the editors only"
SECRET_NOTE = "Wombat dismissal note kept inside"
LOGIN = "zqx-editor-login"
EMAIL = "zqx-editor@staff.invalid"
PUBLIC_NAME = "Dr Ada Publicname"
SITE = "https://claimtrack.example.org"


def publish(directory, **options):
    out = io.StringIO()
    call_command("publish_dumps", str(directory), stdout=out, **options)
    return out.getvalue()


def manifest(directory):
    return json.loads((directory / "latest" / "manifest.json").read_text())


def text_of(path):
    with gzip.open(path, "rb") as file:
        return file.read()


def records(path):
    """The records of a .jsonl.gz or .csv.gz file: dicts, the CSV's from its header."""
    data = text_of(path)
    if path.name.endswith(".jsonl.gz"):
        return [json.loads(line) for line in data.decode().splitlines()]
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def editor_with_name(db):
    """An editor the public knows by a display name, with a login and an email it must not."""
    user = make_user(LOGIN, "Editors", is_staff=True, email=EMAIL)
    StaffProfile.objects.make(user, display_name=PUBLIC_NAME)
    return user


@pytest.fixture
def world(seeded, reviewer, editor_with_name, settings):
    """The seed data, and besides: a reviewer's draft, a flag dismissed with a note, a verdict
    checked again by the named editor, a withdrawn claim and a change by the system."""
    settings.SITE_URL = SITE
    article = Article.objects.order_by("pk").first()
    draft = Claim(
        article=article,
        slug="secret-draft",
        quote=article.text.split(".")[0],
        statement=SECRET_DRAFT,
        topic="efficacy",
    )
    draft.full_clean()
    draft.save_edit(by=reviewer)
    assert draft.drafted_by == reviewer and not draft.is_published

    first, second, third = Claim.objects.published().reviewed().order_by("pk")[:3]
    flag = Flag.objects.raise_flag(
        claim=first, by=reviewer, reason=tag("overstates-confidence"), comment=SECRET_COMMENT
    )
    flag.dismiss(by=editor_with_name, note=SECRET_NOTE)
    first.confirm_verdict(by=editor_with_name, note="Read the trials again.")
    second.withdraw(by=editor_with_name, note="The article was retracted by its outlet.")
    third.changes.create(kind="correction", summary="The claim's quote was corrected.")
    return {"draft": draft, "rechecked": first, "withdrawn": second}


def test_the_manifest_counts_what_the_files_hold_and_what_is_public(tmp_path, world, settings):
    publish(tmp_path)
    document = manifest(tmp_path)
    assert document["schema_version"] == 1
    assert document["site"] == SITE
    assert document["licence"] == {
        "name": settings.DATA_LICENSE_NAME,
        "url": settings.DATA_LICENSE_URL,
    }
    assert document["generated_at"].endswith("+00:00")
    assert document["generation"] == os.readlink(tmp_path / "latest")
    public = {
        "claims": Claim.objects.published().count(),
        "articles": Article.objects.count(),
        "citations": Citation.objects.public().count(),
        "changes": ClaimChange.objects.public().count(),
    }
    assert public["changes"] == 3 and public["claims"] > 100
    assert [entry["name"] for entry in document["files"]] == dumps.FILES
    for entry in document["files"]:
        path = tmp_path / "latest" / entry["name"]
        assert entry["compression"] == "gzip"
        assert entry["format"] == entry["name"].split(".")[1]
        assert entry["records"] == len(records(path)) == public[entry["table"]], entry["name"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_licence_is_the_settings(tmp_path, world, settings):
    settings.DATA_LICENSE_NAME = "ODbL 1.0"
    settings.DATA_LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    publish(tmp_path)
    assert manifest(tmp_path)["licence"] == {
        "name": "ODbL 1.0",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    }


def test_every_csv_opens_in_a_spreadsheet_with_its_header(tmp_path, world):
    publish(tmp_path)
    for name in dumps.FILES:
        if name.endswith(".csv.gz"):
            data = text_of(tmp_path / "latest" / name)
            assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, once
            assert not data[3:].startswith(b"\xef\xbb\xbf")
            header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            assert header[0] in {"article", "key", "id"}, name


def test_the_records_say_what_the_site_says(tmp_path, world):
    publish(tmp_path)
    latest = tmp_path / "latest"
    claims = {record["url"]: record for record in records(latest / "claims.jsonl.gz")}
    withdrawn = world["withdrawn"]
    # Withdrawn claims stay public, as on the site.
    assert claims[SITE + withdrawn.get_absolute_url()]["claim"] == withdrawn.slug

    [article] = [
        record
        for record in records(latest / "articles.jsonl.gz")
        if record["article"] == withdrawn.article.slug
    ]
    assert "text" not in article  # the outlet's to license, not ours
    assert article["page_url"] == SITE + withdrawn.article.get_absolute_url()
    assert article["claims"] == withdrawn.article.claims.published().count()
    assert sum(article["claims_by_status"].values()) == article["claims"]
    [row] = [r for r in records(latest / "articles.csv.gz") if r["article"] == article["article"]]
    assert "text" not in row and int(row["claims"]) == article["claims"]

    cited = Citation.objects.public().exclude(doi="").order_by("pk").first()
    [source] = [r for r in records(latest / "citations.jsonl.gz") if r["key"] == cited.slug]
    assert source["doi_url"] == f"https://doi.org/{cited.doi}"
    assert source["page_url"].endswith(f"/sources/{cited.slug}/")
    assert source["public_claims"] == Claim.objects.published().citing(cited).count()

    changes = records(latest / "changes.jsonl.gz")
    assert [change["kind"] for change in changes] == ["recheck", "withdrawal", "correction"]
    recheck, withdrawal, correction = changes
    assert recheck["changed_by"] == PUBLIC_NAME and recheck["note"] == "Read the trials again."
    assert withdrawal["claim_id"] == withdrawn.pk
    assert withdrawal["claim_url"].endswith(withdrawn.get_absolute_url())
    assert withdrawal["changed_at"].endswith("+00:00")
    assert correction["changed_by"] == "claimtrack editors"
    csv_changes = records(latest / "changes.csv.gz")
    assert [row["changed_by"] for row in csv_changes] == [PUBLIC_NAME] * 2 + ["claimtrack editors"]


def test_a_citation_notice_is_written_beside_its_source(tmp_path, world):
    from claimtrack.claims.models import CitationNotice

    cited = Citation.objects.public().order_by("pk").first()
    CitationNotice.objects.create(
        citation=cited, kind="retraction", learnt_from="crossref", notice_doi="10.5555/notice.1"
    )
    publish(tmp_path)
    latest = tmp_path / "latest"
    [source] = [r for r in records(latest / "citations.jsonl.gz") if r["key"] == cited.slug]
    assert source["notices"] == [
        {
            "kind": "retraction",
            "date": None,
            "notice_doi": "10.5555/notice.1",
            "notice_pmid": "",
            "notice_url": "https://doi.org/10.5555/notice.1",
            "reported_by": "crossref",
        }
    ]
    [row] = [r for r in records(latest / "citations.csv.gz") if r["key"] == cited.slug]
    assert row["notices"] == "retraction"


def test_nothing_private_is_in_any_file(tmp_path, world):
    publish(tmp_path)
    for name in [*dumps.FILES, "manifest.json"]:
        path = tmp_path / "latest" / name
        data = text_of(path) if name.endswith(".gz") else path.read_bytes()
        for secret in [SECRET_DRAFT, SECRET_COMMENT, SECRET_NOTE, LOGIN, EMAIL, "secret-draft"]:
            assert secret.encode() not in data, (secret, name)
    # What would leak a search document: words the claim's search_document holds only.
    claims = records(tmp_path / "latest" / "claims.jsonl.gz")
    assert not any("search_document" in record for record in claims)


def test_a_second_run_makes_a_new_generation_and_keep_prunes(tmp_path, world):
    publish(tmp_path)
    first = os.readlink(tmp_path / "latest")
    publish(tmp_path)
    second = os.readlink(tmp_path / "latest")
    assert second != first and second > first
    assert dumps.generations(tmp_path) == [first, second]
    output = publish(tmp_path, keep=1)
    third = os.readlink(tmp_path / "latest")
    assert dumps.generations(tmp_path) == [third]
    assert f"Pruned {tmp_path / first}" in output and f"Pruned {tmp_path / second}" in output
    assert manifest(tmp_path)["files"][0]["records"] == Claim.objects.published().count()


def test_a_failure_half_way_leaves_latest_on_the_last_complete_set(tmp_path, world, monkeypatch):
    publish(tmp_path)
    before = sorted(os.listdir(tmp_path))
    previous = os.readlink(tmp_path / "latest")
    written = []

    def lost_connection(self, ids):
        # The claims' and articles' files are written by now: the run is half-way.
        written.extend(os.listdir(next(tmp_path.glob(".tmp-*"))))
        raise DatabaseError("server closed the connection unexpectedly")

    monkeypatch.setattr(dumps.Citations, "notices", lost_connection)
    with pytest.raises(DatabaseError):
        publish(tmp_path)
    assert "claims.jsonl.gz" in written and "articles.csv.gz" in written
    assert sorted(os.listdir(tmp_path)) == before  # no partial generation, no stray link
    assert os.readlink(tmp_path / "latest") == previous
    assert manifest(tmp_path)["files"][0]["records"] == Claim.objects.published().count()


def test_a_directory_that_cannot_be_written_is_one_line(tmp_path, db):
    afile = tmp_path / "a-file"
    afile.write_text("")
    for target, words in [(afile, "is not a directory"), (afile / "dumps", "cannot be made")]:
        with pytest.raises(CommandError) as error:
            publish(target)
        assert words in str(error.value) and "\n" not in str(error.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to any directory")
def test_a_read_only_directory_is_refused(tmp_path, db):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(CommandError, match="is not writable"):
            publish(tmp_path)
    finally:
        tmp_path.chmod(0o700)


def test_a_run_already_writing_keeps_another_out(tmp_path, db):
    lock = dumps.locked(dumps.writable_directory(tmp_path))
    try:
        with pytest.raises(CommandError, match="Another publish_dumps"):
            publish(tmp_path)
    finally:
        lock.close()
    assert not (tmp_path / "latest").exists()


def test_keep_must_keep_the_latest(tmp_path, db):
    with pytest.raises(CommandError, match="at least 1"):
        publish(tmp_path, keep=0)


def test_a_dry_run_writes_nothing(tmp_path, world):
    target = tmp_path / "dumps"
    output = publish(target, dry_run=True)
    assert not target.exists()
    claims = Claim.objects.published().count()
    assert f"claims.jsonl.gz: {claims:,} records" in output
    assert "Nothing written" in output


def test_verbosity_zero_is_quiet_and_one_says_each_file(tmp_path, world):
    assert publish(tmp_path, verbosity=0) == ""
    output = publish(tmp_path, verbosity=1)
    for name in dumps.FILES:
        assert f"{name}: " in output


@pytest.mark.django_db(transaction=True)
def test_a_run_outside_any_transaction_reads_one_snapshot(tmp_path):
    """As cron runs it: on PostgreSQL its own read-only REPEATABLE READ transaction (whose
    SET TRANSACTION must come first), on SQLite none; either way the files come out whole."""
    from .conftest import make_claim

    article = Article.objects.create(slug="lone", title="Lone", text="Ketamine works fast.")
    make_claim(
        article,
        slug="fast",
        quote="Ketamine works fast.",
        status="unverifiable",
        rationale="No trial is named.",
    )
    publish(tmp_path)
    [claim] = records(tmp_path / "latest" / "claims.jsonl.gz")
    assert claim["claim"] == "fast"
    assert [entry["records"] for entry in manifest(tmp_path)["files"]] == [1, 1, 1, 1, 0, 0, 0, 0]
