"""Two app processes (gunicorn, as in production) sharing one Redis: a verdict changed through
one is seen through the other on the very next request.

Starts its own redis-server on a free port and two gunicorns on the test database. Without
redis-server (apt-get install redis-server) the test is skipped, except in CI (CI set), where
.ci/run installs it and a skip would hide a missing install step.
"""

import os
import shutil
import subprocess
import sys

import httpx
import pytest
import redis
from django.conf import settings
from django.test import Client

from claimtrack.claims.models import Status
from tests.processes import database_url, free_port, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

CLAIM = "/claims/ketamine-news/bdnf/"
OVERSTATED = "/claims/?status=overstated"


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: .ci/run should have installed it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    wait_for(lambda: redis.Redis(port=port).ping(), "redis-server", process)
    yield f"redis://127.0.0.1:{port}/0"
    stop(process)


@pytest.fixture
def app_servers(redis_url):
    """Two gunicorns, one worker each, sharing the test database and one Redis."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
        "SECRET_KEY": settings.SECRET_KEY,  # the session signed here must be valid there
        "DEBUG": "0",
        "WEB_CONCURRENCY": "1",
        "HOST": "127.0.0.1",
    }
    servers, processes = [], []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "claimtrack.wsgi"],
            cwd=settings.BASE_DIR,
            env={**env, "PORT": str(port)},
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_for(
            lambda url=url: httpx.get(f"{url}/healthz").status_code == 200, "gunicorn", process
        )
        # One host name for both, as behind a load balancer: the pages name their host.
        servers.append(httpx.Client(base_url=url, headers={"Host": "localhost"}, timeout=30))
    yield servers
    for server in servers:
        server.close()
    for process in processes:
        stop(process)


def pages_in(redis_url):
    return len(redis.Redis.from_url(redis_url).keys("*page:*"))


def test_a_verdict_changed_through_one_process_is_seen_through_the_other_at_once(
    migration_data, editor, reviewed_claim, redis_url, app_servers
):
    a, b = app_servers
    before = b.get(CLAIM)
    assert before.status_code == 200
    assert Status.PARTLY_SUPPORTED.label in before.text
    assert reviewed_claim.statement not in b.get(OVERSTATED).text
    cached = pages_in(redis_url)
    assert cached == 2
    # The other process is served the same page from the shared cache, rendering nothing.
    assert a.get(CLAIM).headers["ETag"] == before.headers["ETag"]
    assert pages_in(redis_url) == cached
    assert b.get(CLAIM, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    # An editor changes the verdict through process A, on the desk.
    staff = Client()
    staff.force_login(editor)  # a session in the (committed) test database
    session = staff.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    workspace = a.get(
        f"/desk/articles/ketamine-news/workspace/?claim={reviewed_claim.pk}",
        headers={"Cookie": cookie},
    )
    assert workspace.status_code == 200 and "ed" in workspace.text
    token = workspace.cookies[settings.CSRF_COOKIE_NAME]
    saved = a.post(
        f"/desk/claims/{reviewed_claim.pk}/verdict/",
        headers={"Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={token}"},
        data={
            "csrfmiddlewaretoken": token,
            "seen_version": reviewed_claim.version,
            "status": "overstated",
            "certainty": "low",
            "rationale": "Shown in mice only, and less than the article says.",
            "note": "Rechecked the trials.",
        },
    )
    assert saved.status_code == 302, saved.text

    after = b.get(CLAIM)
    assert Status.OVERSTATED.label in after.text
    assert "Rechecked the trials." in after.text
    assert after.headers["ETag"] != before.headers["ETag"]
    revalidated = b.get(CLAIM, headers={"If-None-Match": before.headers["ETag"]})
    assert revalidated.status_code == 200 and Status.OVERSTATED.label in revalidated.text
    assert reviewed_claim.statement in b.get(OVERSTATED).text
