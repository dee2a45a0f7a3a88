"""Laying an article's plain text out for reading: which lines are subheadings, and which only
repeat the title. The examples are the seed articles' own lines."""

import pytest

from claimtrack.claims.article_layout import blocks, is_heading, normalise, repeats_title

# Subheadings of the seed articles (fixtures/article_*.json), as they stand in their text.
SEED_SUBHEADINGS = [
    "The Nature of Ketamine",
    "Neuroscience Behind Ketamine’s Effects",
    "Effects of Ketamine: What to Expect",
    "Conclusion",
    "What is Ketamine Therapy?",
    "New Neural-Pathways",
    "What Can Be Expected from a Ketamine Therapy Session?",
    "Looking Ahead: Ketamine as a Game-Changer",
    "Ketamine & Psychotherapy",
    "Ketamine-Assisted Therapy",
    "1. Is ketamine a criminal remedy for depression?",
    "4. What’s the distinction among ketamine and different antidepressants?",
    "What's Your Reaction?",
]

# Lines of the same articles that are not subheadings.
SEED_NON_HEADINGS = [
    # one-line paragraphs that are sentences, or introduce a list
    "There is a long history of positive drug use.",
    "Living with mental health issues and illnesses can be extremely difficult.",
    "Research has identified several key mechanisms by which ketamine exerts its effects:",
    # a sentence without its full stop, but too long for a heading (13 words, 84 characters)
    "This article is in the category Treatment and created by SubstanceAbuseAction Team",
    # list items, indented
    "  • Headaches",
    "  2. Setting Goals: Establishing clear treatment goals and expectations, which may include "
    "symptom relief and improved functioning.",
    # an image's file name and its credit, a dateline
    "ketamine-headache",
    "Mohamed_hassan, Pixabay",
    "April 14, 2023",
]


@pytest.mark.parametrize("line", SEED_SUBHEADINGS)
def test_the_seed_articles_subheadings_are_headings(line):
    assert is_heading(line)


@pytest.mark.parametrize("line", SEED_NON_HEADINGS)
def test_sentences_list_items_and_credits_are_not_headings(line):
    assert not is_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "Ketamine works.",  # short, but a sentence
        "It is fast!",
        "Side effects include:",
        "“Ketamine is not a miracle.”",  # a sentence in quotes
        "Ketamine and the brain…",
        "",
        "Two lines\nof text",
        "a lower-case fragment",
        "Ketamine " * 13,  # thirteen words
    ],
)
def test_these_lines_are_not_headings(line):
    assert not is_heading(line)


def test_titles_compare_whatever_their_typography_case_and_spacing():
    assert normalise("  Ketamine’s  “Promise”: A Review? ") == 'ketamine\'s "promise": a review'
    assert repeats_title("ketamine's promise", "Ketamine’s Promise")
    assert repeats_title(
        "Unveiling the Truth:  Is Ketamine a Psychedelic Substance",
        ("Unveiling the Truth: Is Ketamine a Psychedelic Substance?"),
    )
    assert not repeats_title("Ketamine's promise and perils", "Ketamine's promise")
    assert not repeats_title("Anything", "")


def kinds(text, title):
    return [(text[b.start : b.end], b.kind) for b in blocks(text, title)]


def test_a_title_repeated_at_the_top_twice_is_left_out_both_times():
    title = "Unveiling the Truth: Is Ketamine a Psychedelic Substance?"
    text = f"{title}\n\n{title}\n\nIn recent years, much has changed.\n\nThe Nature of Ketamine\n"
    assert kinds(text, title) == [
        (title, "title"),
        (title, "title"),
        ("In recent years, much has changed.", "paragraph"),
        ("The Nature of Ketamine", "heading"),
    ]


def test_short_lines_above_the_title_are_front_matter_not_headings():
    text = (
        "Therapy\n\nRebecca Smith\n\nUnderstanding Ketamine Treatments\n\n"
        "Living with it is hard.\n\nWhat is Ketamine Therapy?\n\nIt is a treatment."
    )
    assert kinds(text, "Understanding Ketamine Treatments") == [
        ("Therapy", "front"),
        ("Rebecca Smith", "front"),
        ("Understanding Ketamine Treatments", "title"),
        ("Living with it is hard.", "paragraph"),
        ("What is Ketamine Therapy?", "heading"),
        ("It is a treatment.", "paragraph"),
    ]


def test_without_a_title_repeat_an_opening_heading_stays_a_heading():
    text = "What Is Ketamine?\n\nKetamine is an anaesthetic."
    assert kinds(text, "The Science Behind Ketamine")[0] == ("What Is Ketamine?", "heading")


def test_a_title_repeated_after_the_introduction_is_left_out_too():
    title = "Ketamine: From Anesthetic to Psychiatric Treatment"
    text = f"In recent years, ketamine has gained attention.\n{title}\nKetamine is an anesthetic."
    assert [kind for _, kind in kinds(text, title)] == ["paragraph", "title", "paragraph"]


def test_blocks_keep_the_offsets_of_the_text_and_skip_blank_lines():
    text = "Heading Here\n\n   \n\nA paragraph.\n"
    layout = blocks(text, "")
    assert [(b.start, b.end) for b in layout] == [(0, 12), (19, 31)]
    assert [text[b.start : b.end] for b in layout] == ["Heading Here", "A paragraph."]
