"""Sentences of an article that look checkable, for an editor marking its claims.

sentences() cuts an article's text into sentences with their offsets in it; candidate_sentences()
keeps those that look like checkable health claims, each with the cues that fired: numbers, a
time to effect, comparisons, causal verbs, health outcomes and harms, how common something is,
facts about a medicine, hype, appeals to research. The cues only point: an editor still decides
what is a claim. Pure functions: no models, no queries.
"""

import re
from typing import NamedTuple


class Sentence(NamedTuple):
    """text[start:end] is the sentence, without its list marker or surrounding spaces. A
    heading is a unit of its own, never marked: a title, not a statement."""

    start: int
    end: int
    heading: bool = False


class Cue(NamedTuple):
    """One cue that fired: its kind (a key of CUES) and where it stands in the text."""

    kind: str
    start: int
    end: int


class Candidate(NamedTuple):
    start: int
    end: int
    cues: tuple[Cue, ...]

    @property
    def kinds(self):
        """The kinds of cue that fired, each once, in the order of CUES."""
        fired = {cue.kind for cue in self.cues}
        return [kind for kind in CUES if kind in fired]


# A bullet or a number opening a list item ("  • ", "3. ", "2) "): not part of its sentence.
LIST_MARKER = re.compile(r"[ \t]*(?:[•▪◦‣·*–—-]|\d{1,2}[.)])[ \t]+")
# A line this short that does not end like a sentence is a heading, a byline or a caption.
# A sentence ends with a full stop, "!" or a colon opening a list; a short question standing
# alone is a heading ("How Long Does Ketamine Last?").
HEADING_WORDS = 12
SENTENCE_END = re.compile(r"[.!:][\"'”’)\]]*$")
# Where a sentence may end: stops, then any closing quotes or brackets, then a space.
STOP = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
# Words whose full stop does not end a sentence. Initials ("J.") and dotted letters ("U.S.",
# "e.g.") are caught by ABBREVIATED below. "in the U.S. The FDA..." is one sentence then: a
# sentence too long costs an editor less than a name cut in two.
ABBREVIATIONS = {
    "al.",
    "approx.",
    "cf.",
    "dr.",
    "e.g.",
    "fig.",
    "i.e.",
    "inc.",
    "jr.",
    "min.",
    "mr.",
    "mrs.",
    "ms.",
    "no.",
    "prof.",
    "sr.",
    "st.",
    "vs.",
}
ABBREVIATED = re.compile(r"[A-Z]\.|(?:[A-Za-z]\.){2,}")
PRECEDING_WORD = re.compile(r"\S*\Z")


def _words(*words):
    """A pattern matching any of the words (or phrases) whole, in any case."""
    return r"\b(?:" + "|".join(words) + r")\b"


# Each kind of cue, as patterns over a sentence (matched ignoring case).
CUES = {
    # Figures: doses, counts, years, percentages ("40,000 patients", "in 2019", "70%").
    "number": _words(
        r"\d+(?:[.,]\d+)*s?",
        r"percent",
        r"(?:hundreds|thousands|millions|tens of millions)",
        r"(?:half|twice|double|triple|single dose|one session|first session)",
    ),
    # How soon, and for how long, an effect comes ("within hours", "24 hours", "fast-acting").
    "time": _words(
        r"within (?:\w+ )?(?:minutes|hours|days|weeks|a day|a week)",
        r"(?:minutes|hours|days|weeks|months)",
        r"(?:rapid|rapidly|rapid-acting|fast|fast-acting|quick|quickly|swift|swiftly)",
        r"(?:immediate|immediately|immediate-acting|instant|instantly|instantaneous)",
        r"(?:onset|long-lasting|lasting|short-lived|transient|temporary|temporarily|permanent)",
    ),
    # Against what ("better than", "compared with", "faster", "unlike", "superior").
    "comparison": _words(
        r"(?:more|less|better|worse|greater|fewer|rather|other) than",
        r"\w+er than",
        r"compared (?:with|to)",
        r"(?:unlike|whereas|superior|inferior|faster|slower|stronger|weaker)",
        r"in contrast",
        r"as opposed to",
        r"(?:sets? it apart|different from|similar to|mimics?|resembles?)",
    ),
    # Something makes something happen ("causes", "reduces", "leads to", "blocks").
    "causal": _words(
        r"(?:caus|reduc|increas|improv|reliev|promot|activat|alleviat|stimulat|facilitat"
        r"|enhanc|revers|produc|decreas|counteract|eas|worsen)(?:e|es|ed|ing)",
        r"(?:trigger|block|help|boost|prevent|treat|affect|target|disrupt|rewire|repair"
        r"|benefit|modulat|manag)(?:s|ed|ing|e|es)?",
        r"(?:lead|leads|leading|led|contribute|contributes|result|results|resulting) (?:to|in)",
        r"(?:works|acts) by",
        r"(?:effective|beneficial|useful|helpful) (?:for|in|against)",
    ),
    # What a reader's health stands to gain or lose.
    "outcome": _words(
        r"(?:depression|depressive|antidepressant|despair|melancholy)",
        r"(?:suicidal|suicide|suicidality|ideation)",
        r"(?:anxiety|anxious|pain|ptsd|trauma|traumatic|stress|ocd|bipolar)",
        r"(?:addiction|cravings?|withdrawal|substance use)",
        r"(?:remission|response|relapse|relief|recovery|symptoms?|mood|disorders?)",
        r"(?:inflammation|neuroplasticity|synaptic|synapses|neurons?|cognitive|cognition)",
    ),
    # Harms: side effects, dependence, damage ("raises blood pressure", "can be addictive").
    "harm": _words(
        r"(?:side effects?|adverse|blood pressure|heart rate|nausea|vomiting|dissociation)",
        r"(?:headaches?|dizziness|disorientation|hallucinations?|bladder|toxicity|overdose)",
        r"(?:addictive|dependence|dependency|abuse|misuse|overuse|impairments?|damage)",
    ),
    # How common or usual ("often", "common side effects", "many patients", "rarely").
    "frequency": _words(
        r"(?:often|usually|typically|commonly|common|frequently|rarely|rare|generally)",
        r"(?:many|most|some|few) (?:patients|people|individuals|users)",
    ),
    # What a drug is, how it acts and how it is given or regulated: facts a source can confirm.
    "medicine": _words(
        r"(?:classified as|known as|used (?:as|for|in)|developed as|mechanism|dissociative)",
        r"(?:anesthetic|anaesthetic|sedative|antagonist|receptors?|neurotransmitters?)",
        r"(?:glutamate|serotonin|dopamine|bdnf|nmda|metabolites?|protein)",
        r"(?:administered|administration|intravenous|intravenously|infusions?|injections?)",
        r"(?:nasal spray|lozenges?|doses?|dosage|supervision|monitored|monitoring)",
        r"(?:off-label|legal|legally|licensed|prescription|controlled substance|recreational)",
        r"(?:insurance|clinics?)",
    ),
    # Words that sell rather than tell.
    "hype": _words(
        r"(?:breakthroughs?|miracle|miraculous|cure|cures|cure-all|proven|revolutionary)",
        r"(?:revolutionize|game-changer|groundbreaking|transformative|transform|remarkable)",
        r"(?:undeniable|unprecedented|landmark|profound|cornerstone)",
    ),
    # Appeals to the literature ("studies show", "research suggests", "a trial", "FDA").
    "research": _words(
        r"(?:study|studies|research|researchers|scientists|trials?|evidence|journal)",
        r"(?:fda|approved|published|found that|shown|demonstrated|tested|proven to)",
    ),
}
CUE_PATTERNS = {kind: re.compile(pattern, re.IGNORECASE) for kind, pattern in CUES.items()}
# A sentence is a candidate when cues of this many kinds fire. One is not enough: nearly every
# sentence of a health article names an outcome, a drug's workings or says what something
# does. On the seed articles (bench/candidate_marking.py), one kind marks three prose
# sentences in four, two kinds about half (catching 82% of the claims), three kinds a quarter
# (catching under half).
MIN_KINDS = 2

# Not claims, whatever cues they carry: questions, advice to the reader, the article
# talking about itself.
NOT_A_CLAIM = re.compile(
    _words(r"if you", r"you (?:can|should|need|may want)", r"for you", r"check out")
    + "|"
    + _words(r"this article", r"we will", r"we'll", r"we’ll", r"let's", r"let’s")
    + r"|\?[\"'”’)]*$",
    re.IGNORECASE,
)


def sentences(text):
    """The sentences of text as Sentences (offsets into text), in order, headings included.

    Paragraphs are separated by blank lines, or by a line break where the next line starts a
    new sentence (some articles put each paragraph on one line). A list item is a paragraph
    of its own, without its marker. A heading is a short line that does not end like a
    sentence: a title, a byline, a date, a caption."""
    found = []
    for start, end in _paragraphs(text):
        marker = LIST_MARKER.match(text, start, end)
        if marker:
            start = marker.end()
        if not marker and _is_heading(text[start:end]):
            found.append(Sentence(start, end, heading=True))
        else:
            found += _split(text, start, end)
    return found


def candidate_sentences(text):
    """The sentences of text that look checkable, as Candidates with the cues that fired."""
    candidates = []
    for start, end, heading in sentences(text):
        if heading or NOT_A_CLAIM.search(text, start, end):
            continue
        fired = tuple(cues(text, start, end))
        if len({cue.kind for cue in fired}) >= MIN_KINDS:
            candidates.append(Candidate(start, end, fired))
    return candidates


def _paragraphs(text):
    """(start, end) of each paragraph, trimmed. A line break joins two lines of one paragraph
    only when the first does not end like a sentence and the second goes on in lower case
    (a hard-wrapped text)."""
    paragraph = None
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        content = line.strip()
        if paragraph and content and _continues(text[paragraph[0] : paragraph[1]], content):
            paragraph = (paragraph[0], end)
            continue
        if paragraph:
            yield _trimmed(text, *paragraph)
        paragraph = (start, end) if content else None
    if paragraph:
        yield _trimmed(text, *paragraph)


def _continues(paragraph, line):
    """Does the line carry on the paragraph above it (a hard-wrapped text)?"""
    return not paragraph.rstrip().endswith((".", "!", "?", ":")) and line[:1].islower()


def _trimmed(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_heading(line):
    """A short line standing alone that does not end with a full stop: a heading ("How Long
    Does Ketamine Last?"), a byline, a date, a caption."""
    return "\n" not in line and len(line.split()) <= HEADING_WORDS and not SENTENCE_END.search(line)


def _split(text, start, end):
    """The sentences of the paragraph text[start:end]."""
    found = []
    for stop in STOP.finditer(text, start, end):
        if _ends_sentence(text, stop.start(), stop.end(), end):
            found.append(_trimmed(text, start, stop.end()))
            start = stop.end()
    found.append(_trimmed(text, start, end))
    return [Sentence(*span) for span in found if span[0] < span[1]]


def _ends_sentence(text, stop, after, end):
    """Does the full stop (or ! or ?) at text[stop] end a sentence?"""
    following = text[after:end].lstrip()
    if following[:1].islower():
        return False  # "e.g. ketamine", "approx. five"
    if text[stop] != ".":
        return True
    # No abbreviation is longer than this: look no further back.
    word = PRECEDING_WORD.search(text, max(0, stop - 20), stop + 1).group().lstrip("(\"'“‘")
    return word.lower() not in ABBREVIATIONS and not ABBREVIATED.fullmatch(word)


def cues(text, start=0, end=None):
    """The Cues that fire in text[start:end], kind by kind in the order of CUES."""
    end = len(text) if end is None else end
    for kind, pattern in CUE_PATTERNS.items():
        for match in pattern.finditer(text, start, end):
            yield Cue(kind, match.start(), match.end())
