"""Text as published: one form for newlines and Unicode, wherever text comes in.

Browsers send textarea newlines as CRLF and pasted text may be decomposed (e + combining accent);
stored that way, a quote copied from the page no longer matches the article it came from.
"""

import unicodedata


def normalize_text(value):
    """CRLF and lone CR to LF, Unicode NFC, no NUL characters. None stays None."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", value)
