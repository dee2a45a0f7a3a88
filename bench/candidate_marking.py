"""How well the desk's candidate sentences point at the claims editors actually made.

For each seed article, the sentences candidate_sentences() marks as checkable are set against
the seed claims' quotes. A quote is caught when its span overlaps a marked sentence. Two
figures matter, and pull against each other:

  caught   the share of claims whose quote is caught (aim: at least 80%)
  marked   the share of the article's sentences that are marked (aim: at most half), of all
           of them (headings, bylines and captions are units too, never marked) and of the
           prose sentences alone (the stricter figure)

A marker that marks everything catches every claim and helps nobody. tests/test_candidates.py
holds the aims. No Django needed:

    .venv/bin/python bench/candidate_marking.py [-v]     (-v: list the claims not caught)
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimtrack.desk.candidates import candidate_sentences, sentences  # noqa: E402


def seed_articles():
    for path in sorted((ROOT / "fixtures").glob("article_*.json")):
        rows = json.loads(path.read_text())
        [article] = [row["fields"] for row in rows if row["model"] == "claims.article"]
        quotes = [row["fields"]["quote"] for row in rows if row["model"] == "claims.claim"]
        spans = [
            (article["text"].find(quote), article["text"].find(quote) + len(quote))
            for quote in quotes
        ]
        assert all(start >= 0 for start, _ in spans), path
        yield article["slug"], article["text"], spans


def measure(text, spans):
    """(claims caught, claims, sentences marked, sentences, headings), and the spans missed."""
    units = sentences(text)
    marked = candidate_sentences(text)
    missed = [
        (start, end)
        for start, end in spans
        if not any(start < m.end and m.start < end for m in marked)
    ]
    headings = sum(unit.heading for unit in units)
    return (len(spans) - len(missed), len(spans), len(marked), len(units), headings), missed


def row(name, caught, claims, marked, units, headings):
    prose = units - headings
    return (
        f"{name:48}{claims:>7}{caught:>7}{caught / claims:>8.0%}"
        f"{units:>7}{headings:>6}{marked:>7}{marked / units:>8.0%}{marked / prose:>9.0%}"
    )


def main():
    verbose = "-v" in sys.argv[1:]
    print(
        f"{'article':48}{'claims':>7}{'caught':>7}{'share':>8}{'units':>7}{'heads':>6}{'marked':>7}"
        f"{'of all':>8}{'of prose':>9}"
    )
    totals = [0] * 5
    notes = []
    for slug, text, spans in seed_articles():
        figures, missed = measure(text, spans)
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        print(row(slug, *figures))
        notes += [f"{slug}: {text[start:end]!r}" for start, end in missed]
    print(row("all", *totals))
    caught, claims, marked, units, headings = totals
    print(
        f"\n{caught / claims:.1%} of the claims caught (aim: at least 80%); "
        f"{marked / units:.1%} of all sentences marked, {marked / (units - headings):.1%} of the "
        "prose sentences (aim: at most half)."
    )
    if verbose and notes:
        print("\nNot caught:")
        print("\n".join(notes))


if __name__ == "__main__":
    main()
