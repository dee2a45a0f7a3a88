"""The soak: readers browsing and reviewers flagging at once, against gunicorn on PostgreSQL.

    make soak      (or: .venv/bin/python bench/soak.py; SOAK_SECONDS=60 by default)

Loopback only. Builds a fresh database (claimtrack_soak: the seed articles and claims, and a few
reviewer accounts), starts gunicorn with gunicorn.conf.py, then for SOAK_SECONDS runs reader
threads that fetch public pages (lists, filters, searches, claims, articles, sources, exports,
the feed) and reviewer threads that log in and flag claims. Each reviewer's claims are flagged
by two threads at once, so every flag is posted twice, concurrently: exactly one must be stored.
Prints requests, errors (5xx and failed connections), flags posted and stored, and the workers'
memory after warming up and at the end. Exits 1 on any 5xx, any flag stored twice or lost, or
memory growth of 10% or more.
"""

import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent

SECONDS = int(os.environ.get("SOAK_SECONDS") or 60)
DATABASE = os.environ.get(
    "SOAK_DATABASE_URL", "postgres://claimtrack:claimtrack@localhost:5432/claimtrack_soak"
)
READERS, REVIEWERS = 6, 3
PASSWORD = "soak-only-password-1"
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE,
    "DEBUG": "0",
    "SECRET_KEY": "soak-only-not-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "WEB_CONCURRENCY": "4",
    "ENV_FILE": "/nonexistent",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args, capture=False):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=ENV,
        check=True,
        capture_output=capture,
        text=True,
    )


def build_database():
    name = DATABASE.rsplit("/", 1)[1]
    admin_url = DATABASE.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("setup_demo", "--verbosity", "0", capture=True)
    script = (
        "from django.contrib.auth.models import Group, User\n"
        f"for n in range({REVIEWERS}):\n"
        f"    u = User.objects.create_user(f'soak-reviewer-{{n}}', password='{PASSWORD}',"
        " is_staff=True)\n"
        "    u.groups.add(Group.objects.get(name='Reviewers'))\n"
        "from claimtrack.claims.models import Claim\n"
        "for c in Claim.objects.published().select_related('article'):\n"
        "    print(c.get_absolute_url())\n"
    )
    return manage("shell", "--no-imports", "-c", script, capture=True).stdout.split()


def count_flags():
    script = (
        "from claimtrack.claims.models import Flag\n"
        "from django.db.models import Count\n"
        "rows = Flag.objects.filter(raised_by__username__startswith='soak-')"
        ".values('raised_by', 'claim').annotate(n=Count('pk'))\n"
        "print(len(rows), sum(r['n'] for r in rows))\n"
    )
    pairs, rows = manage("shell", "--no-imports", "-c", script, capture=True).stdout.split()
    return int(pairs), int(rows)


def worker_memory_kb(master):
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total, len(children)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.failures = Counter()
        self.posted = set()

    def add(self, status):
        with self.lock:
            self.statuses[status] += 1

    def fail(self, what):
        with self.lock:
            self.failures[what] += 1


def reader(base, claims, stop, tally):
    paths = [
        "/",
        "/claims/",
        "/claims/?status=overstated",
        "/claims/?q=ketamine+depression",
        "/claims/?topic=safety&ordering=-reviewed_at",
        "/articles/",
        "/changes/",
        "/sources/",
        "/sources/?q=ketamine",
        "/how-we-rate/",
        "/claims/feed/",
        "/claims/export.csv?status=supported",
    ]
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            path = random.choice(paths + claims[:20])
            try:
                tally.add(client.get(path).status_code)
            except httpx.HTTPError as error:
                tally.fail(type(error).__name__)


def reviewer(base, username, claims, stop, tally):
    """Logs in, then flags each of claims once (its twin thread flags the same ones)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        login = client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        tally.add(login.status_code)
        for path in claims:
            if stop.is_set():
                return
            try:
                form = client.get(path)
                tally.add(form.status_code)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
                response = client.post(
                    f"{path}flag/",
                    data={
                        "reason": "overstates-impact",
                        "comment": "Soak test.",
                        "csrfmiddlewaretoken": token.group(1),
                    },
                )
                tally.add(response.status_code)
                if response.status_code == 302:
                    with tally.lock:
                        tally.posted.add((username, path))
            except httpx.HTTPError as error:
                tally.fail(type(error).__name__)


def main():
    print(f"Building {DATABASE.rsplit('/', 1)[1]} ...", flush=True)
    claims = build_database()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "claimtrack.wsgi"],
        cwd=ROOT,
        env={**ENV, "PORT": str(port), "HOST": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        # Warm up every worker on every kind of page, then take the memory baseline.
        warm = Tally()
        warm_stop = threading.Event()
        threads = [
            threading.Thread(target=reader, args=(base, claims, warm_stop, warm))
            for _ in range(READERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(10)
        warm_stop.set()
        for thread in threads:
            thread.join()
        before, workers = worker_memory_kb(server.pid)

        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(target=reader, args=(base, claims, stop, tally))
            for _ in range(READERS)
        ]
        for n in range(REVIEWERS):
            mine = claims[n::REVIEWERS]
            for _ in range(2):  # two threads, the same claims: every flag posted twice at once
                threads.append(
                    threading.Thread(
                        target=reviewer, args=(base, f"soak-reviewer-{n}", mine, stop, tally)
                    )
                )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        after, _ = worker_memory_kb(server.pid)
    finally:
        server.terminate()
        server.wait()

    pairs, rows = count_flags()
    requests = sum(tally.statuses.values())
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    growth = (after - before) / before * 100
    print(
        f"{requests} requests in {elapsed:.0f} s ({requests / elapsed:.0f}/s) by {READERS}"
        f" readers and {2 * REVIEWERS} reviewer threads;"
        f" statuses {dict(sorted(tally.statuses.items()))}"
    )
    print(f"5xx: {server_errors}; failed connections: {dict(tally.failures) or 0}")
    print(
        f"flags: {len(tally.posted)} distinct (reviewer, claim) accepted, each posted twice at"
        f" once; stored: {rows} rows for {pairs} pairs"
    )
    print(
        f"workers' memory ({workers} workers): {before / 1024:.1f} MB after warming up,"
        f" {after / 1024:.1f} MB after the soak ({growth:+.1f}%)"
    )
    ok = (
        server_errors == 0
        and not tally.failures
        and rows == pairs == len(tally.posted)
        and growth < 10
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
