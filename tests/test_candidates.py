"""Candidate sentences (desk/candidates.py): an article cut into sentences, the checkable marked."""

import pytest

from claimtrack.claims.models import Article, Claim
from claimtrack.desk.candidates import candidate_sentences, cues, sentences


def texts(text):
    return [text[s.start : s.end] for s in sentences(text)]


def kinds(text):
    return {cue.kind for cue in cues(text)}


def marked(text):
    return [text[c.start : c.end] for c in candidate_sentences(text)]


# Splitting


def test_it_splits_a_paragraph_into_sentences_with_their_offsets():
    text = "Ketamine is an anesthetic. It blocks NMDA receptors! Does it work? Yes."
    assert texts(text) == [
        "Ketamine is an anesthetic.",
        "It blocks NMDA receptors!",
        "Does it work?",
        "Yes.",
    ]
    assert sentences(text)[1][:2] == (27, 52)


def test_it_keeps_abbreviations_inside_their_sentence():
    text = (
        "Dr. Smith et al. gave ketamine, e.g. as a spray, i.e. intranasally, in the U.S. and "
        "the U.K. on a regular basis. Prof. J. Jones vs. placebo found nothing."
    )
    assert texts(text) == [
        "Dr. Smith et al. gave ketamine, e.g. as a spray, i.e. intranasally, in the U.S. and the "
        "U.K. on a regular basis.",
        "Prof. J. Jones vs. placebo found nothing.",
    ]


def test_it_keeps_decimals_and_a_stop_before_lower_case_inside_their_sentence():
    text = "A dose of 0.5 mg/kg over 40 min. is usual. The effect lasts 1.5 weeks."
    assert texts(text) == [
        "A dose of 0.5 mg/kg over 40 min. is usual.",
        "The effect lasts 1.5 weeks.",
    ]


def test_it_ends_a_sentence_at_closing_quotes():
    text = "He said “it works.” Others disagreed."
    assert texts(text) == ["He said “it works.”", "Others disagreed."]


def test_a_blank_line_separates_paragraphs_without_a_stop():
    assert texts("It helps\n\nIt also harms some people.") == [
        "It helps",
        "It also harms some people.",
    ]


def test_a_line_break_ends_a_paragraph_when_the_next_line_starts_a_sentence():
    text = "Ketamine acts fast.\nIts effect fades within a week.\n"
    assert texts(text) == ["Ketamine acts fast.", "Its effect fades within a week."]


def test_a_hard_wrapped_line_goes_on_in_the_same_sentence():
    text = "Ketamine relieves depression in\nmany patients within hours."
    assert texts(text) == ["Ketamine relieves depression in\nmany patients within hours."]


def test_headings_bylines_and_captions_are_units_of_their_own():
    text = (
        "How Long Does Ketamine Last?\n\nRebecca Smith\n\nApril 14, 2023\n"
        "Its effects fade within a week. A series of infusions may be needed."
    )
    units = sentences(text)
    assert [text[s.start : s.end] for s in units] == [
        "How Long Does Ketamine Last?",
        "Rebecca Smith",
        "April 14, 2023",
        "Its effects fade within a week.",
        "A series of infusions may be needed.",
    ]
    assert [s.heading for s in units] == [True, True, True, False, False]


def test_a_short_line_ending_like_a_sentence_is_not_a_heading():
    units = sentences("Ketamine works.\n\nSome of its side effects include:\n  • Nausea")
    assert [s.heading for s in units] == [False, False, False]


def test_a_list_item_is_a_sentence_without_its_marker():
    text = "Effects:\n  • Rapid relief within hours.\n  2. Nausea\n- Raised blood pressure"
    assert texts(text) == [
        "Effects:",
        "Rapid relief within hours.",
        "Nausea",
        "Raised blood pressure",
    ]


def test_it_finds_nothing_in_an_empty_text():
    assert sentences("") == []
    assert sentences("\n\n  \n") == []
    assert candidate_sentences("") == []


def test_every_sentence_of_a_seed_article_is_its_text_at_its_offsets(seeded):
    for article in Article.objects.all():
        units = sentences(article.text)
        assert units == sorted(units)
        for start, end, _ in units:
            assert article.text[start:end] == article.text[start:end].strip()
            assert start < end


# Cues: each kind, and what does not fire it


@pytest.mark.parametrize(
    "kind, sentence",
    [
        ("number", "In 2019, 40,000 patients took part."),
        ("number", "About 70% of them."),
        ("time", "It comes within hours."),
        ("time", "It works in 24 hours."),
        ("time", "A fast-acting option."),
        ("comparison", "It is better than placebo."),
        ("comparison", "It was compared with sertraline."),
        ("comparison", "It acts faster."),
        ("comparison", "It is stronger than that."),
        ("comparison", "It is superior to it."),
        ("causal", "It triggers a cascade."),
        ("causal", "It leads to growth."),
        ("causal", "It reduces that."),
        ("causal", "It blocks the channel."),
        ("causal", "It helps a little."),
        ("outcome", "Depression lifts."),
        ("outcome", "Suicidal thoughts recede."),
        ("outcome", "Remission follows."),
        ("harm", "Nausea follows."),
        ("harm", "It can be addictive."),
        ("frequency", "This is common."),
        ("frequency", "Many patients say so."),
        ("medicine", "It is an NMDA receptor antagonist."),
        ("medicine", "It is given by intravenous infusion."),
        ("medicine", "It is used off-label."),
        ("hype", "A breakthrough."),
        ("hype", "A miracle."),
        ("hype", "A game-changer."),
        ("hype", "Groundbreaking news."),
        ("research", "Studies show this."),
        ("research", "Research suggests so."),
        ("research", "A trial began."),
        ("research", "The FDA spoke."),
    ],
)
def test_each_kind_of_cue_fires_on_its_words(kind, sentence):
    assert kind in kinds(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Version two of the report.",  # no figures: "two" is not counted
        "The hourglass and the weekly paper.",  # no time: not the words "hours", "weeks"
        "The other one, theirs.",  # no comparison without "than"
        "The treatment room, the blockade, the affection.",  # not causal verbs
        "The painting of a stressed-out pained face.",  # not outcomes
        "The risk was discussed.",  # a risk is not a harm
        "The curtain fell; the curate was secure.",  # "cure" inside other words
        "The studio was closed.",  # "study" inside another word
    ],
)
def test_no_kind_of_cue_fires_on_words_that_only_look_like_one(sentence):
    assert kinds(sentence) == set()


def test_a_cue_of_one_kind_alone_does_not_mark_a_sentence():
    assert marked("Ketamine can relieve it.") == []
    assert marked("Ketamine is known as Special K.") == []
    assert marked("It was a breakthrough.") == []
    assert marked("Results came within hours.") == []


def test_cues_of_two_kinds_mark_a_sentence_and_are_told_with_their_offsets():
    text = "Intro.\n\nKetamine relieves depression within hours."
    [candidate] = candidate_sentences(text)
    assert text[candidate.start : candidate.end] == "Ketamine relieves depression within hours."
    assert candidate.kinds == ["time", "causal", "outcome"]
    assert sorted(text[c.start : c.end] for c in candidate.cues) == [
        "depression",
        "relieves",
        "within hours",
    ]


def test_questions_advice_and_the_article_about_itself_are_not_marked():
    assert marked("Can ketamine relieve depression within hours?") == []
    assert marked("If you have high blood pressure, ketamine may raise it within hours.") == []
    assert marked("In this article, we will review the latest studies on depression.") == []


def test_headings_are_never_marked():
    assert marked("Ketamine Relieves Depression Within Hours\n\nThat is all.") == []


# The seed articles


def test_candidates_catch_most_seed_claims_while_marking_at_most_half_the_sentences(seeded):
    """The aims: at least 80% of the claims' quotes overlap a marked sentence, and no more than
    half of the sentences (headings included) are marked. bench/candidate_marking.py prints
    the figures per article."""
    caught = claims = marked_count = units = headings = 0
    for article in Article.objects.all():
        spans = list(Claim.objects.filter(article=article).values_list("quote_start", "quote_end"))
        candidates = candidate_sentences(article.text)
        article_sentences = sentences(article.text)
        caught += sum(
            any(start < c.end and c.start < end for c in candidates) for start, end in spans
        )
        claims += len(spans)
        marked_count += len(candidates)
        units += len(article_sentences)
        headings += sum(s.heading for s in article_sentences)
    print(
        f"\n{caught}/{claims} claims caught ({caught / claims:.1%}); {marked_count}/{units} "
        f"sentences marked ({marked_count / units:.1%}; of the prose sentences "
        f"{marked_count / (units - headings):.1%})"
    )
    assert claims == 217
    assert caught / claims >= 0.80
    assert marked_count / units <= 0.50
