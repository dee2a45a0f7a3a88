"""Backups that restore exactly: dump a database, load a dump into an empty one, and fingerprint
every table so that a round trip can be checked row for row.

PostgreSQL goes through pg_dump/pg_restore (custom format); SQLite through the sqlite3 backup API,
which copies a consistent snapshot even while the app writes. A restore invents no row: no
migrate, no fixtures, no signals; only what the dump holds, into a database that holds nothing.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler
from psycopg import sql

# How each kind of file starts: a pg_dump custom-format archive, an SQLite database.
POSTGRES_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def engine(database_settings):
    """'postgresql' or 'sqlite', from a DATABASES entry; anything else is refused."""
    name = database_settings["ENGINE"].rsplit(".", 1)[-1]
    if name == "sqlite3":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {database_settings['ENGINE']}.")


def default_path(database_settings):
    """var/backups/claimtrack-<UTC timestamp>.<dump|sqlite3>."""
    suffix = "dump" if engine(database_settings) == "postgresql" else "sqlite3"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"claimtrack-{stamp}.{suffix}"


def dump(database_settings, path):
    """Write a complete dump of the database to path, which must not exist yet."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: refusing to overwrite a backup.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside it and rename at the end: a failed dump leaves no file that looks complete.
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    # A dump holds password hashes and sessions: its owner's to read, as var/demo-accounts.json.
    partial.touch(mode=0o600)
    try:
        if engine(database_settings) == "postgresql":
            _pg_run("pg_dump", database_settings, ["--format=custom", f"--file={partial}"])
        else:
            _sqlite_dump(database_settings["NAME"], partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(database_settings, path):
    """Load the dump at path into the database these settings name, which must hold no table
    (or, on PostgreSQL, not exist yet: it is created). Refuses, changing nothing, otherwise.
    """
    path = Path(path)
    kind = file_kind(path)
    target = engine(database_settings)
    if kind != target:
        raise BackupError(
            f"{path} is {_KINDS[kind]}, but the target database is {_ENGINES[target]}: "
            "a dump restores only onto the engine it came from."
        )
    # Django may hold a connection to the target (conn_max_age): let go of it before the
    # target changes underneath, so nothing cached or locked outlives the restore.
    connections.close_all()
    if kind == "postgresql":
        _pg_restore(database_settings, path)
    else:
        _sqlite_restore(database_settings, path)


def file_kind(path):
    """'postgresql' for a pg_dump custom archive, 'sqlite' for an SQLite database file."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    if _starts_with(path, POSTGRES_MAGIC):
        return "postgresql"
    if _starts_with(path, SQLITE_MAGIC):
        return "sqlite"
    raise BackupError(f"{path} is neither a PostgreSQL custom-format dump nor an SQLite database.")


_KINDS = {"postgresql": "a PostgreSQL dump", "sqlite": "an SQLite database file"}
_ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def _starts_with(path, magic):
    with open(path, "rb") as f:
        return f.read(len(magic)) == magic


def existing_tables(database_settings):
    """{table: row count} for every table in the database; {} when it does not exist yet."""
    if engine(database_settings) == "postgresql":
        if not _pg_database_exists(database_settings):
            return {}
    else:
        name = str(database_settings["NAME"])
        if name == ":memory:":
            raise BackupError("Cannot restore into ':memory:': it vanishes with its connection.")
        if not _sqlite_in_memory(name):
            if not Path(name).exists() or Path(name).stat().st_size == 0:
                return {}  # sqlite3 treats an empty file as a new database
            if not _starts_with(name, SQLITE_MAGIC):
                raise BackupError(f"Refusing to restore into {name}: it is not an SQLite database.")
    with connected(database_settings) as connection, connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


def is_empty(database_settings):
    """True when the database holds no table at all (a migrated database is not empty)."""
    return not existing_tables(database_settings)


@contextmanager
def connected(database_settings):
    """A Django connection of its own to the database these settings name, closed after."""
    connection = ConnectionHandler({DEFAULT_DB_ALIAS: dict(database_settings)})[DEFAULT_DB_ALIAS]
    try:
        yield connection
    finally:
        connection.close()


def table_fingerprints(connection):
    """{table: (row count, sha256 of its rows)} for every table the connection sees.

    Rows are read in the order of all their columns and hashed by repr, so two databases of the
    same engine (and collation) give equal fingerprints exactly when they hold the same rows.
    Reads every row of every table: for checks, not for request handling.
    """
    quote = connection.ops.quote_name
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            columns = ", ".join(quote(column.name) for column in description)
            cursor.execute(f"SELECT {columns} FROM {quote(table)} ORDER BY {columns}")
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(1000):
                for row in rows:
                    digest.update(repr(tuple(row)).encode() + b"\n")
                count += len(rows)
            fingerprints[table] = (count, digest.hexdigest())
    return fingerprints


def _refuse_unless_empty(database_settings):
    tables = existing_tables(database_settings)
    if not tables:
        return
    with_rows = [f"{table} ({count})" for table, count in tables.items() if count]
    empty = len(tables) - len(with_rows)
    raise BackupError(
        f"Refusing to restore into {database_settings['NAME']}: it is not empty "
        f"(restore needs a database with no tables, e.g. a new one). "
        f"Tables holding rows: {', '.join(with_rows) or 'none'}"
        + (f"; and {empty} empty table(s)." if empty else ".")
    )


def _sqlite_in_memory(name):
    # A shared-cache name such as the test database's "file:memorydb_default?mode=memory&..."
    return str(name).startswith("file:") and "mode=memory" in str(name)


def _sqlite_dump(name, path):
    # Open it as Django does (uri=True): a shared-cache in-memory name, as the test database
    # has, then reaches the same data from this process.
    if not _sqlite_in_memory(name) and not Path(name).is_file():
        raise BackupError(f"No SQLite database file at {name}.")
    source = sqlite3.connect(name, uri=True)
    target = sqlite3.connect(path)
    try:
        with target:
            source.backup(target)  # one step: a consistent snapshot
    finally:
        target.close()
        source.close()


def _sqlite_restore(database_settings, path):
    _refuse_unless_empty(database_settings)
    name = database_settings["NAME"]
    if not _sqlite_in_memory(name):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    target = sqlite3.connect(name, uri=True)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _pg_run(program, database_settings, arguments):
    """Run pg_dump or pg_restore against the database; the password goes in the environment."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} not found: install the PostgreSQL client tools.")
    command = [executable, "--no-owner", "--no-privileges"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database_settings.get(key):
            command.append(f"{option}={database_settings[key]}")
    command += [f"--dbname={database_settings['NAME']}", *arguments]
    env = dict(os.environ)
    if database_settings.get("PASSWORD"):
        env["PGPASSWORD"] = database_settings["PASSWORD"]
    if database_settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database_settings["OPTIONS"]["sslmode"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}): {result.stderr.strip()}")


def _pg_maintenance(database_settings):
    """An autocommit connection to the 'postgres' database, to look up or create others."""
    options = database_settings.get("OPTIONS", {})
    try:
        return psycopg.connect(
            dbname="postgres",
            host=database_settings.get("HOST") or None,
            port=database_settings.get("PORT") or None,
            user=database_settings.get("USER") or None,
            password=database_settings.get("PASSWORD") or None,
            sslmode=options.get("sslmode"),
            autocommit=True,
        )
    except psycopg.Error as error:
        raise BackupError(f"Cannot connect to PostgreSQL's 'postgres' database: {error}") from None


def _pg_database_exists(database_settings):
    with _pg_maintenance(database_settings) as maintenance:
        found = maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_settings["NAME"]]
        ).fetchone()
    return found is not None


def _pg_restore(database_settings, path):
    name = database_settings["NAME"]
    if _pg_database_exists(database_settings):
        _refuse_unless_empty(database_settings)
    else:
        with _pg_maintenance(database_settings) as maintenance:
            maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # One transaction, stopping at the first error: a failed restore leaves the database empty.
    _pg_run("pg_restore", database_settings, ["--exit-on-error", "--single-transaction", path])
