"""The benchmark: every page served by gunicorn at scale, driven by wrk over loopback.

    make bench [SCALE=100000]          (or: .venv/bin/python bench/serve_bench.py)

Builds (once per scale) a benchmark database with make_bench_data, starts the app under
gunicorn twice (page cache on, and off for the "uncached" rows), drives each URL with
`wrk --latency` from a second process, times export.csv with a streaming client while reading
the worker's memory, serves the same claims with Datasette from an SQLite copy for comparison,
prints a table (requests per second, p50, p95, queries per request, response size, p50 as a
ratio to the B1 floor of the same run, the target and whether it is met) and writes it to
BENCHMARKS.md, one section per scale. Figures on a shared machine are indicative only.

Queries per request are counted in this process, with Django's test Client under
CaptureQueriesContext against the same database and the uncached server's settings.
p95 comes from a small wrk Lua script (latency:percentile(95)); wrk itself prints 50/75/90/99.
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection, IncompleteRead
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Everything the benchmark reads from the environment, in one place.
SCALE = int(os.environ.get("SCALE") or 100_000)
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://claimtrack:claimtrack@localhost:5432/claimtrack_bench"
)
SECONDS = int(os.environ.get("BENCH_SECONDS") or 10)  # per URL
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS") or 60)
LOAD_CONNECTIONS = int(os.environ.get("BENCH_LOAD_CONNECTIONS") or 32)
THREADS, CONNECTIONS = 2, 8  # wrk -t2 -c8
# The server's environment; the two variants add theirs. Adjust here when the page cache's
# switch is named otherwise.
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 30,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "BENCH_FLOOR": "1",
    "API_RATE_LIMIT": "",  # wrk is one client: the API's rate limit would answer it 429s
}
# BENCH_ROWS=api: only the floor rows and the rows whose label holds "api" (quicker: no
# exports, no load test). Empty: every row.
ONLY = os.environ.get("BENCH_ROWS", "").lower()
CACHED_ENV = {"PAGE_CACHE": "1"}
UNCACHED_ENV = {"PAGE_CACHE": "0"}
GUNICORN_WORKERS = os.environ.get("BENCH_WORKERS", "2")  # when there is no gunicorn.conf.py
VAR = ROOT / "var" / "bench"
REPORT = ROOT / "BENCHMARKS.md"
KB = 1024

# Django in this process: the data, the query counts, the SQLite copy. Uncached settings.
os.environ.update({**SERVER_ENV, **UNCACHED_ENV})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH p50=%d p95=%d requests=%d duration=%d status=%d " ..
    "connect=%d read=%d write=%d timeout=%d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests, summary.duration, e.status, e.connect,
    e.read, e.write, e.timeout))
end
"""


@dataclass
class Row:
    label: str
    url: str  # path and query
    server: str = "uncached"  # which server: "uncached", "cached", "datasette"
    headers: dict = field(default_factory=dict)
    admin: bool = False  # requests as the logged-in editor
    target: str = ""  # what it must meet, said in the table
    result: dict = field(default_factory=dict)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"Nothing answered on port {port} at {path} within {seconds} s.")


class Servers:
    """The processes this run starts; all stopped at the end, whatever happens."""

    def __init__(self):
        self.processes = {}

    def gunicorn(self, name, extra_env, workers=None, timeout=None):
        port = free_port()
        command = [str(Path(sys.executable).parent / "gunicorn"), "claimtrack.wsgi"]
        if (ROOT / "gunicorn.conf.py").exists():
            command += ["--config", str(ROOT / "gunicorn.conf.py")]
        if workers or not (ROOT / "gunicorn.conf.py").exists():
            command += ["--workers", str(workers or GUNICORN_WORKERS)]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        if timeout:
            command += ["--timeout", str(timeout)]
        env = {**os.environ, **SERVER_ENV, **extra_env}
        self.start(name, command, env, port)
        wait_for(port, "/healthz")
        return port

    def datasette(self, path):
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "datasette"),
            "serve",
            str(path),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "default_page_size",
            "25",
        ]
        self.start("datasette", command, dict(os.environ), port)
        wait_for(port, "/-/versions.json")
        return port

    def start(self, name, command, env, port):
        """Start a server in its own process group, its output in var/bench/NAME.log."""
        VAR.mkdir(parents=True, exist_ok=True)
        with open(VAR / f"{name}.log", "w") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )
        self.processes[name] = (process, port)

    def port(self, name):
        return self.processes[name][1]

    def workers(self, name):
        """The pids of a gunicorn's workers (its master's children)."""
        master = self.processes[name][0].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop_one(self, name):
        process, _ = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)

    def stop(self):
        for process, _ in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _ in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


# The data.


def ensure_database():
    """Create the benchmark database if it is missing (the role may create databases)."""
    import psycopg

    url = urllib.parse.urlsplit(DATABASE_URL)
    name = url.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def ensure_data():
    from django.core.management import call_command

    from claimtrack.claims import benchdata

    call_command("migrate", verbosity=0)
    have = benchdata.bench_claims().count()
    if have == SCALE:
        print(f"Reusing the benchmark data: {have:,} claims.")
        return None
    print(f"Building the benchmark data: {SCALE:,} claims (had {have:,}).")
    started = time.monotonic()
    call_command("make_bench_data", claims=SCALE, reset=True)
    return time.monotonic() - started


def editor_cookie():
    """A session of the synthetic editor, stored in the database the servers read."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    editor = User.objects.get(username="bench-editor")
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session.create()
    return editor, f"sessionid={session.session_key}"


def pick_pages():
    """A claim page, and the article with the most published claims (50 and more)."""
    from django.db.models import Count, Q

    from claimtrack.claims.models import Article, Claim

    claims = Claim.objects.published().filter(withdrawn_at__isnull=True).order_by("pk")
    claim = claims.select_related("article")[claims.count() // 2]
    article = (
        Article.objects.defer("text")
        .annotate(n=Count("claims", filter=Q(claims__published_at__isnull=False)))
        .order_by("-n", "pk")
        .first()
    )
    return claim.get_absolute_url(), article.get_absolute_url(), article.n


def copy_for_datasette():
    """The published claims, with the columns the list shows, in an SQLite file for Datasette
    (the stdlib sqlite3 module), indexed on status. Made once per scale."""
    from claimtrack.claims.models import Claim

    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / f"scale-{SCALE}" / "db.sqlite3"  # Datasette names the database "db"
    if path.exists():
        return path
    path.parent.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    columns = [
        "id",
        "article__slug",
        "article__title",
        "slug",
        "statement",
        "quote",
        "topic",
        "status",
        "certainty",
        "reviewed_at",
        "evidence_count",
        "open_flag_count",
    ]
    names = [c.replace("__", "_") for c in columns]
    rows = (
        Claim.objects.published()
        .with_counts()
        .order_by("article__title", "quote_start", "pk")
        .values_list(*columns)
        .iterator(chunk_size=5000)
    )
    database = sqlite3.connect(partial)
    database.execute(f"CREATE TABLE claims ({', '.join(names)})")
    database.executemany(
        f"INSERT INTO claims VALUES ({', '.join('?' * len(names))})",
        ((*row[:9], row[9].isoformat() if row[9] else None, *row[10:]) for row in rows),
    )
    database.execute("CREATE INDEX claims_status ON claims (status)")
    database.commit()
    database.close()
    partial.rename(path)
    return path


# Measuring.


def plain_request(port, url, headers):
    """Status, body size, content type and ETag of one request (no redirects followed)."""
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.monotonic()
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return {
        "single_ms": (time.monotonic() - started) * 1000,
        "status": response.status,
        "size": len(body),
        "type": response.getheader("Content-Type", ""),
        "etag": response.getheader("ETag"),
    }


def settle(port, seconds=300):
    """Wait until the server has worked off what wrk left queued: sync workers go on serving
    requests whose client has gone, and the next row must not pay for them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if plain_request(port, "/healthz", {})["single_ms"] < 500:
            return


def run_wrk(port, url, headers, seconds, connections=CONNECTIONS):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "--latency", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s"]
    command += ["-s", script.name, "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{url}")
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    values = dict(item.split("=") for item in line.split()[1:])
    values = {name: int(value) for name, value in values.items()}
    if values["requests"] == 0:  # not one response within the duration: no percentiles
        values["p50"] = values["p95"] = seconds * 1_000_000
    return {
        "rps": values["requests"] / (values["duration"] / 1e6),
        "p50": values["p50"] / 1000,  # ms
        "p95": values["p95"] / 1000,
        "requests": values["requests"],
        "non_2xx_3xx": values["status"],
        "socket_errors": sum(values[k] for k in ("connect", "read", "write", "timeout")),
    }


def count_queries(url, headers, editor):
    """Queries Django runs for this request, in this process, with the uncached settings."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    if editor is not None:
        client.force_login(editor)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Cookie"}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
        if response.streaming:
            for _ in response.streaming_content:
                pass
    return len(queries)


def measure(row, servers, editor, cookie):
    headers = dict(row.headers)
    if row.admin:
        headers["Cookie"] = cookie
    port = servers.port(row.server)
    result = plain_request(port, row.url, headers)
    result.update(run_wrk(port, row.url, headers, SECONDS))
    if row.server != "datasette":
        settle(port)
    if result["requests"] == 0:
        # Slower than the whole run: the single request's time stands in for the percentiles.
        result["p50"] = result["p95"] = result["single_ms"]
        result["note"] = f"no response within {SECONDS} s under wrk"
    if row.server != "datasette":
        result["queries"] = count_queries(row.url, row.headers, editor if row.admin else None)
    row.result = result


def rss_kb(pid, key):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1))


def measure_export(servers, url):
    """Seconds to stream the whole export, its size, and the memory it took: a gunicorn of one
    worker of its own, warmed up by a small export, then the worker's peak resident set after
    (VmHWM) minus its resident set before (VmRSS), from /proc/PID/status."""
    # A worker is killed after gunicorn's timeout (30 s by default) mid-export: give it room,
    # so that a slow export is measured, not cut short.
    port = servers.gunicorn("export", UNCACHED_ENV, workers=1, timeout=300)
    try:
        plain_request(port, f"{url}?status=contradicted", {})
        [worker] = servers.workers("export")
        before = rss_kb(worker, "VmRSS")
        connection = HTTPConnection("127.0.0.1", port, timeout=300)
        started = time.monotonic()
        connection.request("GET", url)
        response = connection.getresponse()
        size, status = 0, response.status
        try:
            while chunk := response.read(1 << 16):
                size += len(chunk)
        except IncompleteRead:
            status = "cut short (see var/bench/export.log)"
        seconds = time.monotonic() - started
        peak = rss_kb(worker, "VmHWM")
    finally:
        servers.stop_one("export")
    return {
        "status": status,
        "seconds": seconds,
        "size": size,
        "rss_before_mb": before / KB,
        "growth_mb": (peak - before) / KB,
    }


# The report.


def deep_page_url(number=1000):
    """Page `number` of /claims/ as a reader reaches it, by the Next links: the cursor of the
    previous page's last claim (paginators.keyset_page)."""
    from django.test import RequestFactory

    from claimtrack.claims.paginators import encode_cursor, sort_keys
    from claimtrack.claims.views import CLAIMS_PER_PAGE, filtered_claims

    claims = filtered_claims(RequestFactory().get("/claims/")).qs
    before = claims[(number - 1) * CLAIMS_PER_PAGE - 1]
    return f"/claims/?page={number}&after={encode_cursor(sort_keys(claims), before)}"


def deep_api_url(depth=25_000):
    """The API's claims list ?status=overstated as a client reaches the claim at `depth` by
    following the cursors (claimtrack.api.pages)."""
    from claimtrack.api.views import public_claims
    from claimtrack.claims.paginators import encode_cursor, sort_keys

    claims = public_claims().order_by("article__title", "quote_start", "pk")
    before = claims[depth - 1]
    return f"/api/v1/claims/?limit=100&cursor={encode_cursor(sort_keys(claims), before)}"


def api_rows():
    filtered = "/api/v1/claims/?status=overstated&limit=100"
    return [
        Row("api claims ?status=overstated uncached", filtered, target="≤3x"),
        Row("api claims ?status=overstated cached", filtered, server="cached", target="≤3x"),
        Row("api claims deep cursor uncached", deep_api_url(), target="≤3x"),
        Row("api claims deep cursor cached", deep_api_url(), server="cached", target="≤3x"),
        Row("api 304 revalidation", filtered, server="cached", target="≤1.2x"),
    ]


def rows_for(claim_url, article_url, rare, common, page_1000_url):
    uncached_3 = "≤3x B1, p95 ≤4x"
    rows = [
        Row("B0 floor (middleware only)", "/bench/floor"),
        Row("B1 /healthz", "/healthz"),
        Row("/ (home)", "/", target="≤3x"),
        Row("/articles/", "/articles/", target="≤3x"),
    ]
    for label, url in [
        ("/claims/", "/claims/"),
        ("/claims/?status=overstated", "/claims/?status=overstated"),
        ("/claims/?topic=safety", "/claims/?topic=safety"),
        ("/claims/?page=1000", page_1000_url),
    ]:
        page_1000 = "; ≤1.2x page 1" if "page=" in label else ""
        rows.append(Row(f"{label} uncached", url, target=uncached_3 + page_1000))
        rows.append(Row(f"{label} cached", url, server="cached", target="≤1.2x" + page_1000))
    rows += [
        Row(f"search rare “{rare}”", f"/claims/?q={rare}", target="≤4x"),
        Row(f"search common “{common}”", f"/claims/?q={common}", target="≤10x"),
        Row("a claim page", claim_url, target="≤3x"),
        Row("an article page, 50+ claims", article_url, target="≤3x"),
        Row("304 revalidation", "/claims/?status=overstated", server="cached"),
        Row("admin claim changelist", "/admin/claims/claim/", admin=True, target="≤3x"),
        Row(
            "admin changelist ?status=overstated",
            "/admin/claims/claim/?status__exact=overstated",
            admin=True,
            target="≤3x",
        ),
        Row(
            "admin autocomplete (flag → claim)",
            "/admin/autocomplete/?app_label=claims&model_name=flag&field_name=claim&term=ketamine",
            admin=True,
            target="≤2x",
        ),
        Row("flag queue (admin)", "/admin/claims/flag/", admin=True, target="≤3x"),
        Row("Datasette ?status=overstated", "/db/claims?status=overstated", server="datasette"),
        *api_rows(),
    ]
    if ONLY:
        rows = [row for row in rows if row.label.startswith("B") or ONLY in row.label.lower()]
    return rows


def judge(rows, by_label):
    """Fill in met/missed for each row with a target."""
    b1 = by_label["B1 /healthz"].result["p50"]
    for row in rows:
        r = row.result
        if "rps" not in r:
            continue
        r["ratio"] = r["p50"] / b1
        checks = []
        if row.target.startswith("≤"):
            limit = float(re.match(r"≤([\d.]+)x", row.target).group(1))
            checks.append(r["ratio"] <= limit)
        if "p95 ≤4x" in row.target:
            checks.append(r["p95"] / b1 <= 4)
        if "page 1" in row.target:
            page_1 = by_label[row.label.replace("?page=1000", "")].result
            r["vs_page_1"] = r["p50"] / page_1["p50"]
            checks.append(r["vs_page_1"] <= 1.2)
        if row.label == "304 revalidation" and r.get("status") == 304 and not ONLY:
            full = by_label["/claims/?status=overstated uncached"].result["p50"]
            row.target = f"≤0.5x a full render ({r['p50'] / full:.2f}x)"
            checks.append(r["p50"] <= 0.5 * full)
        if row.server == "datasette":
            app = by_label["/claims/?status=overstated cached"].result["rps"]
            uncached = by_label["/claims/?status=overstated uncached"].result["rps"]
            row.target = f"app ≥5x its rps (cached {app / r['rps']:.1f}x, uncached "
            row.target += f"{uncached / r['rps']:.1f}x)"
            checks.append(app >= 5 * r["rps"])
        if is_html(row) and r["size"] > 150 * KB:
            checks.append(False)
            row.target += " (over 150 KB)"
        if checks:
            r["met"] = all(checks) and r["requests"] > 0


def is_html(row):
    """One of the app's HTML pages (Datasette's are not held to the app's size limit)."""
    return row.server != "datasette" and row.result.get("type", "").startswith("text/html")


def table(rows):
    header = "| what | rps | p50 ms | p95 ms | queries | size | p50/B1 | target | met |"
    lines = [header, "|" + "---|" * 9]
    for row in rows:
        r = row.result
        if "rps" not in r:
            lines.append(f"| {row.label} | {r.get('note', 'n/a')} | | | | | | | |")
            continue
        size = f"{r['size'] / KB:.1f} KB" + ("" if r["status"] == 200 else f" ({r['status']})")
        met = {True: "met", False: "**missed**"}.get(r.get("met"), "")
        if "note" in r:
            met += f" ({r['note']})"
        lines.append(
            f"| {row.label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r.get('queries', '–')} | {size} | {r['ratio']:.2f} | {row.target} | {met} |"
        )
    return "\n".join(lines)


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory / KB / KB:.0f} GiB RAM; PostgreSQL {postgres}; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}"
    )


def write_report(section):
    """Replace this scale's section of BENCHMARKS.md (or add it), keeping the others."""
    title = (
        "# Benchmarks\n\nWritten by `make bench` (bench/serve_bench.py); one section per scale.\n"
    )
    text = REPORT.read_text() if REPORT.exists() else title
    marker = f"\n## {SCALE:,} claims\n"
    start = text.find(marker)
    if start == -1:
        text = text.rstrip("\n") + "\n" + section
    else:
        end = text.find("\n## ", start + len(marker))
        text = text[:start] + "\n" + section.lstrip("\n") + (text[end:] if end != -1 else "")
    REPORT.write_text(text.rstrip("\n") + "\n")


def compare_scales(rows):
    """From 100,000 to 1,000,000 claims no public page may slow by more than 2x: compare with
    the other scale's recorded results, when there are some."""
    other = 1_000_000 if SCALE == 100_000 else 100_000
    mine, theirs = VAR / f"results-{SCALE}.json", VAR / f"results-{other}.json"
    mine.write_text(json.dumps({row.label: row.result for row in rows}, indent=1))
    if not theirs.exists():
        return f"No results at {other:,} claims yet to compare with."
    small, large = sorted([(SCALE, mine), (other, theirs)])
    before, after = json.loads(small[1].read_text()), json.loads(large[1].read_text())
    lines = [f"From {small[0]:,} to {large[0]:,} claims, p50 of the public pages (≤2x):", ""]
    for label, result in before.items():
        if label.startswith(("admin", "flag", "Datasette", "B0", "B1")) or label not in after:
            continue
        if "p50" in result and "p50" in after[label]:
            ratio = after[label]["p50"] / result["p50"]
            verdict = "met" if ratio <= 2 else "**missed**"
            lines.append(
                f"- {label}: {result['p50']:.1f} → {after[label]['p50']:.1f} ms, "
                f"{ratio:.2f}x, {verdict}"
            )
    return "\n".join(lines)


def main():
    began = time.monotonic()
    # WhiteNoise warns of no collected static files: this process serves none.
    warnings.filterwarnings("ignore", message="No directory at")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    ensure_database()
    import django

    django.setup()
    built = ensure_data()

    from claimtrack.claims import benchdata

    rare, common = benchdata.RARE_TERM, benchdata.COMMON_TERM
    claim_url, article_url, article_claims = pick_pages()
    editor, cookie = editor_cookie()
    print(f"Search terms: rare “{rare}”, common “{common}”.")
    print(f"Claim page {claim_url}; article page {article_url} ({article_claims} claims).")
    datasette_file = None if ONLY else copy_for_datasette()

    rows = rows_for(claim_url, article_url, rare, common, deep_page_url())
    by_label = {row.label: row for row in rows}
    servers = Servers()
    started = datetime.now(UTC)
    try:
        servers.gunicorn("uncached", UNCACHED_ENV)
        servers.gunicorn("cached", CACHED_ENV)
        if datasette_file:
            servers.datasette(datasette_file)
        for row in rows:
            if row.label.endswith("304 revalidation"):
                etag = plain_request(servers.port("cached"), row.url, {})["etag"]
                if etag is None:
                    row.result = {"note": "n/a — no ETag"}
                    print(f"{row.label}: n/a — no ETag")
                    continue
                row.headers = {"If-None-Match": etag}
            print(f"{row.label} … ", end="", flush=True)
            measure(row, servers, editor, cookie)
            r = row.result
            print(f"{r['rps']:.0f} rps, p50 {r['p50']:.1f} ms, status {r['status']}")
        exports = {}
        for url in () if ONLY else ("/claims/export.csv", "/claims/export.json"):
            print(f"{url} … ", end="", flush=True)
            exports[url] = measure_export(servers, url)
            print(f"{exports[url]['seconds']:.1f} s")
        load = {}
        for label in (
            ()
            if ONLY
            else (
                "/claims/ cached",
                "a claim page",
                f"search common “{common}”",
                "an article page, 50+ claims",
            )
        ):
            row = by_label[label]
            print(f"load: {row.label}, {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s … ")
            port = servers.port(row.server)
            load[label] = run_wrk(port, row.url, {}, LOAD_SECONDS, LOAD_CONNECTIONS)
            settle(port)
    finally:
        servers.stop()

    judge(rows, by_label)
    if ONLY:  # a partial run: printed, not recorded in BENCHMARKS.md
        print()
        print(table(rows))
        return
    lines = [table(rows), ""]
    lines.append(
        "Exports of all published claims (a gunicorn of one worker, uncached, warmed up by a "
        "small export; memory: the worker's peak resident set after, VmHWM, minus its VmRSS "
        "before; targets < 10 s, < 50 MB):"
    )
    lines.append("")
    for url, e in exports.items():
        ok = e["status"] == 200 and e["seconds"] < 10 and e["growth_mb"] < 50
        lines.append(
            f"- {url}: {e['seconds']:.1f} s, {e['size'] / KB / KB:.1f} MiB"
            + ("" if e["status"] == 200 else f" ({e['status']})")
            + ", worker memory "
            f"{e['rss_before_mb']:.0f} MB + {e['growth_mb']:.1f} MB, "
            f"{'met' if ok else '**missed**'}"
        )
    lines += [
        "",
        f"Under load ({LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s; target: zero "
        "non-2xx/3xx, zero socket errors):",
        "",
    ]
    for label, r in load.items():
        ok = r["requests"] > 0 and r["non_2xx_3xx"] == 0 and r["socket_errors"] == 0
        lines.append(
            f"- {label}: {r['requests']} responses, {r['rps']:.0f} rps, "
            f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
            f"{r['non_2xx_3xx']} non-2xx/3xx, {r['socket_errors']} socket errors, "
            f"{'met' if ok else '**missed**'}"
        )
    html = [row for row in rows if is_html(row)]
    largest = max(html, key=lambda row: row.result["size"])
    lines += [
        "",
        f"Largest HTML response: {largest.label}, {largest.result['size'] / KB:.1f} KB "
        f"(target ≤150 KB: {'met' if largest.result['size'] <= 150 * KB else '**missed**'}).",
        "Queries per request: compare the column between /claims/ and page 1,000 (page size) "
        "and between the 100,000 and 1,000,000 sections (data size).",
        "",
        compare_scales(rows),
    ]
    results = "\n".join(lines)
    print()
    print(results)
    command = f"make bench SCALE={SCALE}"
    if SECONDS != 10 or LOAD_SECONDS != 60:
        command = f"BENCH_SECONDS={SECONDS} BENCH_LOAD_SECONDS={LOAD_SECONDS} " + command
    section = (
        f"\n## {SCALE:,} claims\n\n"
        f"- Run: {started:%Y-%m-%d %H:%M} UTC, `{command}`; wrk -t{THREADS} -c{CONNECTIONS} "
        f"-d{SECONDS}s per URL; gunicorn "
        + (
            "with gunicorn.conf.py"
            if (ROOT / "gunicorn.conf.py").exists()
            else f"--workers {GUNICORN_WORKERS}"
        )
        + f", DEBUG off; uncached rows with {UNCACHED_ENV}.\n"
        f"- Machine: {machine()}.\n"
        + (f"- Data built by make_bench_data in {built:.0f} s.\n" if built else "")
        + '- p50/B1: each p50 over B1\'s (/healthz) p50 in the same run; "p95 ≤4x" is p95 over '
        "B1's p50. Queries are counted in-process (Django test Client) with the uncached "
        "settings.\n\n" + results + "\n"
    )
    write_report(section)
    print(f"\nWritten to {REPORT.relative_to(ROOT)} ({time.monotonic() - began:.0f} s in all).")


if __name__ == "__main__":
    main()
