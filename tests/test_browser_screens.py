"""Every public page, as a reader meets it on a phone (390 pixels) and a desktop (1,280): axe-core
finds nothing serious, the headings make an outline a screen reader can follow, nothing scrolls
sideways; on a phone the claim list's filters fold so the first claim is on the first screen.

The pages are found by following links from the home page (tests/public_pages.py), so a page
added later is checked without being listed here.
"""

from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.public_pages import AXE_OPTIONS, WIDTHS, public_pages, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = WIDTHS["phone"], WIDTHS["desktop"]

# The levels of the headings a screen reader announces, in order: not those hidden from it.
HEADING_LEVELS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter(h => !h.closest("[hidden], [aria-hidden=true]") && getComputedStyle(h).display !== "none")
  .map(h => Number(h.tagName[1]))"""


# A table (or its scrolling box) wider than the box it is in: a reader must scroll it sideways.
TABLE_SCROLLS = """() => [...document.querySelectorAll("table")].some(table =>
  table.scrollWidth > table.parentElement.clientWidth + 1)"""


def outline_problems(levels):
    """What is wrong with a page's heading levels, in words: one h1, first, and no level
    skipped on the way down (h2 then h4)."""
    problems = []
    if levels.count(1) != 1 or levels[:1] != [1]:
        problems.append(f"{levels.count(1)} h1, first heading h{levels[0] if levels else '-'}")
    for before, after in pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} then h{after}")
    return problems


def test_the_outline_rule_catches_a_skipped_level_and_a_second_h1():
    assert outline_problems([1, 2, 3, 2, 2, 3]) == []
    assert outline_problems([1, 3]) == ["h1 then h3"]
    assert outline_problems([1, 2, 1]) == ["2 h1, first heading h1"]
    assert outline_problems([2, 1]) == ["1 h1, first heading h2"]


def test_every_public_page_passes_axe_has_an_outline_and_fits_a_phone(persona):
    """One crawl, then each page at both widths: axe-core's serious and critical findings,
    the heading outline, and sideways scrolling on the phone, all reported at once."""
    reader = persona()
    paths = public_pages(reader)
    kinds = {path.split("/")[1] for path in paths}
    assert {"", "claims", "articles", "changes", "how-we-rate"} <= kinds, paths
    problems = {}
    for width, (w, h) in WIDTHS.items():
        reader.set_viewport_size({"width": w, "height": h})
        for path in paths:
            reader.goto(path)
            found = serious_violations(Axe().run(reader, options=AXE_OPTIONS))
            if width == "phone":
                found += outline_problems(reader.evaluate(HEADING_LEVELS))
                scroll_width = reader.evaluate("document.documentElement.scrollWidth")
                if scroll_width > w:
                    found.append(f"scrolls sideways ({scroll_width}px)")
                if reader.evaluate(TABLE_SCROLLS):
                    found.append("a table scrolls sideways: it should become cards")
            if found:
                problems[f"{path} ({width})"] = found
    assert problems == {}


def test_on_a_phone_the_filters_fold_and_the_first_claim_is_on_the_first_screen(persona):
    reader = persona()
    reader.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    reader.goto("/claims/?status=supported")
    status = reader.get_by_label("Status")
    expect(status).to_be_hidden()
    first_claim = reader.locator(".claim-card").first
    assert first_claim.bounding_box()["y"] < PHONE[1]
    folded = reader.get_by_text("More filters and sorting")
    expect(folded).to_contain_text("(1 in use)")
    assert folded.bounding_box()["height"] >= 24
    folded.click()
    expect(status).to_be_visible()
    expect(status).to_have_value("supported")


def test_on_a_desktop_the_filters_are_open(persona):
    reader = persona()
    reader.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    reader.goto("/claims/")
    expect(reader.get_by_label("Status")).to_be_visible()
    expect(reader.get_by_text("More filters and sorting")).to_be_hidden()


def test_a_wrong_filter_opens_the_fold_to_show_it(persona):
    reader = persona()
    reader.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    reader.goto("/claims/?status=bogus")
    expect(reader.get_by_role("alert")).to_contain_text("Status")
    expect(reader.get_by_label("Status")).to_be_visible()


def test_identifier_links_are_at_least_24_pixels_high(persona):
    reader = persona()
    reader.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    reader.goto("/claims/ketamine-psychedelic-substance/traditionally-used-as-anesthetic/")
    links = reader.locator(".citation__links a")
    assert links.count() > 0
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, box
