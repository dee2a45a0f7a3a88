"""The spin rules: each fires on a true example and not on a near miss, with exact offsets;
the evidence rules read the kinds of the claim's sources."""

import pytest

from claimtrack.watch import spin
from claimtrack.watch.spin import Backing

RCT = Backing(frozenset({"randomized_trial"}), "moderate")
OBSERVATIONAL = Backing(frozenset({"observational", "case_report", "guideline"}), "low")
MICE = Backing(frozenset({"preclinical", "narrative_review"}), "low")
NOTHING = Backing(frozenset(), "")
MIXED = Backing(frozenset({"observational", "randomized_trial"}), "moderate")
LOW_RCT = Backing(frozenset({"randomized_trial"}), "low")

# rule, text, backing, the words it must match
TRUE_EXAMPLES = [
    ("hype", "Ketamine is a miracle for depression.", None, ["miracle"]),
    (
        "hype",
        "A breakthrough, and a game-changer for psychiatry.",
        None,
        ["breakthrough", "game-changer"],
    ),
    ("hype", "Ketamine CURES depression.", None, ["CURES"]),
    ("hype", "Ketamine rewires the brain.", None, ["rewires"]),
    ("certainty", "This proves ketamine works.", None, ["proves"]),
    ("certainty", "It is completely safe and 100% effective.", None, ["completely safe", "100%"]),
    ("certainty", "Relief is guaranteed, and it always works.", None, ["guaranteed", "always"]),
    ("causal-from-observational", "Ketamine prevents suicide.", OBSERVATIONAL, ["prevents"]),
    ("causal-from-observational", "It boosts self-awareness.", OBSERVATIONAL, ["boosts"]),
    (
        "animal-to-human",
        "Ketamine relieves depression in patients.",
        MICE,
        ["relieves", "depression", "patients"],
    ),
    ("relative-without-absolute", "Patients were 50% less likely to relapse.", None, ["50% less"]),
    ("relative-without-absolute", "Responders were twice as common.", None, ["twice as"]),
    ("relative-without-absolute", "A three-fold rise in BDNF.", None, ["three-fold"]),
    ("relative-without-absolute", "It cut relapses by 40%.", None, ["by 40%"]),
    ("time-to-effect", "Depression lifts within hours.", None, ["within hours"]),
    ("time-to-effect", "Feel better in 24 hours.", None, ["in 24 hours"]),
    ("time-to-effect", "Relief comes overnight, immediately.", None, ["overnight", "immediately"]),
    ("time-to-effect", "Relief is nearly instantaneous.", None, ["instantaneous"]),
    (
        "advice-outruns-evidence",
        "You should ask your doctor about ketamine.",
        OBSERVATIONAL,
        ["should", "ask your doctor about"],
    ),
    ("advice-outruns-evidence", "People with depression should try it.", NOTHING, ["should"]),
    ("advice-outruns-evidence", "You need to try ketamine.", LOW_RCT, ["You need to"]),
]

# rule, text, backing: no hint
NEAR_MISSES = [
    ("hype", "Ketamine is not a cure for depression.", None),  # negated: declining the hype
    ("hype", "Ketamine isn’t going to necessarily cure anyone.", None),
    ("hype", "There is no miracle here; a secure, curated clinic helps.", None),
    ("hype", "The revolution in the 1960s; procurement rules.", None),
    ("certainty", "Relief is not always lasting, and not proven in children.", None),
    ("certainty", "The FDA approved esketamine; the results improved; an unproven idea.", None),
    ("certainty", "A 100 mg dose.", None),
    ("causal-from-observational", "Ketamine prevents relapse.", RCT),  # a trial backs it
    ("causal-from-observational", "Ketamine prevents relapse.", NOTHING),  # nothing backs it
    (
        "causal-from-observational",
        "Use is associated with increased self-awareness.",
        OBSERVATIONAL,
    ),
    ("causal-from-observational", "Ketamine prevents relapse.", MIXED),
    ("causal-from-observational", "Ketamine prevents relapse.", None),  # a draft: no evidence
    ("animal-to-human", "In mice, ketamine relieves depression-like behaviour.", MICE),
    ("animal-to-human", "Ketamine relieves depression in patients.", RCT),
    ("animal-to-human", "Ketamine blocks NMDA receptors in the brain.", MICE),  # no human word
    ("relative-without-absolute", "Response rose 50% more, from 20% to 30% of 300 patients.", None),
    ("relative-without-absolute", "Twice as many responded (n=67).", None),
    ("relative-without-absolute", "About 50% of patients respond; twice a week; one time.", None),
    ("time-to-effect", "Infusions last 40 minutes and are given twice a week for weeks.", None),
    ("time-to-effect", "The effect is not immediate.", None),
    ("time-to-effect", "Patients stay within the clinic for hours.", None),
    ("advice-outruns-evidence", "You should ask your doctor about ketamine.", RCT),
    ("advice-outruns-evidence", "You should ask your doctor about ketamine.", None),  # a draft
    ("advice-outruns-evidence", "Doctors shoulder the cost; a shoulder injury.", NOTHING),
]


@pytest.mark.parametrize("rule_id, text, backing, expected", TRUE_EXAMPLES)
def test_each_rule_fires_on_a_true_example_with_exact_offsets(rule_id, text, backing, expected):
    hints = spin.RULES_BY_ID[rule_id].find(text, backing)
    assert [hint.text for hint in hints] == expected
    for hint in hints:
        assert text[hint.start : hint.end] == hint.text
        assert hint.rule.id == rule_id
        assert hint.explanation == spin.RULES_BY_ID[rule_id].explanation


@pytest.mark.parametrize("rule_id, text, backing", NEAR_MISSES)
def test_no_rule_fires_on_a_near_miss(rule_id, text, backing):
    assert spin.RULES_BY_ID[rule_id].find(text, backing) == []


@pytest.mark.parametrize("rule_id, text, backing, expected", TRUE_EXAMPLES)
def test_the_stems_the_database_looks_for_are_in_every_true_example(
    rule_id, text, backing, expected
):
    """The admin filter lets the database choose candidates by the rule's stems: every match
    of the rule must hold one (the database's side is tested in test_spin_admin.py)."""
    rule = spin.RULES_BY_ID[rule_id]
    for hint in rule.find(text, backing):
        assert any(stem in hint.text.lower() for stem in rule.stems), hint.text
    assert all(stem == stem.lower() for stem in rule.stems)


def test_every_rule_has_a_public_definition_and_an_explanation():
    assert [rule.id for rule in spin.RULES] == [
        "hype",
        "certainty",
        "causal-from-observational",
        "animal-to-human",
        "relative-without-absolute",
        "time-to-effect",
        "advice-outruns-evidence",
    ]
    for rule in spin.RULES:
        assert rule.name and len(rule.definition) > 40 and len(rule.explanation) > 80
    cited = [rule for rule in spin.RULES if "doi:10.1136/bmj.g7015" in rule.explanation]
    assert {rule.id for rule in cited} == {
        "causal-from-observational",
        "animal-to-human",
        "advice-outruns-evidence",
    }
    assert all("HealthNewsReview" in r.explanation for r in spin.RULES if r not in cited)


def test_lint_runs_the_text_rules_only_in_text_order():
    text = "You should try this miracle: 50% fewer relapses, overnight, in mice."
    hints = spin.lint(text)
    assert [(h.rule.id, h.text) for h in hints] == [
        ("hype", "miracle"),
        ("relative-without-absolute", "50% fewer"),
        ("time-to-effect", "overnight"),
    ]
    assert [h.start for h in hints] == [text.index(h.text) for h in hints]
    assert hints[0].as_json() == {
        "rule": "hype",
        "start": 20,
        "end": 27,
        "text": "miracle",
        "explanation": spin.HYPE.explanation,
    }


def test_a_contradicting_source_backs_nothing(db, reviewed_claim, citation):
    """reviewed_claim rests on a mouse study; a trial that contradicts it does not make the
    claim's backing human."""
    reviewed_claim.evidence.create(citation=citation, stance="contradicts", note="No effect.")
    reviewed_claim.statement = "Ketamine relieves depression in patients."
    hints = spin.claim_hints(reviewed_claim)
    assert [(h.rule.id, h.field, h.text) for h in hints] == [
        ("animal-to-human", "statement", "relieves"),
        ("animal-to-human", "statement", "depression"),
        ("animal-to-human", "statement", "patients"),
    ]
