"""The README's screenshots, taken from the demo: an article page (its review, and a claim in
place) on a desktop, the claim list and a claim on a phone.

    .venv/bin/python bench/screenshots.py      (writes docs/screenshots/*.png)
"""

import tempfile

from axe_pages import CHROMIUM_ARGS, ROOT, serve_demo
from playwright.sync_api import sync_playwright

SHOTS = [
    # (file, path, width, height)
    ("desktop-review.png", "/articles/ketamine-benefits-and-risks/", 1280, 900),
    (
        "desktop-article.png",
        "/articles/ketamine-psychedelic-substance/#claim-traditionally-used-as-anesthetic",
        1280,
        900,
    ),
    ("phone-claims.png", "/claims/?status=overstated", 390, 844),
    (
        "phone-claim.png",
        "/claims/ketamine-psychedelic-substance/traditionally-used-as-anesthetic/",
        390,
        844,
    ),
]


def main():
    with tempfile.TemporaryDirectory() as workdir:
        server, base_url = serve_demo(workdir)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for name, path, width, height in SHOTS:
                    page = browser.new_page(
                        base_url=base_url, viewport={"width": width, "height": height}
                    )
                    page.goto(path)
                    if "#" in path:  # as a reader arriving by the link would see it
                        page.locator("#" + path.split("#")[1]).scroll_into_view_if_needed()
                    page.screenshot(path=ROOT / "docs" / "screenshots" / name)
                    print(f"docs/screenshots/{name}: {path} at {width} px")
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
