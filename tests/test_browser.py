"""The whole story in Debian's Chromium: a reader finds a claim, a reviewer flags it, an editor
upholds the flag in the admin, and the reader sees the corrected verdict and its history.

Playwright's sync API keeps an event loop running in the test thread from the moment its
session fixtures start (before the test database is even created), which Django takes for async
code: DJANGO_ALLOW_ASYNC_UNSAFE, set in conftest.py, lets the ORM run beside it.

live_server needs a transactional database, which is emptied after each test, taking with it
the editorial groups and reason tags that migration 0002 made. serialized_rollback cannot be
relied on to put them back: once Playwright runs, Django's connection is not the one the
serialized copy was stored on when a non-browser test created the database first. So each
browser test re-runs that migration's (idempotent) data step itself.
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from claimtrack.claims.models import (
    Article,
    Citation,
    Claim,
    Evidence,
    Flag,
    ReasonTag,
    StaffProfile,
)
from tests.conftest import (
    fixture_citation,
    make_claim,
    raw_update,
)

PASSWORD = "pw-for-tests-only"
CLAIM_PATH = "/claims/ketamine-psychedelic-substance/traditionally-used-as-anesthetic/"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def log_in(page, username, next_path):
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def admin_log_in(page, username, next_path):
    page.goto(f"/admin/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()


def test_a_flag_raised_on_the_site_and_upheld_in_the_admin_corrects_the_claim(persona):
    # A reader filters the list and opens a claim.
    reader = persona()
    reader.goto("/claims/")
    reader.get_by_label("Status").select_option("supported")
    reader.get_by_label("Search").fill("anesthetic")
    # The article field suggests titles as the reader types; a suggestion puts its slug there.
    article = reader.get_by_label("Article", exact=True)
    article.press_sequentially("psychedelic")
    suggestion = reader.locator(
        "#article-suggestions option[value='ketamine-psychedelic-substance']"
    )
    expect(suggestion).to_have_count(1)
    article.fill("ketamine-psychedelic-substance")
    reader.get_by_role("button", name="Show claims").click()
    expect(reader).to_have_url(re.compile(r"[?&]status=supported&"))
    expect(reader).to_have_url(re.compile(r"[?&]q=anesthetic&"))
    reader.get_by_role("link", name="Ketamine has long been used as an anesthetic.").click()
    expect(reader).to_have_url(re.compile(re.escape(CLAIM_PATH) + "$"))
    # The badge's text, then its definition (visually hidden: read out, not shown).
    expect(reader.locator(".claim__verdict-line .badge")).to_have_text(re.compile(r"^Supported:"))
    expect(reader.get_by_role("link", name="Log in to flag")).to_be_visible()

    # A reviewer logs in and flags it as overstated: two clicks on the claim's page.
    reviewer = persona()
    log_in(reviewer, "rita", CLAIM_PATH)
    expect(reviewer).to_have_url(re.compile(re.escape(CLAIM_PATH) + "$"))
    reviewer.get_by_label("Overstates the impact of a finding").check()
    reviewer.get_by_role("button", name="Flag claim").click()
    expect(reviewer.locator(".messages")).to_contain_text("your flag is with the editors")
    expect(reviewer.locator(".open-flags")).to_have_text("1 open flag waiting for the editors.")
    flag = Flag.objects.get()
    assert (flag.reason.slug, flag.raised_by.username, flag.state) == (
        "overstates-impact",
        "rita",
        "open",
    )

    # An editor logs into the admin, finds the flag in the queue and upholds it.
    editor = persona()
    admin_log_in(editor, "ed", "/admin/claims/flag/")
    expect(editor.locator("#result_list")).to_contain_text(
        "Ketamine has long been used as an anesthetic."
    )
    editor.goto(f"/admin/claims/flag/{flag.pk}/change/")
    editor.locator("select[name=decision]").select_option("uphold")
    editor.locator("textarea[name=note]").fill("Used for decades, but not only as one.")
    editor.locator("select[name=new_status]").select_option("overstated")
    editor.locator("textarea[name=new_rationale]").fill("Overstated for the browser test.")
    editor.locator("button[name=_save], input[name=_save]").click()
    expect(editor.locator(".messagelist")).to_be_visible()
    flag.refresh_from_db()
    assert flag.state == "upheld"

    # The reader reloads the claim and sees the new verdict and why it changed.
    reader.reload()
    # The badge's text, then its definition (visually hidden: read out, not shown).
    expect(reader.locator(".claim__verdict-line .badge")).to_have_text(re.compile(r"^Overstated:"))
    newest = reader.locator(".history .change").first
    expect(newest).to_contain_text("Supported")
    expect(newest).to_contain_text("Overstated")
    expect(newest).to_contain_text(
        "A reviewer's flag (overstates the impact of a finding) was upheld: "
        "Used for decades, but not only as one."
    )
    expect(newest).to_contain_text("ed")
    expect(reader.locator(".open-flags")).to_have_text("No open flags.")
    assert Claim.objects.get(slug="traditionally-used-as-anesthetic").status == "overstated"


def test_a_reader_browses_without_javascript_errors(persona):
    reader = persona()
    errors = []
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.goto("/")
    reader.get_by_role("link", name=f"Browse all {Claim.objects.count()} claims").click()
    reader.get_by_role("link", name="Next →").click()
    expect(reader).to_have_url(re.compile(r"page=2&after=[\w-]+$"))
    reader.goto("/articles/ketamine-psychedelic-substance/")
    reader.locator("mark.claim a").first.click()
    expect(reader.locator("h1")).to_be_visible()
    expect(reader.locator("script[type='application/ld+json']")).to_have_count(1)
    assert errors == []


def test_the_pages_fit_a_phone_screen(persona):
    reader = persona()
    reader.set_viewport_size({"width": 375, "height": 740})
    for path in [
        "/",
        "/claims/",
        "/articles/",
        CLAIM_PATH,
        "/articles/ketamine-psychedelic-substance/",
    ]:
        reader.goto(path)
        width = reader.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width}px)"


def test_focus_is_visible_on_links(persona):
    reader = persona()
    reader.goto("/claims/")
    reader.keyboard.press("Tab")  # the skip link
    reader.keyboard.press("Tab")  # the brand
    outline = reader.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_two_editors_on_one_claim_lose_nothing(persona):
    claim = Claim.objects.get(slug="traditionally-used-as-anesthetic")
    change_page = f"/admin/claims/claim/{claim.pk}/change/"
    first, second = persona(), persona()
    admin_log_in(first, "ed", change_page)
    admin_log_in(second, "eve", change_page)  # both now hold version 1 of the claim

    # The first editor changes the verdict and saves.
    first.locator("select[name=status]").select_option("overstated")
    first.locator("textarea[name=rationale]").fill("Used for decades, but not only so.")
    first.locator("textarea[name=change_note]").fill("Too broad.")
    first.locator("input[name=_save]").click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    # The second, whose page is stale, edits only the statement and saves.
    second.locator("textarea[name=statement]").fill("Ketamine was first used as an anesthetic.")
    second.locator("input[name=_save]").click()
    refusal = second.locator(".errorlist.nonfield")
    expect(refusal).to_contain_text("While you were editing, this claim was saved by ed")
    expect(refusal).to_contain_text("status: Supported → Overstated")
    expect(second.locator("textarea[name=statement]")).to_have_value(
        "Ketamine was first used as an anesthetic."
    )
    expect(second.locator("select[name=status]")).to_have_value("overstated")
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == (
        "overstated",
        "Ketamine has long been used as an anesthetic.",
    )

    # Saving again keeps both: the first editor's verdict and the second's wording.
    second.locator("input[name=_save]").click()
    expect(second.locator(".messagelist")).to_contain_text("was changed successfully")
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == (
        "overstated",
        "Ketamine was first used as an anesthetic.",
    )


def test_an_editor_pastes_previews_and_saves_an_article_in_a_1280_pixel_window(persona):
    editor = persona()
    editor.set_viewport_size({"width": 1280, "height": 800})
    admin_log_in(editor, "ed", "/admin/claims/article/")
    editor.get_by_role("link", name="Add article").click()
    expect(editor).to_have_url(re.compile(r"/desk/articles/new/$"))
    editor.get_by_label("Title").fill("Ketamine, briefly")
    editor.get_by_label("Author").fill("Helen Marsh")
    editor.get_by_label("Text").fill("First paragraph.\n\nSecond\u00a0paragraph.")
    editor.get_by_role("button", name="Preview").click()
    preview = editor.locator(".ct-preview")
    expect(preview.locator(".ct-preview-text p")).to_have_text(
        ["First paragraph.", "Second\u00a0paragraph."]
    )
    width = editor.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the intake page scrolls sideways ({width}px)"
    editor.get_by_role("button", name="Save article").click()
    expect(editor.locator(".messagelist")).to_contain_text("“Ketamine, briefly” was added")
    assert Article.objects.get(slug="ketamine-briefly").author == "Helen Marsh"


def test_look_up_answers_in_place_on_the_citation_form(persona, services):
    citation = Citation.objects.get(slug="murrough2013")
    raw_update(Citation.objects.filter(pk=citation.pk), authors="Murrough JW")
    services.paper("murrough2013")
    editor = persona()
    errors = []
    editor.on("pageerror", lambda error: errors.append(str(error)))
    admin_log_in(editor, "ed", "/admin/claims/citation/add/")

    # A PMID already on file: the form links its citation instead of making a second.
    editor.locator("#id_pmid").fill("https://pubmed.ncbi.nlm.nih.gov/23982301/")
    editor.get_by_role("button", name="Look up").click()
    status = editor.locator(".ct-lookup-status")
    expect(status).to_contain_text("Already on file: Murrough JW 2013")
    status.get_by_role("link").click()
    expect(editor).to_have_url(re.compile(f"/admin/claims/citation/{citation.pk}/change/$"))

    # On that citation's own form, the lookup fills in the fields and saves nothing.
    editor.get_by_role("button", name="Look up").click()
    expect(status).to_contain_text("Filled in; nothing is saved yet.")
    expect(editor.locator("#id_authors")).to_have_value(fixture_citation("murrough2013")["authors"])
    assert Citation.objects.get(pk=citation.pk).authors == "Murrough JW"
    assert errors == []


def test_an_editor_previews_a_draft_and_publishes_it(persona):
    article = Article.objects.create(
        slug="news", title="Ketamine news", text="Ketamine can relieve depression within hours."
    )
    draft = make_claim(
        article,
        status="supported",
        certainty="moderate",
        rationale="Two trials found relief within a day.",
        published_at=None,
    )
    Evidence.objects.create(
        claim=draft, citation=Citation.objects.first(), stance="supports", note="A trial."
    )
    path = draft.get_absolute_url()
    reader = persona()
    assert reader.goto(path).status == 404

    editor = persona()
    admin_log_in(editor, "ed", f"/admin/claims/claim/{draft.pk}/change/")
    expect(editor.locator(".field-publication")).to_contain_text("Draft, seen only by staff.")
    editor.get_by_role("link", name="Preview the public page").click()
    expect(editor.locator(".notice--preview")).to_contain_text("Preview of a draft.")
    expect(editor.locator("h1")).to_have_text("Ketamine relieves depression within hours.")
    editor.get_by_role("link", name="Back to the claim").click()
    editor.get_by_role("button", name="Save and publish").click()
    expect(editor.locator(".messagelist")).to_contain_text(f"Published: {path}")
    assert Claim.objects.get(pk=draft.pk).is_published

    assert reader.goto(path).status == 200
    # The badge's text, then its definition (visually hidden: read out, not shown).
    expect(reader.locator(".claim__verdict-line .badge")).to_have_text(re.compile(r"^Supported:"))


UNLABELLED_FIELDS = """
() => [...document.querySelectorAll("#content input, #content select, #content textarea")]
  .filter(field => !["hidden", "submit", "button"].includes(field.type))
  .filter(field => !(field.labels && field.labels.length) && !field.getAttribute("aria-label"))
  .map(field => field.name || field.id)
"""


def test_a_reviewer_picks_a_reason_by_its_definition_on_a_phone(persona):
    reviewer = persona()
    reviewer.set_viewport_size({"width": 375, "height": 740})
    log_in(reviewer, "rita", CLAIM_PATH)
    form = reviewer.locator(".flag-form")
    expect(form.get_by_role("radio")).to_have_count(ReasonTag.objects.count())
    other = form.get_by_role("radio").last
    expect(other).to_have_accessible_name("Other")
    expect(other).to_have_accessible_description(
        "Something else; the reviewer's comment says what."
    )
    expect(form.get_by_text("The quote or the statement does not match")).to_be_visible()
    assert reviewer.evaluate("document.documentElement.scrollWidth") <= 375
    assert Axe().run(reviewer, context=".flag-form").violations_count == 0

    reviewer.get_by_label("Other", exact=True).check()
    reviewer.get_by_role("button", name="Flag claim").click()
    expect(reviewer.locator(".flag-form .form-errors")).to_contain_text("“Other” needs a comment")
    reviewer.get_by_label("Comment").fill("The dose is not the article's.")
    reviewer.get_by_role("button", name="Flag claim").click()
    expect(reviewer.locator(".open-flags")).to_have_text("1 open flag waiting for the editors.")
    assert Flag.objects.get().reason.slug == "other"


def test_an_editor_assigns_a_flag_and_the_assignee_finds_it_on_my_work(persona):
    claim = Claim.objects.get(slug="traditionally-used-as-anesthetic")
    flag = Flag.objects.raise_flag(
        claim=claim,
        by=User.objects.get(username="rita"),
        reason=ReasonTag.objects.get(slug="overstates-impact"),
        comment="Not only as an anesthetic.",
    )
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    # An editor picks the flag in the queue and assigns it to a colleague, due yesterday.
    editor = persona()
    editor.set_viewport_size({"width": 1280, "height": 800})
    admin_log_in(editor, "ed", "/admin/claims/flag/")
    expect(editor.locator("#result_list")).to_contain_text("Not only as an anesthetic.")
    fits = "(e => e.scrollWidth <= e.clientWidth)(document.querySelector('.results'))"
    assert editor.evaluate(fits), "the queue's columns scroll sideways at 1280 px"
    editor.locator(f"input[name=_selected_action][value='{flag.pk}']").check()
    editor.locator("select[name=action]").select_option("assign")
    editor.locator("button[name=index]").click()
    editor.get_by_label("Assignee").select_option(label="eve")
    editor.get_by_label("Priority").select_option("high")
    editor.get_by_label("Due date").fill(yesterday)
    assert editor.evaluate(UNLABELLED_FIELDS) == []
    editor.get_by_role("button", name="Assign").click()
    expect(editor.locator(".messagelist")).to_contain_text("Assigned 1 of 1 flag(s) to eve.")
    row = editor.locator("#result_list tbody tr").first
    expect(row).to_contain_text("eve")
    expect(row.locator(".ct-flag-overdue")).to_have_text("overdue")

    # The colleague opens the admin, sees the queue and goes to My work.
    colleague = persona()
    colleague.set_viewport_size({"width": 1280, "height": 800})
    errors = []
    colleague.on("pageerror", lambda error: errors.append(str(error)))
    admin_log_in(colleague, "eve", "/admin/")
    expect(colleague.locator("#desk")).to_contain_text("1 assigned to me")
    expect(colleague.locator("#desk")).to_contain_text("1 overdue")
    colleague.get_by_role("link", name="My work").click()
    expect(colleague).to_have_url(re.compile(r"/desk/my-work/$"))
    expect(colleague.locator("h1")).to_have_text("My work")
    mine = colleague.locator("#my-flags + table tbody tr")
    expect(mine).to_have_count(1)
    expect(mine.first).to_contain_text("overdue")
    expect(mine.first).to_contain_text("Not only as an anesthetic.")
    assert colleague.evaluate("document.documentElement.scrollWidth") <= 1280
    assert colleague.evaluate(UNLABELLED_FIELDS) == []
    assert colleague.locator("script:not([src])").count() == 0
    assert Axe().run(colleague, context="#content-main").violations_count == 0

    # The email setting: untick, save, and it stays unticked.
    colleague.get_by_label("Email me about flags").uncheck()
    colleague.get_by_role("button", name="Save").click()
    expect(colleague.locator(".messagelist")).to_contain_text("No more emails about flags.")
    expect(colleague.get_by_label("Email me about flags")).not_to_be_checked()

    # The flag's page shows the claim as it stands, and the rationale to start from.
    mine.first.get_by_role("link").click()
    expect(colleague.locator(".field-claim_verdict")).to_contain_text("Supported")
    expect(colleague.locator(".field-claim_evidence table")).to_be_visible()
    expect(colleague.locator("textarea[name=new_rationale]")).to_have_value(claim.rationale)
    assert colleague.evaluate("document.documentElement.scrollWidth") <= 1280
    assert errors == []


def test_a_search_marks_the_words_it_found_accessibly(persona):
    reader = persona()
    reader.goto("/claims/?q=anesthetic")
    expect(reader.locator(".claim-list mark").first).to_be_visible()
    expect(reader.locator(".claim-list mark").first).to_have_text(re.compile("anesthetic", re.I))
    assert Axe().run(reader, context=".claim-list").violations_count == 0


def test_the_bounded_pages_pass_axe(persona):
    reader = persona()
    editor = User.objects.get(username="ed")
    StaffProfile.objects.make(editor, display_name="Edith Hale", bio="Pharmacologist.")
    paths = [
        "/",
        "/claims/?article=ketamine",
        "/articles/?q=ketamine",
        "/changes/",
        "/sources/?q=ketamine",
        "/sources/berman2000/",
        "/how-we-rate/",
        "/reviewers/",
        "/reviewers/edith-hale/",
    ]
    for path in paths:
        reader.goto(path)
        results = Axe().run(reader, context="main")
        assert results.violations_count == 0, (path, results.generate_report())


# axe-core leaves "experimental" rules out unless asked; the audit ran this one too.
AXE_WITH_NAME_MISMATCH = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}
ARTICLE_PATH = "/articles/ketamine-psychedelic-substance/"


@pytest.mark.parametrize("width", [1280, 390])
def test_see_it_in_the_article_scrolls_to_the_passage_and_marks_it(persona, width):
    reader = persona()
    reader.set_viewport_size({"width": width, "height": 800})
    reader.goto(CLAIM_PATH)
    reader.get_by_role("link", name="See it in the article").click()
    reader.wait_for_url(re.compile(r"#claim-traditionally-used-as-anesthetic$"))
    passage = reader.locator("#claim-traditionally-used-as-anesthetic")
    expect(passage).to_be_in_viewport()
    expect(passage).to_contain_text("ketamine, a medication traditionally used as an anesthetic")
    expect(passage).to_contain_text("Supported")  # its status in words, inside the mark-up
    assert passage.evaluate("el => el.matches(':target')")
    outline = passage.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    # Only the targeted passage is outlined.
    other = reader.locator(".claim-passage").nth(3)
    assert other.evaluate("el => getComputedStyle(el).outlineStyle") == "none"


def test_the_claim_page_shows_more_of_the_article_without_javascript(browser, site):
    context = browser.new_context(base_url=site, java_script_enabled=False)
    try:
        reader = context.new_page()
        reader.goto(CLAIM_PATH)
        more = reader.get_by_text("Show more of the article around it")
        wider = reader.locator(".quote-context--wide")
        expect(wider).to_be_hidden()
        more.click()
        expect(wider).to_be_visible()
        expect(wider).to_contain_text("In recent years, the conversation surrounding")
    finally:
        context.close()


def test_the_article_and_claim_pages_pass_axe_on_a_desktop_and_a_phone(persona):
    reader = persona()
    for width in [1280, 390]:
        reader.set_viewport_size({"width": width, "height": 800})
        for path in [ARTICLE_PATH, CLAIM_PATH, "/", "/articles/"]:
            reader.goto(path)
            if path == CLAIM_PATH:
                reader.get_by_text("Show more of the article around it").click()
            results = Axe().run(reader, options=AXE_WITH_NAME_MISMATCH)
            assert results.violations_count == 0, (width, path, results.generate_report())
            # Body text of 16 pixels or more; the article's own and the scorecards' labels.
            sizes = reader.evaluate(
                """() => [...document.querySelectorAll(
                    '.article__text p, .claim-label, .scorecard li, .scorecard figcaption')]
                    .map(el => parseFloat(getComputedStyle(el).fontSize))"""
            )
            assert all(size >= 14 for size in sizes), (path, min(sizes))
        reader.goto(ARTICLE_PATH)
        assert (
            reader.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.article__text p')).fontSize)"
            )
            >= 16
        )
        assert reader.evaluate("document.documentElement.scrollWidth") <= width


SMALL_SOURCE_LINKS = """Array.from(document.querySelectorAll(
    '.citation__links a, .source-page__identifiers a'
)).map(a => a.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length"""


def test_the_sources_pages_fit_a_phone_and_a_desktop(persona):
    reader = persona()
    for width in (390, 1280):
        reader.set_viewport_size({"width": width, "height": 800})
        for path in ["/sources/", "/sources/berman2000/", CLAIM_PATH]:
            reader.goto(path)
            assert reader.evaluate("document.documentElement.scrollWidth") <= width, path
            assert reader.evaluate(SMALL_SOURCE_LINKS) == 0, (path, width)
            results = Axe().run(reader, context="main")
            assert results.violations_count == 0, (path, width, results.generate_report())
    # From a claim's evidence to the source's page, and on to another claim resting on it.
    reader.goto(CLAIM_PATH)
    reader.locator("table.evidence cite a").first.click()
    expect(reader).to_have_url(re.compile(r"/sources/[\w-]+/$"))
    expect(reader.locator(".source-claims .claim-card").first).to_be_visible()
    main_nav = reader.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Sources")).to_have_attribute("aria-current", "page")
