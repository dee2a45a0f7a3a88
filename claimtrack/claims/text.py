"""Text as published: one form for newlines and Unicode, wherever text comes in.

Browsers send textarea newlines as CRLF and pasted text may be decomposed (e + combining accent);
stored that way, a quote copied from the page no longer matches the article it came from.
"""

import unicodedata

# Characters a pasted quote or a typed search may carry instead of the article's own (a word
# processor's curly quotes, a keyboard's straight ones, dashes of every width, non-breaking
# spaces). Each becomes one plain character, so positions in the folded text are positions in
# the original.
TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("‘’‛′`", "'"),
        **dict.fromkeys("“”„‟″", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00a0\u2007\u202f\u2009\u200a\t\n\r", " "),
    }
)


def normalize_text(value):
    """CRLF and lone CR to LF, Unicode NFC, no NUL characters. None stays None."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", value)


def fold_typography(value):
    """value with its typographic variants made plain (“ketamine’s” → "ketamine's"), character
    for character: the result is as long as value."""
    return value.translate(TYPOGRAPHIC)


def normalize_for_search(value):
    """The form both a claim's search document and a reader's search take, so that they match
    whichever quotes, dashes, spaces or case either was typed with: NFC, typography folded,
    lower case (SQLite's LIKE ignores the case of ASCII letters only)."""
    return fold_typography(normalize_text(value or "")).lower()
