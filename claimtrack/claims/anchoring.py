"""Finding a claim's quote again after its article's text was corrected.

A claim remembers its verbatim quote, where it stood, and a little of the text around it (the
prefix and suffix of a W3C Web Annotation TextQuoteSelector). find_quote() looks for the quote
in the new text: exactly if it is still there, else the most similar passage, which an editor
must confirm. None means the passage is gone. Pure functions: no models, no queries.
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

from .text import fold_typography

# Enough to tell apart two copies of a sentence by what surrounds them, short enough that an
# edit nearby rarely reaches it.
CONTEXT_CHARS = 32

# fuzz.ratio (0-100) of the stored quote against a proposed passage. A passage this close is
# the quote with a typo or its punctuation fixed (two letters swapped in a 16-character quote
# score 94), so it is proposed wherever it now stands. The closest other sentence in the seed
# articles scores 85: their conclusions restate their introductions.
NEAR_VERBATIM = 90
# Less close, a word or two changed (85-98 in a sentence, about 80 in a three-word quote), it
# is proposed only where the quote's surroundings are too (CONTEXT_AGREES), which no such
# other sentence in the seed articles is. Below MIN_SCORE the passage was rewritten, not
# corrected (a sentence rewritten in place scores about 65): the claim must be read again.
MIN_SCORE = 75
# Two cuts of a passage whose fuzz.ratio differ by less than what this many extra characters
# cost are as good as each other: about one short word ("also "), far less than a sentence
# inserted before the quote ("Experts urge caution. "), which must stay out of the passage.
NEARLY_CHARS = 6
# _context_score() out of 200: at least one side of the quote, or half of each, is unchanged.
CONTEXT_AGREES = 100


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in the new text. quote is text[start:end]: the quote itself when
    exact, else the proposed passage, scored 0-100 against the stored quote."""

    start: int
    end: int
    quote: str
    exact: bool
    score: float


def context_of(text, start, end):
    """The prefix and suffix around text[start:end], to store beside the quote."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def find_quote(text, quote, *, old_start=0, prefix="", suffix=""):
    """The quote's Anchor in text, or None when the passage is gone.

    prefix and suffix are what context_of() gave in the old text. Among exact occurrences, the
    one whose surroundings best match them, then the one nearest old_start. Failing that, the
    most similar passage, if similar enough (see MIN_SCORE)."""
    if not quote:
        return None
    starts = [
        start
        for start in _occurrences(text, quote)
        if not _cuts_word(text, start, start + len(quote), prefix, quote, suffix)
    ]
    if not starts:
        return _closest_passage(text, quote, old_start, prefix, suffix)
    start = max(
        starts,
        key=lambda s: (
            _context_score(text, s, s + len(quote), prefix, suffix),
            -abs(s - old_start),
        ),
    )
    exact = Anchor(start, start + len(quote), quote, exact=True, score=100.0)
    context = _context_score(text, exact.start, exact.end, prefix, suffix)
    if context >= CONTEXT_AGREES:
        return exact
    # Nothing around this occurrence is as it was. A short quote ("bipolar disorder") can stand
    # word for word in another sentence while its own passage was corrected ("disorders"):
    # that corrected passage, elsewhere and where the surroundings still are, wins.
    near = _closest_passage(text, quote, old_start, prefix, suffix)
    if (
        near
        and not (near.start < exact.end and exact.start < near.end)
        and _context_score(text, near.start, near.end, prefix, suffix) > context
    ):
        return near
    return exact


def find_exact(text, quote, *, old_start=0, prefix="", suffix=""):
    """Where quote stands verbatim in text, as an exact Anchor, or None. For a quote an editor
    typed, which has no stored context yet, and for one that must not be replaced by a similar
    passage: occurrences that start and end on word boundaries first, then the one whose
    surroundings best match prefix and suffix, then the one nearest old_start."""
    starts = list(_occurrences(text, quote)) if quote else []
    if not starts:
        return None
    start = max(
        starts,
        key=lambda s: (
            not _cuts_word(text, s, s + len(quote), prefix, quote, suffix),
            _context_score(text, s, s + len(quote), prefix, suffix) if prefix or suffix else 0,
            -abs(s - old_start),
        ),
    )
    return Anchor(start, start + len(quote), quote, exact=True, score=100.0)


def _plain(text):
    """text with typographic variants folded and runs of spaces made one, and for each of its
    characters the index of the character of text it came from."""
    chars, origins = [], []
    for index, char in enumerate(fold_typography(text)):
        if char == " " and chars and chars[-1] == " ":
            continue
        chars.append(char)
        origins.append(index)
    return "".join(chars), origins


def find_forgiving(text, quote, *, old_start=0):
    """Where a pasted quote stands in text despite typographic differences (straight or curly
    quotes, dashes, spaces), as an exact Anchor on the article's own characters, or None.
    Nearest old_start when it stands there more than once."""
    plain_text, origins = _plain(text)
    plain_quote = _plain(quote)[0].strip()
    starts = list(_occurrences(plain_text, plain_quote)) if plain_quote else []
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(origins[s] - old_start))
    begin, end = origins[start], origins[start + len(plain_quote) - 1] + 1
    return Anchor(begin, end, text[begin:end], exact=True, score=100.0)


def occurrences(text, quote):
    """Every place quote stands in text, as (start, end) pairs: verbatim where it stands
    verbatim, else despite typographic differences. An editor picks one when there are several."""
    quote = quote.strip()
    found = [(s, s + len(quote)) for s in _occurrences(text, quote)] if quote else []
    if found:
        return found
    plain_text, origins = _plain(text)
    plain_quote = _plain(quote)[0].strip()
    starts = list(_occurrences(plain_text, plain_quote)) if plain_quote else []
    return [(origins[s], origins[s + len(plain_quote) - 1] + 1) for s in starts]


def _occurrences(text, quote):
    start = text.find(quote)
    while start >= 0:
        yield start
        start = text.find(quote, start + 1)


def _mid_word(text, i):
    return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()


def _cuts_word(text, start, end, prefix, quote, suffix):
    """True when text[start:end] starts or ends inside a word the old quote did not cut:
    "bipolar disorder" must not be found inside "bipolar disorders"."""
    cut_before = prefix[-1:].isalnum() and quote[:1].isalnum()
    cut_after = quote[-1:].isalnum() and suffix[:1].isalnum()
    return (_mid_word(text, start) and not cut_before) or (_mid_word(text, end) and not cut_after)


def _context_score(text, start, end, prefix, suffix):
    """0-200: how much of the stored prefix still stands right before start, plus how much of
    the suffix right after end. Counted from the passage outward up to the first difference, so
    that text which merely shares some letters with the context counts for little."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    return _held(prefix[::-1], before[::-1], start == len(prefix)) + _held(
        suffix, after, end + len(suffix) == len(text)
    )


def _held(context, seen, at_edge):
    """Percent of context (read outward from the passage) that seen repeats. A context shorter
    than CONTEXT_CHARS ran into the start or end of the text, which counts as one character
    more, held only if seen reaches it too: an empty prefix says "the quote opened the text"."""
    held = 0
    for mine, theirs in zip(context, seen, strict=False):
        if mine != theirs:
            break
        held += 1
    if len(context) >= CONTEXT_CHARS:
        return 100 * held / len(context)
    return 100 * (held + (held == len(context) and at_edge)) / (len(context) + 1)


def _closest_passage(text, quote, old_start, prefix, suffix):
    """The passage most similar to the quote, guided by its context and old position."""
    needle = prefix + quote + suffix
    margin = 2 * len(needle)
    near = max(0, old_start - margin)
    # Where the quote's surroundings are (survives a change inside the quote), where the
    # quote's own words are, and the same near its old place (wins a tie between copies).
    guesses = [
        _guess(text, needle, len(prefix), len(quote), 0),
        _guess(text, quote, 0, len(quote), 0),
        _guess(text[near : old_start + margin], quote, 0, len(quote), near),
    ]
    best = None
    for start, end in {_snap(text, quote, prefix, suffix, *guess) for guess in set(guesses)}:
        score = fuzz.ratio(quote, text[start:end])
        context = _context_score(text, start, end, prefix, suffix)
        if score < NEAR_VERBATIM and (score < MIN_SCORE or context < CONTEXT_AGREES):
            continue
        # The quote's own words count most; its surroundings break near ties.
        rank = (2 * score + context / 2, -abs(start - old_start))
        if best is None or rank > best[0]:
            best = rank, Anchor(start, end, text[start:end], exact=False, score=score)
    return best[1] if best else None


def _guess(text, needle, lead, length, offset):
    """Rough start and end of needle[lead:lead + length] where needle best aligns in text."""
    found = fuzz.partial_ratio_alignment(needle, text)
    start = offset + found.dest_start - found.src_start + lead
    return start, start + length


def _snap(text, quote, prefix, suffix, start, end):
    """Move start and end, word boundary by word boundary, to where the passage reads most like
    the quote: the guess may be off by the words the correction added or took away. The
    passage neither starts nor ends inside a word or with a space."""
    slack = len(quote) // 3 + 8
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    for _ in range(2):
        was = start, end
        starts = range(max(0, start - slack), min(end, start + slack + 1))
        spans = [(s, end) for s in starts if not (_mid_word(text, s) or text[s].isspace())]
        start, end = _best_cut(text, quote, prefix, suffix, spans) if spans else (start, end)
        ends = range(max(start + 1, end - slack), min(len(text), end + slack) + 1)
        spans = [(start, e) for e in ends if not (_mid_word(text, e) or text[e - 1].isspace())]
        start, end = _best_cut(text, quote, prefix, suffix, spans) if spans else (start, end)
        if (start, end) == was:
            break
    return start, end


def _best_cut(text, quote, prefix, suffix, spans):
    """The span that reads most like the quote. Similarity alone would rather drop a changed
    word at the edge ("treatment-resistant" now "therapy-resistant") than keep it, so among the
    nearly as similar, the one whose surroundings are the prefix and suffix wins."""
    scores = [fuzz.ratio(quote, text[start:end]) for start, end in spans]
    # fuzz.ratio is 200 * matches / (both lengths): one character more costs about this much.
    nearly = NEARLY_CHARS * 50 / len(quote)
    best = max(scores)
    return max(
        (
            (_context_score(text, *span, prefix, suffix), score, span)
            for span, score in zip(spans, scores, strict=True)
            if score >= best - nearly
        ),
    )[2]
