"""axe-core on every public page of the demo, at a desktop and a phone width, as a table.

    make axe      (or: .venv/bin/python bench/axe_pages.py)

Serves a fresh SQLite copy of the demo (the seed articles and claims) with runserver, finds the
public pages by following links from the home page (tests/public_pages.py, as the browser test
does), runs axe-core (axe-playwright-python) on each at 1,280 and 390 pixels in Debian's
Chromium, and prints every violation by impact, page by page. The browser test fails on the
serious and critical ones; this report shows the rest too.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimtrack.settings")
os.environ.setdefault("SECRET_KEY", "axe-report-only")

import django  # noqa: E402

django.setup()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.public_pages import AXE_OPTIONS, WIDTHS, public_pages  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_demo(workdir):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{workdir}/demo.sqlite3",
        "PAGE_CACHE": "0",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["setup_demo"]):
        subprocess.run(manage + command + ["--verbosity", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("runserver did not start")


def main():
    with tempfile.TemporaryDirectory() as workdir:
        server, base_url = serve_demo(workdir)
        try:
            report(base_url)
        finally:
            server.terminate()
            server.wait()


def report(base_url):
    axe = Axe()
    totals = Counter()
    print("| page | width | critical | serious | moderate | minor | rules (nodes) |")
    print("|---|---|---|---|---|---|---|")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        paths = public_pages(page)
        for path in paths:
            for width_name, (width, height) in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": height})
                page.goto(path)
                violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
                impacts = Counter(v["impact"] for v in violations)
                totals.update(impacts)
                rules = ", ".join(f"{v['id']} ({len(v['nodes'])})" for v in violations)
                counts = " | ".join(
                    str(impacts[i]) for i in ("critical", "serious", "moderate", "minor")
                )
                print(f"| `{path}` | {width_name} | {counts} | {rules or '—'} |")
        browser.close()
    print(f"\n{len(paths)} pages x {len(WIDTHS)} widths; rules violated by impact: {dict(totals)}")


if __name__ == "__main__":
    main()
