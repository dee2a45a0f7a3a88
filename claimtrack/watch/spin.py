"""Spin hints: plain, public rules that point a reviewer at wording which often outruns the
evidence. A hint is never a verdict: it says which words to look at and why, and the reviewer
decides.

Seven rules, after the three exaggerations Sumner et al. found in health news and the press
releases behind it (advice, causal claims from correlational studies, inference to humans from
animal studies: "The association between exaggeration in health related science news and
academic press releases: retrospective observational study", BMJ 2014;349:g7015,
doi:10.1136/bmj.g7015) and the HealthNewsReview.org criteria (benefits quantified, quality of
evidence, novelty). Four read the words alone (TEXT_RULES: a draft has no evidence yet, see the
lint_text command); three read the words together with the claim's evidence, through the kind of
each cited source (claims.CitationKind) and the verdict's certainty.

Decisions a reviewer should know:
- Words are matched whole and in any case ("cure" does not match "secure").
- A hype, certainty or time-to-effect word right after a negation ("not a cure", "no miracle",
  "not always", "isn't going to necessarily cure": up to three words between) is no hint: the
  writer is declining the hype, and hinting it would teach reviewers to skip hints.
- "Causal wording" next to an association phrase ("associated with increased risk") is the
  honest correlational wording, and no hint.
- Evidence "backs" a claim when it supports or qualifies it; a source that contradicts the claim
  backs nothing. The evidence rules weigh the studies among it (systematic reviews, trials,
  observational studies, case reports, preclinical studies); narrative reviews, guidelines,
  books and other sources count neither way.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, Func, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat, Lower

from claimtrack.claims.models import Certainty, CitationKind, Claim, Evidence, Stance, Status

SUMNER = "Sumner et al. 2014, BMJ, doi:10.1136/bmj.g7015"

K = CitationKind
STUDY_KINDS = frozenset(
    {K.SYSTEMATIC_REVIEW, K.RANDOMIZED_TRIAL, K.OBSERVATIONAL, K.CASE_REPORT, K.PRECLINICAL}
)
OBSERVATIONAL_KINDS = frozenset({K.OBSERVATIONAL, K.CASE_REPORT})
PRECLINICAL_KINDS = frozenset({K.PRECLINICAL})
TRIAL_KINDS = frozenset({K.SYSTEMATIC_REVIEW, K.RANDOMIZED_TRIAL})
LOW_CERTAINTY = frozenset({Certainty.LOW, Certainty.VERY_LOW})

FLAGS = re.IGNORECASE
NEGATION = re.compile(
    r"\b(?:not|no|never|nor|hardly|without|cannot|can[’']t|isn[’']t|aren[’']t|wasn[’']t|"
    r"won[’']t|doesn[’']t|don[’']t)\s+(?:[\w’'-]+\s+){0,3}$",
    FLAGS,
)
ASSOCIATION = re.compile(
    r"\b(?:associated|linked|correlated|tied|connected)\s+(?:with|to)\s+(?:[\w’'-]+\s+){0,2}$",
    FLAGS,
)
ANIMAL_WORDS = re.compile(
    r"\b(?:mice|mouse|rats?|rodents?|animals?|primates?|monkeys?|zebrafish|cells?|in vitro|"
    r"pre-?clinical|lab(?:oratory)? studies)\b",
    FLAGS,
)
ABSOLUTE_NUMBERS = re.compile(
    r"\bn\s?=\s?\d|"
    r"\b\d[\d,]*\s+(?:patients|participants|people|adults|children|subjects|volunteers|women|"
    r"men|veterans|individuals)\b|"
    r"\b\d+\s+(?:in|of|out of)\s+(?:every\s+)?\d[\d,]*\b|"
    r"\bfrom\s+\d+(?:\.\d+)?\s?%\s+to\s+\d+(?:\.\d+)?\s?%|"
    r"\b(?:absolute|percentage points?|number needed to treat|NNT)\b",
    FLAGS,
)
NEARBY = 200  # characters either side of a relative effect where its absolute numbers may be


@dataclass(frozen=True)
class Backing:
    """What a claim's evidence is made of: the kinds of the sources that back it (support or
    qualify it) and the verdict's certainty."""

    kinds: frozenset = frozenset()
    certainty: str = ""

    @property
    def studies(self):
        return self.kinds & STUDY_KINDS


@dataclass(frozen=True)
class Hint:
    rule: "Rule"
    start: int
    end: int
    text: str
    field: str = "text"  # "quote" or "statement" for a claim's hints

    @property
    def explanation(self):
        return self.rule.explanation

    def as_json(self):
        return {
            "rule": self.rule.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Rule:
    """One rule: id, name and a public definition; an explanation for the reviewer; the pattern
    its words match; stems, lower-case pieces of text one of which every match of the pattern
    holds, for the database to find candidates with (a LIKE per stem: see MentionsAny); and,
    for an evidence rule, what the evidence must be for it to fire, both in Python (fires_on)
    and in SQL (narrow: a queryset's claims it may fire on)."""

    id: str
    name: str
    definition: str
    explanation: str
    pattern: re.Pattern
    stems: tuple
    fires_on: Callable[[Backing], bool] | None = None
    narrow: Callable | None = None
    negatable: bool = False
    keep: Callable[[str, re.Match], bool] = field(default=lambda text, match: True)

    @property
    def reads_evidence(self):
        return self.fires_on is not None

    def find(self, text, backing=None, field="text"):
        """The hints in text: none from an evidence rule without backing (a draft's text)."""
        if self.reads_evidence and (backing is None or not self.fires_on(backing)):
            return []
        hints = []
        for match in self.pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if self.negatable and NEGATION.search(before):
                continue
            if not self.keep(text, match):
                continue
            hints.append(Hint(self, match.start(), match.end(), match.group(), field))
        return hints


def words(*alternatives):
    """A whole-word, any-case pattern of these alternatives (each a regex)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", FLAGS)


def backed_by(kinds):
    """Evidence of these kinds backing the outer claim: a subquery for Exists()."""
    return Evidence.objects.filter(claim=OuterRef("pk"), citation__kind__in=kinds).exclude(
        stance=Stance.CONTRADICTS
    )


def only_studies_of(kinds):
    """ "The studies backing the claim are all of these kinds, and there is one", as a Rule's
    fires_on (in Python, on a Backing) and narrow (in SQL, on a queryset of claims)."""
    others = STUDY_KINDS - kinds
    return {
        "fires_on": lambda backing: bool(backing.studies) and backing.studies <= kinds,
        "narrow": lambda claims: claims.filter(Exists(backed_by(kinds))).exclude(
            Exists(backed_by(others))
        ),
    }


def not_after_association(text, match):
    return not ASSOCIATION.search(text[max(0, match.start() - 50) : match.start()])


def says_nothing_of_animals(text, match):
    return not ANIMAL_WORDS.search(text)


def no_absolute_numbers_nearby(text, match):
    window = text[max(0, match.start() - NEARBY) : match.end() + NEARBY]
    return not ABSOLUTE_NUMBERS.search(window)


HYPE = Rule(
    id="hype",
    name="Hype word",
    definition="A word that sells rather than describes: cure, miracle, breakthrough, "
    "game-changer, revolutionary, transformative, groundbreaking, life-changing, wonder drug, "
    "magic or silver bullet, holy grail, new era, paradigm or radical shift, new hope, "
    "unprecedented, rewires, reshapes.",
    explanation="Hype words promise more than a study can show; HealthNewsReview.org's novelty "
    "and benefit criteria ask what is really new and how much it helps. Check that the evidence "
    "carries the word, or that the claim is rated on what it actually says.",
    pattern=words(
        r"cur(?:e|es|ed)",
        r"miracles?",
        r"miraculous(?:ly)?",
        r"breakthroughs?",
        r"game[- ]?chang(?:er|ers|ing)",
        r"revolution(?:ary|i[sz](?:e|es|ed|ing))",
        r"transformative",
        r"transformational",
        r"transform(?:s|ed|ing)?",
        r"ground-?breaking",
        r"life[- ]changing",
        r"wonder[- ]drugs?",
        r"(?:magic|silver) bullets?",
        r"holy grail",
        r"new era",
        r"paradigm shift",
        r"radical shift",
        r"new hope",
        r"unprecedented",
        r"rewir(?:e|es|ed|ing)",
        r"reshap(?:e|es|ed|ing)",
    ),
    stems=(
        *("cure", "miracl", "breakthrough", "changer", "changing", "revolution", "transform"),
        *("breaking", "wonder", "bullet", "grail", "new era", "paradigm", "radical shift"),
        *("new hope", "unprecedented", "rewir", "reshap"),
    ),
    negatable=True,
)

CERTAINTY = Rule(
    id="certainty",
    name="Certainty word",
    definition="Wording that leaves no room for doubt: proves, proven, guaranteed, always, "
    "never fails, definitely, undeniable, conclusively, cannot be overstated, without a doubt, "
    "completely or 100% safe, risk-free, no side effects, works for everyone, 100%.",
    explanation="Evidence in medicine is a matter of degree; HealthNewsReview.org's evidence "
    "criterion asks a story to say how strong it is. Check that the certainty of the evidence "
    "(GRADE) matches words that admit no exception.",
    pattern=words(
        r"prov(?:e|es|ed|en)",
        r"proof that",
        r"guarantee(?:s|d)?",
        r"always",
        r"never fails",
        r"definitely",
        r"certainly",
        r"undeniabl[ey]",
        r"indisputabl[ey]",
        r"conclusively",
        r"cannot be overstated",
        r"without (?:a|any) doubt",
        r"(?:completely|totally|perfectly|entirely|100\s?%|100 per ?cent) safe",
        r"risk-free",
        r"(?:no|without(?: any)?) side[- ]effects",
        r"works for everyone",
        r"100\s?%",
        r"100 per ?cent",
    ),
    stems=(
        *("prove", "proof", "guarantee", "always", "never fails", "definitely", "certainly"),
        *("undeniabl", "indisputabl", "conclusively", "overstated", "doubt", "ly safe"),
        *("risk-free", "no side", "without side", "without any side", "for everyone", "100"),
    ),
    negatable=True,
)

CAUSAL = Rule(
    id="causal-from-observational",
    name="Causal wording, observational evidence",
    definition="A causal verb (causes, prevents, reverses, boosts, triggers, leads to, "
    "increases, reduces, improves, facilitates, determines...) in a claim whose backing studies "
    "are all observational studies or case reports.",
    explanation="Observational studies show that things go together, not that one causes the "
    f"other; causal claims drawn from correlational results were one of the three exaggerations "
    f"{SUMNER} traced from press releases into the news. Check whether a trial backs the cause, "
    "or rate the claim as worded.",
    pattern=words(
        r"caus(?:e|es|ed|ing)",
        r"prevent(?:s|ed|ing)?",
        r"revers(?:e|es|ed|ing)",
        r"boost(?:s|ed|ing)?",
        r"trigger(?:s|ed|ing)?",
        r"(?:leads?|led) to",
        r"results? in",
        r"increas(?:e|es|ed|ing)",
        r"decreas(?:e|es|ed|ing)",
        r"reduc(?:e|es|ed|ing)",
        r"lower(?:s|ed|ing)",
        r"rais(?:e|es|ed|ing)",
        r"improv(?:e|es|ed|ing)",
        r"enhanc(?:e|es|ed|ing)",
        r"produc(?:e|es|ed|ing)",
        r"driv(?:e|es|ing)",
        r"drove",
        r"protects? against",
        r"facilitat(?:e|es|ed|ing)",
        r"determin(?:e|es|ed|ing)",
        r"heal(?:s|ed|ing)?",
        r"repair(?:s|ed|ing)?",
    ),
    stems=(
        *("caus", "prevent", "revers", "boost", "trigger", "lead", "led to", "result"),
        *("increas", "decreas", "reduc", "lower", "rais", "improv", "enhanc", "produc", "driv"),
        *("drove", "protect", "facilitat", "determin", "heal", "repair"),
    ),
    **only_studies_of(OBSERVATIONAL_KINDS),
    keep=not_after_association,
)

ANIMAL = Rule(
    id="animal-to-human",
    name="Human benefit, animal or cell evidence",
    definition="Words about people or a benefit to them (patients, people, you, depression, "
    "relief, treats, helps, recovery...) in a claim whose backing studies are all "
    "preclinical (animal or cell studies), when the claim does not say so (mice, rats, cells...).",
    explanation="What works in mice or in a dish often fails in people; inferring effects in "
    f"humans from animal research was one of the three exaggerations in {SUMNER}. Check whether "
    "any human study backs the claim, or whether it should say it was shown in animals.",
    pattern=words(
        r"people",
        r"persons?",
        r"patients?",
        r"humans?",
        r"individuals",
        r"adults",
        r"children",
        r"you",
        r"your",
        r"depression",
        r"depressive",
        r"depressed",
        r"anxiety",
        r"PTSD",
        r"addiction",
        r"pain",
        r"mood",
        r"relief",
        r"reliev(?:e|es|ed|ing)",
        r"treat(?:s|ed|ing|ment|ments)?",
        r"therap(?:y|ies|eutic)",
        r"heal(?:s|ed|ing)?",
        r"help(?:s|ed|ing)?",
        r"recover(?:y|s|ed)?",
        r"repair(?:s|ed|ing)?",
        r"mind",
        r"mental health",
        r"antidepressant",
    ),
    stems=(
        *("people", "person", "patient", "human", "individual", "adult", "children", "you"),
        *("depress", "anxiety", "ptsd", "addiction", "pain", "mood", "relie", "treat", "therap"),
        *("heal", "help", "recover", "repair", "mind", "mental health"),
    ),
    **only_studies_of(PRECLINICAL_KINDS),
    keep=says_nothing_of_animals,
)

RELATIVE = Rule(
    id="relative-without-absolute",
    name="Relative effect without absolute numbers",
    definition="A relative effect (50% more, twice as, three-fold, halves, doubles, by 40%) "
    f"with no absolute numbers or sample size within {NEARBY} characters (n=, 30 patients, "
    "3 in 10, from 20% to 30%, percentage points, number needed to treat).",
    explanation='A relative effect alone cannot be weighed: "halves the risk" may mean 2 in '
    "100 becoming 1 in 100. HealthNewsReview.org's first question is whether a story quantifies "
    "the benefit in absolute terms. Check the absolute numbers and the size of the study.",
    pattern=re.compile(
        r"\b\d+(?:\.\d+)?\s?(?:%|percent|per cent)\s+(?:more|less|fewer|higher|lower|greater|"
        r"better|faster|reduction|increase|drop|rise|improvement)\b|"
        r"\b(?:twice|(?:two|three|four|five|ten|\d+)\s+times)\s+(?:as|more|less|higher|lower|"
        r"likelier)\b|"
        r"\b(?:\d+(?:\.\d+)?|two|three|four|five|ten)-?fold\b|"
        r"\b(?:halv(?:es|ed|ing)|doubl(?:es|ed|ing)|tripl(?:es|ed|ing))\b|"
        r"\bby\s+(?:as much as\s+|up to\s+)?\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)",
        FLAGS,
    ),
    stems=("%", "percent", "per cent", "twice", "times", "fold", "halv", "doubl", "tripl"),
    keep=no_absolute_numbers_nearby,
)

TIME = Rule(
    id="time-to-effect",
    name="Promise of time to effect",
    definition="A promise of how soon it works: within hours (minutes, days, a week), in 24 "
    "hours, in as little as a day, overnight, immediately, instant, instantaneous, right away.",
    explanation="How fast a treatment works varies between people and between studies, and a "
    "promise of speed raises expectations the evidence may not meet (HealthNewsReview.org's "
    "benefits criterion). Check that the time stated is what the trials measured, and for how "
    "many patients.",
    pattern=words(
        r"within\s+(?:(?:a|an|one|two|three|a few|few|\d+|twenty-four)\s+)?"
        r"(?:minutes?|hours?|days?|weeks?)",
        r"in\s+(?:(?:just|only|as little as|under|less than)\s+)?"
        r"(?:a|an|one|two|three|a few|\d+|twenty-four)\s+(?:minutes?|hours?|days?)",
        r"overnight",
        r"immediate(?:ly)?",
        r"instant(?:ly|aneous|aneously)?",
        r"right away",
        r"straight away",
        r"in no time",
    ),
    stems=(
        *("within", "minute", "hour", "day", "overnight", "immediate", "instant"),
        *("right away", "straight away", "no time"),
    ),
    negatable=True,
)

ADVICE = Rule(
    id="advice-outruns-evidence",
    name="Advice beyond the evidence",
    definition="Advice to the reader (should, ought to, you need to, you must, ask or talk to "
    "your doctor, consider trying, is recommended, don't wait, worth trying) in a claim whose "
    "verdict has low or very low certainty, or with no trial or systematic review behind it.",
    explanation="Advice tells readers to act, so it needs the strongest evidence; advice more "
    f"direct or explicit than the research was the commonest exaggeration in {SUMNER}. Check "
    "that trials or a systematic review back the advice, at a certainty that justifies it.",
    pattern=words(
        r"should",
        r"ought to",
        r"you need to",
        r"you must",
        r"(?:ask|talk to|speak to|see) your (?:doctor|physician|psychiatrist|GP)(?: about)?",
        r"consider (?:trying|asking)",
        r"(?:is|are|it is) recommended",
        r"it is advisable",
        r"don[’']t wait",
        r"do not wait",
        r"worth trying",
    ),
    stems=(
        *("should", "ought to", "you need to", "you must", "your doctor", "your physician"),
        *("your psychiatrist", "your gp", "consider trying", "consider asking", "recommended"),
        *("advisable", "wait", "worth trying"),
    ),
    fires_on=lambda backing: backing.certainty in LOW_CERTAINTY or not backing.kinds & TRIAL_KINDS,
    narrow=lambda claims: claims.filter(
        Q(certainty__in=LOW_CERTAINTY) | ~Exists(backed_by(TRIAL_KINDS))
    ),
)

RULES = [HYPE, CERTAINTY, CAUSAL, ANIMAL, RELATIVE, TIME, ADVICE]
RULES_BY_ID = {rule.id: rule for rule in RULES}
TEXT_RULES = [rule for rule in RULES if not rule.reads_evidence]


def lint(text, rules=TEXT_RULES):
    """The hints in a draft's text (the text rules: a draft has no evidence), in text order."""
    hints = [hint for rule in rules for hint in rule.find(text)]
    return sorted(hints, key=lambda hint: (hint.start, hint.end, RULES.index(hint.rule)))


def claim_hints(claim, backing=None, rules=RULES):
    """The hints of a claim's quote and statement, read with its evidence. Without backing,
    its evidence is read (one query)."""
    if backing is None:
        backing = backing_of([claim.pk], {claim.pk: claim.certainty})[claim.pk]
    return [
        hint
        for name in ("quote", "statement")
        for rule in rules
        for hint in rule.find(getattr(claim, name), backing, field=name)
    ]


def backing_of(pks, certainties):
    """{claim pk: Backing} for these claims (one query); certainties is {pk: certainty}."""
    kinds = defaultdict(set)
    rows = (
        Evidence.objects.filter(claim_id__in=pks)
        .exclude(stance=Stance.CONTRADICTS)
        .values_list("claim_id", "citation__kind")
    )
    for pk, kind in rows:
        kinds[pk].add(kind)
    return {pk: Backing(frozenset(kinds[pk]), certainties.get(pk) or "") for pk in pks}


# The admin's "Spin hint" filter looks at no more candidates than this (the newest first): at
# 100,000 claims like the seed claims the widest rule has some 9,000 (see the README).
CANDIDATE_LIMIT = 10_000


class MentionsAny(Func):
    """True where a lower-case text holds any of these stems. On PostgreSQL one
    `LIKE ANY(array)`, which computes the text once a row; elsewhere a LIKE per stem. Not a
    regex: PostgreSQL's took seven times as long as LIKE over 100,000 claims (see the README)."""

    output_field = BooleanField()

    def __init__(self, expression, stems):
        super().__init__(expression)
        self.patterns = [f"%{escape_like(stem)}%" for stem in stems]

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({sql}) LIKE ANY(%s)", [*params, self.patterns]
        likes = " OR ".join(f"({sql}) LIKE %s ESCAPE '\\'" for _ in self.patterns)
        return f"({likes})", [p for pattern in self.patterns for p in (*params, pattern)]


def escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def spin_text():
    """What the stems are looked for in: a claim's quote and statement, in lower case."""
    return Lower(Concat("quote", Value(" "), "statement", output_field=TextField()))


def claims_with_hint(claims, rule, limit=CANDIDATE_LIMIT):
    """(pks, complete): the primary keys of the claims (a queryset) that get a hint from rule,
    and whether every candidate was read (False: only the newest limit of them were).

    The database first narrows them to candidates: a quote or statement holding one of the
    rule's stems (MentionsAny) and, for an evidence rule, evidence of the kinds it needs
    (rule.narrow). Python then runs the rule itself over at most limit candidates, newest
    first: two queries, whatever the size of the table."""
    candidates = claims.filter(MentionsAny(spin_text(), rule.stems))
    if rule.narrow is not None:
        candidates = rule.narrow(candidates)
    rows = list(
        candidates.order_by("-pk").values_list("pk", "quote", "statement", "certainty")[: limit + 1]
    )
    complete = len(rows) <= limit
    rows = rows[:limit]
    backings = {}
    if rule.reads_evidence:
        backings = backing_of([row[0] for row in rows], {row[0]: row[3] for row in rows})
    pks = [
        pk
        for pk, quote, statement, _ in rows
        if rule.find(quote, backings.get(pk)) or rule.find(statement, backings.get(pk))
    ]
    return pks, complete


@dataclass
class Rates:
    """How many claims of each verdict get at least one hint (hint_rates)."""

    flagged: dict = field(default_factory=lambda: defaultdict(int))
    total: dict = field(default_factory=lambda: defaultdict(int))
    by_rule: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def share(self, statuses):
        total = sum(self.total[s] for s in statuses)
        hit = sum(self.flagged[s] for s in statuses)
        return hit, total

    @staticmethod
    def percent(hit, total):
        return f"{100 * hit / total:.0f}%" if total else "n/a"


OVERSTATED_OR_UNSUPPORTED = (Status.OVERSTATED, Status.UNSUPPORTED)
SUPPORTED = (Status.SUPPORTED,)


def hint_rates(claims=None):
    """Count, verdict by verdict, the claims with at least one hint (and by rule): the figures
    the README gives for the seed claims (the spin_rates command prints them). Reads every
    claim given, in three queries: meant for the seed claims, not for 100,000."""
    claims = Claim.objects.all() if claims is None else claims
    rows = list(
        claims.order_by("pk").values_list("pk", "quote", "statement", "certainty", "status")
    )
    backings = backing_of([row[0] for row in rows], {row[0]: row[3] for row in rows})
    rates = Rates()
    for pk, quote, statement, _, status in rows:
        rules = {
            rule.id
            for rule in RULES
            for text in (quote, statement)
            if rule.find(text, backings[pk])
        }
        rates.total[status] += 1
        rates.flagged[status] += bool(rules)
        for rule_id in rules:
            rates.by_rule[rule_id][status] += 1
    return rates


def backing_from(evidence, certainty):
    """The Backing of a claim whose evidence (with citations) is already in hand: no query."""
    kinds = {item.citation.kind for item in evidence if item.stance != Stance.CONTRADICTS}
    return Backing(frozenset(kinds), certainty or "")


def grouped(hints):
    """[(rule, [its hints])] in the order of RULES, for showing each rule once with the words
    it matched."""
    by_rule = defaultdict(list)
    for hint in hints:
        by_rule[hint.rule].append(hint)
    return [(rule, by_rule[rule]) for rule in RULES if rule in by_rule]
