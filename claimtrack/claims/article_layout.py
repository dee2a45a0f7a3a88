"""How an article's plain text is laid out for reading: its paragraphs, which of them are
subheadings, and which only repeat the title the page already shows.

Article text is stored as published: paragraphs on lines of their own, subheadings as short
lines, often with the title repeated at the top. Claims are anchored in it by character
offsets, so the layout never changes the text: it only says, for each paragraph, where it
stands (start and end offsets) and what it is. Pure functions: no models, no queries.
"""

import re
import unicodedata
from dataclasses import dataclass

from .text import fold_typography

# A subheading is a short line: the seed articles' longest are 9 words ("What Can Be Expected
# from a Ketamine Therapy Session?") and 71 characters (a FAQ's "4. What's the distinction among
# ketamine and different antidepressants?"), while the one line in them that ends without
# punctuation but is a sentence ("This article is in the category Treatment and created by
# SubstanceAbuseAction Team") runs to 13 words and 84 characters.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 80
# A line ending in one of these (maybe before a closing quote or bracket) is a sentence, or
# introduces a list, not a heading. A question mark does not count: a question on a line of its
# own is a subheading ("How Long Does Ketamine Last?", a FAQ's "2. Can ketamine be addictive?").
SENTENCE_END = ".!:;,…"
CLOSERS = "\"'”’)]"
# Every non-empty line is a paragraph: the same breaks the article page has always used.
LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Block:
    """One paragraph of the text: text[start:end], and what it is.

    kind: "heading" (a subheading), "paragraph", "front" (a line above a repeated title: a
    category, a byline, a date; shown as a paragraph, never as a heading) or "title" (repeats
    the title: not shown again)."""

    start: int
    end: int
    kind: str


def is_heading(paragraph):
    """Whether a paragraph reads as a subheading. The rule, all of:

    - one line, not indented (indented lines are list items: "  • Headaches");
    - short: at most HEADING_MAX_WORDS words and HEADING_MAX_CHARS characters;
    - starts with a capital letter or a digit (not a bullet, not an image's file name such as
      "ketamine-headache");
    - has no comma: a short line with one is a dateline or a credit ("April 14, 2023",
      "Mohamed_hassan, Pixabay"), and subheadings rarely need one;
    - does not end like a sentence: no final . ! : ; , or … ("There is a long history of
      positive drug use." is a one-line paragraph, not a heading). A final ? is allowed."""
    if not paragraph or "\n" in paragraph or paragraph != paragraph.strip():
        return False
    if len(paragraph) > HEADING_MAX_CHARS or len(paragraph.split()) > HEADING_MAX_WORDS:
        return False
    if not (paragraph[0].isupper() or paragraph[0].isdigit()) or "," in paragraph:
        return False
    return paragraph.rstrip(CLOSERS)[-1:] not in SENTENCE_END


def normalise(value):
    """A title as compared: Unicode and typography folded, case and spacing ignored, and the
    punctuation at either end left out ("Is Ketamine Psychedelic?" = "is ketamine psychedelic")."""
    value = fold_typography(unicodedata.normalize("NFKC", value or ""))
    return " ".join(value.casefold().split()).strip(" .:;!?-'\"")


def repeats_title(paragraph, title):
    """Whether a paragraph is the article's title again, compared normalised."""
    wanted = normalise(title)
    return bool(wanted) and normalise(paragraph) == wanted


def blocks(text, title=""):
    """The text's paragraphs as Blocks, in order; blank lines are not paragraphs.

    A paragraph that repeats the title is kind "title", wherever it stands (the page's <h1>
    already says it). When the text opens with short lines and the title among them ("Therapy",
    "Rebecca Smith", then the title), the lines before the last such repeat are kind "front":
    they belong to the page the text was copied from, above its title, and are no headings of
    this article."""
    spans = [m.span() for m in LINE.finditer(text) if m.group().strip()]
    paragraphs = [text[start:end] for start, end in spans]
    lead_end = 0  # paragraphs[:lead_end] are the opening lines, up to the last title repeat
    for index, paragraph in enumerate(paragraphs):
        if repeats_title(paragraph, title):
            lead_end = index + 1
        elif not is_heading(paragraph):
            break
    result = []
    for index, ((start, end), paragraph) in enumerate(zip(spans, paragraphs, strict=True)):
        if repeats_title(paragraph, title):
            kind = "title"
        elif index < lead_end:
            kind = "front"
        elif is_heading(paragraph):
            kind = "heading"
        else:
            kind = "paragraph"
        result.append(Block(start, end, kind))
    return result
