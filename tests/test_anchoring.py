"""Finding a claim's quote again after its article's text was corrected (claims/anchoring.py).

The texts are the seed articles' own, edited here as a publisher would correct them.
"""

import json
from pathlib import Path

from claimtrack.claims.anchoring import CONTEXT_CHARS, context_of, find_forgiving, find_quote

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def seed(name):
    rows = json.loads((FIXTURES / name).read_text())
    [text] = [row["fields"]["text"] for row in rows if row["model"] == "claims.article"]
    return text, [row["fields"]["quote"] for row in rows if row["model"] == "claims.claim"]


TEXT, QUOTES = seed("article_0_ketamine-psychedelic-substance.json")
WITHIN_HOURS = (
    "Ketamine has been shown to alleviate depressive symptoms within hours, unlike traditional "
    "antidepressants that can take weeks to become effective."
)
STUDIES = (
    "Studies have shown that ketamine can produce rapid antidepressant effects, particularly in "
    "individuals with treatment-resistant depression."
)
GLUTAMATE = "ketamine’s primary action is on the glutamate system"
INFLAMMATION = "Ketamine may have anti-inflammatory properties"
PSYCHEDELICS = "Psychedelics, such as LSD and psilocybin, primarily affect serotonin receptors"
TITLE = "Unveiling the Truth: Is Ketamine a Psychedelic Substance?"
NOTE = "Editor’s note: this article was updated in March 2025 to reflect new research.\n\n"


def anchor(old_text, new_text, quote, occurrence=0):
    """Re-anchor the quote (its occurrence-th copy in old_text) as a claim stored it."""
    start = -1
    for _ in range(occurrence + 1):
        start = old_text.index(quote, start + 1)
    prefix, suffix = context_of(old_text, start, start + len(quote))
    return find_quote(new_text, quote, old_start=start, prefix=prefix, suffix=suffix)


def test_the_quotes_used_here_are_seed_claims():
    assert {WITHIN_HOURS, STUDIES, GLUTAMATE, INFLAMMATION, PSYCHEDELICS} <= set(QUOTES)


def test_context_of_takes_the_text_around_the_passage():
    start = TEXT.index(INFLAMMATION)
    prefix, suffix = context_of(TEXT, start, start + len(INFLAMMATION))
    assert prefix == TEXT[start - CONTEXT_CHARS : start]
    assert prefix.endswith("\n  • Reduced Inflammation: ")
    assert suffix == ", which can be beneficial, as in"


def test_context_of_stops_at_the_ends_of_the_text():
    assert context_of(TEXT, 0, len(TITLE)) == ("", "\n\nUnveiling the Truth: Is Ketami")
    assert context_of(TEXT, len(TEXT) - 15, len(TEXT)) == ("d by SubstanceAbuseAction Team\n\n", "")


def test_every_quote_stays_where_it_was_in_unchanged_text():
    for quote in QUOTES:
        found = anchor(TEXT, TEXT, quote)
        start = TEXT.index(quote)
        assert (found.start, found.end, found.exact) == (start, start + len(quote), True), quote
        assert found.score == 100


def test_it_follows_a_quote_moved_by_a_paragraph_inserted_above():
    paragraph = TEXT.index("  • Depression: ")
    new = TEXT[:paragraph] + NOTE + TEXT[paragraph:]
    found = anchor(TEXT, new, WITHIN_HOURS)
    assert found.exact
    assert found.start == TEXT.index(WITHIN_HOURS) + len(NOTE)
    assert new[found.start : found.end] == WITHIN_HOURS


def test_it_follows_every_quote_after_a_sentence_inserted_before_it():
    sentence = TEXT.index(PSYCHEDELICS)
    new = TEXT[:sentence] + "Experts urge caution. " + TEXT[sentence:]
    found = anchor(TEXT, new, PSYCHEDELICS)
    assert found.exact and found.start == sentence + len("Experts urge caution. ")
    for quote in QUOTES:
        assert anchor(TEXT, new, quote).exact, quote


def test_it_proposes_the_new_wording_when_a_word_changes_inside_the_quote():
    new = TEXT.replace("symptoms within hours, unlike", "symptoms within a few hours, unlike")
    found = anchor(TEXT, new, WITHIN_HOURS)
    assert not found.exact
    assert found.start == TEXT.index(WITHIN_HOURS)
    assert (
        new[found.start : found.end]
        == found.quote
        == (
            "Ketamine has been shown to alleviate depressive symptoms within a few hours, unlike "
            "traditional antidepressants that can take weeks to become effective."
        )
    )
    assert "Anxiety" not in found.quote
    assert 95 < found.score < 100


def test_it_keeps_a_changed_last_word_in_the_proposal():
    new = TEXT.replace("anti-inflammatory properties,", "anti-inflammatory effects,")
    found = anchor(TEXT, new, INFLAMMATION)
    assert found.quote == "Ketamine may have anti-inflammatory effects"
    assert found.start == TEXT.index(INFLAMMATION)


def test_it_keeps_a_changed_first_word_that_shares_few_letters_with_the_old_one():
    # Cut after "therapy", the passage would read a little more like the quote; the text
    # before it is what stood before the quote, so the cut goes there.
    text, _ = seed("article_1_understanding-ketamine-treatments.json")
    quote = "treatment-resistant depression, anxiety disorders"
    assert quote in text
    new = text.replace(quote, quote.replace("treatment-", "therapy-"))
    found = anchor(text, new, quote)
    assert found.quote == "therapy-resistant depression, anxiety disorders"
    assert found.start == text.index(quote)


def test_it_proposes_the_passage_after_a_typo_fix():
    # The claim was quoted before the publisher fixed "particulary".
    old = TEXT.replace("particularly in individuals", "particulary in individuals")
    quote = STUDIES.replace("particularly", "particulary")
    found = anchor(old, TEXT, quote)
    assert (found.quote, found.exact) == (STUDIES, False)
    assert found.start == TEXT.index(STUDIES)
    assert found.score > 99


def test_it_proposes_the_passage_after_its_apostrophe_is_curled():
    old = TEXT.replace("ketamine’s primary", "ketamine's primary")
    found = anchor(old, TEXT, "ketamine's primary action is on the glutamate system")
    assert (found.quote, found.exact) == (GLUTAMATE, False)
    assert found.start == TEXT.index(GLUTAMATE)
    assert found.score > 95


def test_it_proposes_the_passage_after_its_typographic_quotes_are_straightened():
    text, quotes = seed("article_1_understanding-ketamine-treatments.json")
    quote = "An “off-label” treatment that is currently making headway is ketamine."
    assert quote in quotes
    new = text.replace("“off-label”", '"off-label"')
    found = anchor(text, new, quote)
    assert found.quote == 'An "off-label" treatment that is currently making headway is ketamine.'
    assert found.start == text.index(quote)


def test_it_proposes_a_passage_across_a_line_break_after_the_text_is_reflowed():
    new = TEXT.replace("\n\n", "\n")
    quote = "Effects of Ketamine: What to Expect\n\nThe effects of ketamine"
    found = anchor(TEXT, new, quote)
    assert found.quote == "Effects of Ketamine: What to Expect\nThe effects of ketamine"
    assert found.start == new.index(found.quote)
    for claim in QUOTES:
        assert anchor(TEXT, new, claim).exact, claim


def test_it_detaches_a_quote_whose_paragraph_was_removed():
    line = TEXT[TEXT.index("  • Depression: ") : TEXT.index("  • Anxiety Disorders: ")]
    new = TEXT.replace(line, "")
    # The "Rapid Relief" item still says much the same, but it is another sentence.
    assert "ketamine can provide relief from symptoms within hours" in new
    assert anchor(TEXT, new, WITHIN_HOURS) is None
    assert anchor(TEXT, new, INFLAMMATION).exact


def test_it_detaches_a_heavily_rewritten_sentence_rather_than_match_another():
    rewritten = (
        "Some trials report that ketamine eases depression quickly, whereas standard "
        "antidepressants need weeks."
    )
    new = TEXT.replace(WITHIN_HOURS, rewritten)
    assert anchor(TEXT, new, WITHIN_HOURS) is None


def test_it_detaches_a_sentence_removed_though_a_similar_one_remains():
    quote = (
        "While ketamine is not a psychedelic in the classical sense, its effects can sometimes "
        "mimic those of psychedelic substances"
    )
    assert quote in QUOTES
    new = TEXT.replace(TEXT[TEXT.index(quote) : TEXT.index(PSYCHEDELICS)], "")
    # The conclusion says "while ketamine is not a psychedelic in the traditional sense, its
    # effects can mimic those of psychedelics": much the same, but another sentence.
    assert anchor(TEXT, new, quote) is None


def test_it_picks_the_copy_of_a_repeated_quote_whose_surroundings_match():
    # The quote stands twice: in the list, and again as a key point after it.
    heading = TEXT.index("Effects of Ketamine: What to Expect")
    key_point = f"Key point: {INFLAMMATION}, though the evidence is early.\n\n"
    old = TEXT[:heading] + key_point + TEXT[heading:]
    # A paragraph added between the copies, longer than the distance between them: the copy in
    # the list is now nearer the key point's old place.
    added = "Newer studies suggest the effect is modest. " * 10 + "\n\n"
    assert len(added) > old.index(key_point) - old.index(INFLAMMATION)
    new = old.replace(key_point, added + key_point)
    found = anchor(old, new, INFLAMMATION, occurrence=1)
    assert found.exact
    assert found.start == new.index(key_point) + len("Key point: ")
    assert anchor(old, new, INFLAMMATION, occurrence=0).start == TEXT.index(INFLAMMATION)


def test_it_picks_the_copy_nearest_the_old_place_when_surroundings_are_the_same():
    # A paragraph published twice by mistake: both copies have the same surroundings.
    paragraph = TEXT[TEXT.index("While ketamine is not") : TEXT.index("\n\nKetamine and Mental")]
    old = TEXT.replace(paragraph, paragraph + "\n\n" + paragraph)
    new = NOTE + old
    first, second = anchor(old, new, PSYCHEDELICS, 0), anchor(old, new, PSYCHEDELICS, 1)
    assert first.start == old.index(PSYCHEDELICS) + len(NOTE)
    assert second.start == old.index(PSYCHEDELICS, first.start - len(NOTE) + 1) + len(NOTE)
    assert first.exact and second.exact


def test_it_tells_apart_a_short_quote_that_the_article_repeats():
    new = NOTE + TEXT
    quote = "mental health treatment"
    assert TEXT.count(quote) == 4
    for occurrence in range(4):
        start = anchor(TEXT, new, quote, occurrence).start - len(NOTE)
        assert TEXT.count(quote, 0, start) == occurrence


def test_it_finds_a_quote_opening_the_text_with_an_empty_prefix():
    assert anchor(TEXT, TEXT, TITLE).start == 0
    assert anchor(TEXT, NOTE + TEXT, TITLE).start == len(NOTE)


def test_it_proposes_the_opening_passage_rather_than_the_repeated_title():
    # The article's title also stands as the heading below it. Corrected at the top, the
    # quote is still word for word in the heading, but it was the opening line.
    new = TEXT.replace("the Truth: Is Ketamine", "the truth: is ketamine", 1)
    found = anchor(TEXT, new, TITLE)
    assert (found.start, found.exact) == (0, False)
    assert found.quote == "Unveiling the truth: is ketamine a Psychedelic Substance?"


def test_it_finds_a_quote_closing_the_text_with_an_empty_suffix():
    quote = "Leave a Comment"
    assert anchor(TEXT, TEXT, quote).end == len(TEXT)
    found = anchor(TEXT, TEXT.replace(quote, "Leave a comment"), quote)
    assert (found.quote, found.end, found.exact) == ("Leave a comment", len(TEXT), False)


def test_it_proposes_a_short_quote_with_a_word_changed():
    new = TEXT.replace("elevated blood pressure", "raised blood pressure")
    found = anchor(TEXT, new, "elevated blood pressure")
    assert (found.quote, found.start) == ("raised blood pressure", TEXT.index("elevated blood"))


def test_a_proposal_never_ends_inside_a_word():
    # "linked to mood disorder" is word for word in "linked to mood disorders", but cut.
    old = TEXT.replace("linked to mood disorders.", "linked to mood disorder.")
    found = anchor(old, TEXT, "linked to mood disorder")
    assert (found.quote, found.exact) == ("linked to mood disorders", False)


def test_a_proposal_never_ends_inside_a_word_even_when_the_suffix_changed_too():
    old = TEXT.replace("linked to mood disorders.", "linked to mood disorder.")
    new = TEXT.replace("linked to mood disorders.", "linked to mood disorders and anxiety.")
    found = anchor(old, new, "linked to mood disorder")
    assert found.quote == "linked to mood disorders"


def test_it_detaches_a_short_quote_when_too_little_of_it_is_left():
    new = TEXT.replace("elevated blood pressure", "high blood pressure")
    assert anchor(TEXT, new, "elevated blood pressure") is None


def test_it_detaches_a_sentence_rewritten_in_place_beyond_a_correction():
    rewritten = (
        "Ketamine has been shown to ease low mood within a day, whereas older antidepressants "
        "may need weeks to work."
    )
    assert anchor(TEXT, TEXT.replace(WITHIN_HOURS, rewritten), WITHIN_HOURS) is None


def test_it_reanchors_fifty_edited_quotes_in_a_long_article():
    # How fast is measured by bench/reanchor_cases.py, not asserted here.
    copies = [TEXT, TEXT.replace("Ketamine", "The drug"), TEXT.replace("ketamine", "the drug")]
    text = "\n\n".join(copies)[:20_000]
    claims = [(quote, n) for quote in QUOTES for n in range(text.count(quote))][:50]
    # A word added to every quote, so every claim takes the slow, fuzzy path.
    new = text
    for quote, _ in claims:
        new = new.replace(quote, quote.replace(" ", " also ", 1))
    found = [anchor(text, new, quote, n) for quote, n in claims]
    assert len(claims) == 50
    assert sum(1 for one in found if one and not one.exact) >= 45


def test_a_pasted_quote_matches_despite_straight_quotes_dashes_and_spaces():
    text = "In contrast, ketamine’s primary action is on the glutamate system — fundamental."
    pasted = "ketamine's primary action is on the glutamate  system - fundamental"
    found = find_forgiving(text, pasted)
    assert found.quote == "ketamine’s primary action is on the glutamate system — fundamental"
    assert text[found.start : found.end] == found.quote


def test_a_forgiving_match_still_refuses_other_words():
    assert find_forgiving(TEXT, "ketamine cures depression") is None
