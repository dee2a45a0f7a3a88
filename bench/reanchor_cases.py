"""How claims fare when their article is corrected: re-anchoring every seed claim after edits.

Each edit is applied to the text of one seed article around one of its claims (or to the whole
article), then every claim of that article is looked for again with find_quote(), as the site
would after a correction. The script made the edit, so it knows where each passage now stands
(or that it is gone) and can grade every answer:

  same     exact, at its old offsets          fuzzy ok    fuzzy, exactly the edited passage
  moved    exact, at its new offsets          fuzzy near  fuzzy, overlapping it, other bounds
  gone     detached, and the passage is gone  lost        detached, though the passage is there
  WRONG    anchored where the passage is not (or anchored when it is gone): must stay 0

  skipped  not graded: the edit cut the passage in part, so where it now is is a matter of taste

The edits, made around each claim in turn: an editor's note inserted as a paragraph above the
quote's; a sentence inserted just before the quote's sentence; one word of the quote corrected
(the one nearest its middle in CORRECTIONS, say "can" to "may", or else "also " inserted); the
quote's last word made plural or singular; a typo fixed (the claim was quoted from a text with
two letters swapped); the quote's paragraph (line) removed; the quote's sentence repeated in a
summary at the top; and, as a crude stress, a fifth of the quote's words replaced by other words
of the article. Once per article: no change; straight quotes curled. One edit at a time, so
the quote's surroundings mostly survive: a correction that also rewrites them is harder than
anything here.

The first table counts the claims an edit was made around (and any other claim whose passage it
changed or removed), the second every other claim of the article. Then the time for a
20,000-character article whose 50 quotes were all edited. No Django needed:

    .venv/bin/python bench/reanchor_cases.py
"""

import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimtrack.claims.anchoring import context_of, find_quote  # noqa: E402

NOTE = "Editor’s note: this article was updated in March 2025 to reflect new research.\n\n"
HEDGE = "Experts urge caution. "
# Corrections a publisher makes to a health claim's wording.
CORRECTIONS = {
    "hours": "a few hours",
    "can": "may",
    "may": "might",
    "shown": "suggested",
    "often": "sometimes",
    "significant": "modest",
    "rapid": "fast",
    "help": "aid",
    "studies": "trials",
    "patients": "people",
    "individuals": "people",
    "typically": "usually",
    "particularly": "especially",
    "primarily": "mainly",
    "essential": "important",
    "potential": "possible",
    "symptoms": "signs",
    "effects": "effect",
    "treatment": "therapy",
    "several": "many",
    "decades": "years",
    "promote": "support",
    "profound": "marked",
}
GONE, UNKNOWN = "gone", "unknown"
COLUMNS = ["same", "moved", "fuzzy ok", "fuzzy near", "gone", "lost", "WRONG", "skipped"]


def seed_articles():
    for path in sorted((ROOT / "fixtures").glob("article_*.json")):
        rows = json.loads(path.read_text())
        [text] = [row["fields"]["text"] for row in rows if row["model"] == "claims.article"]
        quotes = [row["fields"]["quote"] for row in rows if row["model"] == "claims.claim"]
        spans = [(text.find(quote), text.find(quote) + len(quote)) for quote in quotes]
        assert all(start >= 0 for start, _ in spans), path
        yield text, spans


def paragraph_of(text, start, end):
    """The line(s) holding text[start:end]: some seed articles put a blank line between
    paragraphs, some not, and a list item is a line of its own."""
    after = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, (len(text) if after < 0 else after)


def sentence_of(text, start, end):
    breaks = list(re.finditer(r"[.!?:][\"”’)]?\s+|\n[\s•]*", text[:start]))
    first = breaks[-1].end() if breaks else 0
    last = re.search(r"[.!?](?=\s|$)|\n", text[end - 1 :])
    return first, (end - 1 + last.end() if last else len(text))


def middle_word(text, start, end, pattern):
    words = list(re.finditer(pattern, text[start:end]))
    if not words:
        return None
    middle = (end - start) / 2
    word = min(words, key=lambda w: abs((w.start() + w.end()) / 2 - middle))
    return start + word.start(), start + word.end()


# Each edit kind takes the text and one claim's span and returns (old_text, changes): the text
# the claims were anchored in, and sorted, non-overlapping (start, end, replacement) on it.


def paragraph_above(text, start, end):
    first, _ = paragraph_of(text, start, end)
    return text, [(first, first, NOTE)]


def sentence_before(text, start, end):
    first, _ = sentence_of(text, start, end)
    return text, [(first, first, HEDGE)]


def word_changed(text, start, end):
    """The word nearest the quote's middle that has a correction, else "also " inserted."""
    word = middle_word(text, start, end, r"\b(?:" + "|".join(CORRECTIONS) + r")\b")
    if word is None:
        word = middle_word(text, start, end, r"\b[A-Za-z]{3,}\b")
        return text, [(word[0], word[0], "also ")]
    return text, [(word[0], word[1], CORRECTIONS[text[word[0] : word[1]]])]


def last_word_changed(text, start, end):
    """The quote's last word made plural or singular ("disorder" now "disorders")."""
    words = list(re.finditer(r"[A-Za-z]{3,}", text[start:end]))
    a, b = start + words[-1].start(), start + words[-1].end()
    word = text[a:b]
    return text, [(a, b, word[:-1] if word.endswith("s") else word + "s")]


def fifth_replaced(text, start, end):
    """A crude stress, not a real correction: a fifth of the quote's words (at least one)
    replaced by words drawn from elsewhere in the article, the same draw on every run."""
    rng = random.Random(start)
    words = list(re.finditer(r"[A-Za-z]+", text[start:end]))
    vocabulary = sorted(set(re.findall(r"[a-z]{3,}", text)))
    picked = sorted(rng.sample(words, max(1, round(len(words) / 5))), key=lambda w: w.start())
    return text, [(start + w.start(), start + w.end(), rng.choice(vocabulary)) for w in picked]


def typo_fixed(text, start, end):
    """The claim was quoted from a text with two letters swapped; the correction swaps them
    back (the stored quote has the typo)."""
    word = middle_word(text, start, end, r"[A-Za-z]{5,}") or middle_word(text, start, end, r"\w+")
    # Two different letters, or the swap would change nothing.
    i = next(i for i in range(word[0], word[1] - 1) if text[i] != text[i + 1])
    swapped = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return swapped, [(i, i + 2, text[i : i + 2])]


def paragraph_removed(text, start, end):
    first, last = paragraph_of(text, start, end)
    return text, [(first, min(last + 1, len(text)), "")]


def quote_repeated(text, start, end):
    """The quote's sentence repeated in a summary at the top, after the title."""
    first, last = sentence_of(text, start, end)
    top = text.find("\n") + 1
    return text, [(top, top, f"In short: {text[first:last]}\n\n")]


def unchanged(text):
    return text, []


def quotes_curled(text):
    """House style: straight quotes become typographic ones throughout."""
    changes, opening = [], True
    for match in re.finditer("['\"]", text):
        if match.group() == "'":
            changes.append((match.start(), match.end(), "’"))
        else:
            changes.append((match.start(), match.end(), "“" if opening else "”"))
            opening = not opening
    return text, changes


PER_CLAIM = [
    ("paragraph inserted above", paragraph_above),
    ("sentence inserted before", sentence_before),
    ("word changed in quote", word_changed),
    ("last word of quote changed", last_word_changed),
    ("typo fixed in quote", typo_fixed),
    ("a fifth of words replaced", fifth_replaced),
    ("paragraph removed", paragraph_removed),
    ("sentence repeated at top", quote_repeated),
]
PER_ARTICLE = [("unchanged", unchanged), ("straight quotes curled", quotes_curled)]


def apply(text, changes):
    pieces, at = [], 0
    for start, end, replacement in changes:
        pieces += [text[at:start], replacement]
        at = end
    return "".join(pieces) + text[at:]


def expected_span(start, end, changes):
    """Where old text[start:end] stands after the changes: GONE if deleted, UNKNOWN if cut."""
    shift = grow = 0
    for a, b, replacement in changes:
        delta = len(replacement) - (b - a)
        # An insertion right at the quote's start goes before it, one at its end after it.
        if (b <= start and a < b) or (a == b <= start):
            shift += delta
        elif a >= end:
            break
        elif start <= a and b <= end:
            grow += delta
        elif a <= start and end <= b:
            return GONE
        else:
            return UNKNOWN
    return start + shift, end + shift + grow


def grade(anchor, old_start, expected):
    if anchor is None:
        return "gone" if expected == GONE else "lost"
    if expected == GONE:
        return "WRONG"
    span = (anchor.start, anchor.end)
    if anchor.exact:
        if span != expected:
            return "WRONG"
        return "same" if anchor.start == old_start else "moved"
    if span == expected:
        return "fuzzy ok"
    if anchor.start < expected[1] and expected[0] < anchor.end:
        return "fuzzy near"
    return "WRONG"


def run(old_text, spans, target, changes, touched, untouched, problems, kind):
    """Re-anchor every claim after the changes; returns find_quote's calls and seconds."""
    new_text = apply(old_text, changes)
    calls, spent = 0, 0.0
    for start, end in spans:
        quote = old_text[start:end]
        prefix, suffix = context_of(old_text, start, end)
        expected = expected_span(start, end, changes)
        if expected == UNKNOWN:
            touched["skipped"] += 1
            continue
        began = time.perf_counter()
        anchor = find_quote(new_text, quote, old_start=start, prefix=prefix, suffix=suffix)
        spent += time.perf_counter() - began
        calls += 1
        outcome = grade(anchor, start, expected)
        edited = expected == GONE or new_text[expected[0] : expected[1]] != quote
        (touched if edited or (start, end) == target else untouched)[outcome] += 1
        if outcome in ("WRONG", "fuzzy near", "lost"):
            found = anchor.quote if anchor else None
            want = new_text[expected[0] : expected[1]] if expected != GONE else GONE
            problems.append(f"{kind}: {outcome}: {quote!r}\n    want {want!r}\n    got  {found!r}")
    return calls, spent


def table(title, counts):
    print(f"\n{title}")
    print(f"{'edit':28}{'claims':>7}" + "".join(f"{column:>11}" for column in COLUMNS))
    for kind, counter in counts.items():
        cells = "".join(f"{counter[column]:>11}" for column in COLUMNS)
        print(f"{kind:28}{sum(counter.values()):>7}{cells}")
    total = sum(counts.values(), Counter())
    cells = "".join(f"{total[column]:>11}" for column in COLUMNS)
    print(f"{'all':28}{sum(total.values()):>7}{cells}")


def worst_case(articles):
    """A 20,000-character article with 50 claims, a word changed in every quote: every claim
    takes the slow, fuzzy path."""
    text, spans, offset = "", [], 0
    for article_text, article_spans in articles:
        spans += [(start + offset, end + offset) for start, end in article_spans]
        text += article_text + "\n\n"
        offset = len(text)
        if len(text) >= 20_000:
            break
    text = text[:20_000]
    spans = [span for span in spans if span[1] <= len(text)]
    spans = [span for i, span in enumerate(spans) if i % max(1, len(spans) // 50) == 0][:50]
    # Quotes overlap in places; change the words of non-overlapping ones only, once each.
    changes, last = [], -1
    for start, end in spans:
        if start > last:
            _, [change] = word_changed(text, start, end)
            changes.append(change)
            last = end
    new_text = apply(text, changes)
    began = time.perf_counter()
    anchors = [
        find_quote(new_text, text[s:e], old_start=s, prefix=p, suffix=x)
        for s, e in spans
        for p, x in [context_of(text, s, e)]
    ]
    spent = time.perf_counter() - began
    fuzzy = sum(1 for anchor in anchors if anchor and not anchor.exact)
    print(
        f"\nWorst case: {len(text):,} characters, {len(spans)} claims, {len(changes)} quotes "
        f"edited: {fuzzy} fuzzy proposals, {sum(a is None for a in anchors)} detached, "
        f"{spent * 1000:.0f} ms"
    )


def main():
    began = time.perf_counter()
    articles = list(seed_articles())
    touched, untouched, problems = {}, {}, []
    calls, spent = 0, 0.0
    for kind, edit in PER_ARTICLE + PER_CLAIM:
        touched[kind], untouched[kind] = Counter(), Counter()
        for text, spans in articles:
            targets = [None] if (kind, edit) in PER_ARTICLE else spans
            for target in targets:
                old_text, changes = edit(text) if target is None else edit(text, *target)
                made, took = run(
                    old_text, spans, target, changes, touched[kind], untouched[kind], problems, kind
                )
                calls, spent = calls + made, spent + took
    claims = sum(len(spans) for _, spans in articles)
    print(f"{claims} claims in {len(articles)} seed articles; each edit is made around each claim")
    print("in turn (or once per article), then every claim of the article is re-anchored.")
    table("The claims each edit touched:", {k: c for k, c in touched.items() if c})
    table("The other claims of the article:", untouched)
    if problems:
        print("\nNot exactly right:")
        print("\n".join(problems))
    worst_case(articles)
    print(
        f"\n{calls:,} find_quote calls: {spent:.2f} s in find_quote, "
        f"{time.perf_counter() - began:.2f} s in all"
    )


if __name__ == "__main__":
    main()
