"""A backup restores exactly: every table, every row; and restore refuses what it cannot do cleanly.

transaction=True throughout: the rows must be committed for pg_dump (another process) to see them.
On SQLite the test database lives in memory under a shared-cache name; `backup` opens it with
that name as Django does (uri=True), from this same process, so it copies the very rows the test
wrote, with no test-only settings. A restore always goes into a new database: a file in tmp_path
on SQLite, <test database>_restore on PostgreSQL.
"""

import io
import time
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claimtrack.claims import backups
from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import Claim, Flag

from .conftest import tag

pytestmark = pytest.mark.django_db(transaction=True)

EDITORIAL_TABLES = [
    "auth_user",
    "claims_article",
    "claims_citation",
    "claims_claim",
    "claims_claimchange",
    "claims_evidence",
    "claims_flag",
    # The record: the internal history and the public log.
    "claims_historicalarticle",
    "claims_historicalclaim",
    "claims_historicalclaim_reason_tags",
    "claims_historicalevidence",
    "claims_historicalflag",
]


def drop_database(database_settings):
    with psycopg.connect(
        dbname="postgres",
        host=database_settings["HOST"] or None,
        port=database_settings["PORT"] or None,
        user=database_settings["USER"] or None,
        password=database_settings["PASSWORD"] or None,
        autocommit=True,
    ) as maintenance:
        # Not WITH (FORCE): it must be allowed to end every session on the database, which a
        # plain role may not do to autovacuum, busy on a freshly restored database. A plain DROP
        # stops autovacuum itself; a session of our own that is still closing is waited for.
        for attempt in range(20):
            try:
                maintenance.execute(f'DROP DATABASE IF EXISTS "{database_settings["NAME"]}"')
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.5)


@pytest.fixture
def new_database(tmp_path):
    """Settings for a database that does not exist yet, dropped after the test."""
    target = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        target["NAME"] = str(tmp_path / "restored" / "claimtrack.sqlite3")
        yield target
        return
    target["NAME"] = f"{connection.settings_dict['NAME']}_restore"
    drop_database(target)  # left over from an interrupted run
    yield target
    drop_database(target)


def sequences(conn):
    """Where each id sequence stands: a restored database must not hand out an id again."""
    if conn.vendor == "postgresql":
        query = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
    else:
        query = "SELECT name, seq FROM sqlite_sequence ORDER BY 1"
    with conn.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchall()


def backup(tmp_path):
    out = tmp_path / ("claimtrack.dump" if connection.vendor == "postgresql" else "claimtrack.db")
    call_command("backup", output=str(out), verbosity=0, stdout=io.StringIO())
    return out


def test_restore_gives_back_every_row_of_every_table(tmp_path, new_database, migration_data):
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)
    reviewer = User.objects.create_user("rita", password="pw-for-tests-only", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    claim = Claim.objects.order_by("pk").first()
    Flag.objects.raise_flag(
        claim=claim, by=reviewer, reason=tag("overstates-impact"), comment="Hours?"
    )
    flag = Flag.objects.raise_flag(claim=claim, by=reviewer, reason=tag("lacks-context"))
    flag.uphold(by=None, note="Needs context.", rationale="Hours for some, days for most.")
    before = backups.table_fingerprints(connection)
    numbering = sequences(connection)
    assert numbering

    backups.restore(new_database, backup(tmp_path))

    with backups.connected(new_database) as restored:
        after = backups.table_fingerprints(restored)
        assert sequences(restored) == numbering
    assert after == before
    for table in EDITORIAL_TABLES:
        assert after[table][0] > 0, table


def test_restore_refuses_a_migrated_database_and_changes_nothing(tmp_path):
    call_command("loaddata", "claim_groups", verbosity=0)
    before = backups.table_fingerprints(connection)
    dump = backup(tmp_path)

    with pytest.raises(CommandError) as error:
        call_command("restore", str(dump), verbosity=0)

    assert "not empty" in str(error.value)
    assert "django_migrations (" in str(error.value)
    assert "claims_claimgroup (" in str(error.value)
    assert backups.table_fingerprints(connection) == before


def test_restore_refuses_a_dump_of_the_other_engine(tmp_path):
    other = tmp_path / "other"
    if connection.vendor == "postgresql":
        other.write_bytes(backups.SQLITE_MAGIC + b"\0" * 100)
    else:
        other.write_bytes(backups.POSTGRES_MAGIC + b"\1\16\0" * 100)
    with pytest.raises(CommandError, match="restores only onto the engine it came from"):
        call_command("restore", str(other), verbosity=0)


def test_restore_refuses_a_file_that_is_no_dump(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a dump")
    with pytest.raises(CommandError, match="neither a PostgreSQL custom-format dump nor"):
        call_command("restore", str(notes), verbosity=0)


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing.dump"), verbosity=0)


def test_backup_prints_the_path_of_a_new_file_last(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("backup", stdout=out)
    path = Path(out.getvalue().splitlines()[-1])
    assert path.parent == tmp_path / "backups"
    assert path.is_file() and path.stat().st_size > 0
    assert path.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    assert backups.file_kind(path) == connection.vendor


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL only")
def test_backup_fails_clearly_without_pg_dump(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump not found"):
        call_command("backup", output=str(tmp_path / "x.dump"), verbosity=0)
    assert list(tmp_path.iterdir()) == []
