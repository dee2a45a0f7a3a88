"""Every public page, found as a reader finds them: by following links from the home page.

One page per kind (per URL name), plus the claim list searched and filtered, so a page added
later is checked without anyone listing it here. Shared by the browser test that runs axe-core
on each at two widths and by bench/axe_pages.py, which prints the same results as a table.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

# Pages staff use (the admin, the desk, the login), the API (JSON, and its docs page is Swagger
# UI's own, tested in test_browser_api_docs.py), and files that are not pages.
NOT_PUBLIC_PAGES = ("/admin/", "/desk/", "/accounts/", "/api/")
NOT_HTML = (".csv", ".json", "/feed/", "/feed/verdicts/", "/healthz")
# The same kind of page in the states a reader meets: with a search and a filter applied.
EXTRA = ["/claims/?q=ketamine+depression", "/claims/?status=overstated&sort=-reviewed_at"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
SERIOUS = ("serious", "critical")
# WCAG 2.2 AA and axe's best practices, and the rules axe still calls experimental, among them
# label-content-name-mismatch (a link's accessible name must contain its visible text).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
            "experimental",
        ],
    },
    "resultTypes": ["violations"],
}


def page_kind(path):
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


def public_pages(page, limit=40):
    """Paths of one page of each kind linked (transitively) from "/", in the order found.

    page is a Playwright page whose base_url is the live site."""
    found, kinds, queue = [], set(), ["/"]
    while queue and len(found) < limit:
        path = queue.pop(0)
        kind = page_kind(path)
        if kind is None or kind in kinds:
            continue
        kinds.add(kind)
        found.append(path)
        page.goto(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlsplit(href)
            local = url.path + (f"?{url.query}" if url.query else "")
            if url.netloc != urlsplit(page.url).netloc or url.query:
                continue
            if local.startswith(NOT_PUBLIC_PAGES) or local.endswith(NOT_HTML):
                continue
            queue.append(local)
    return found + EXTRA


def serious_violations(results):
    """[(rule id, impact, number of nodes)] of axe's serious and critical findings."""
    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
