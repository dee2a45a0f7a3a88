"""What changed between two versions of an article's text, for readers: the changed
paragraphs only, words taken out in <del> and words put in in <ins>, like a correction notice."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORDS = re.compile(r"\s+|[^\s]+")


def changed_paragraphs(old, new):
    """A list of dicts, one per changed passage: kind ("added", "removed" or "changed") and
    html (safe), in text order. Unchanged paragraphs are left out."""
    old_paragraphs, new_paragraphs = old.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = [p for p in old_paragraphs[i1:i2] if p.strip()]
        added = [p for p in new_paragraphs[j1:j2] if p.strip()]
        if op == "equal":
            continue
        if op == "replace" and len(removed) == len(added):
            changes += [
                {"kind": "changed", "html": word_diff(before, after)}
                for before, after in zip(removed, added, strict=True)
            ]
            continue
        changes += [{"kind": "removed", "html": tagged("del", p)} for p in removed]
        changes += [{"kind": "added", "html": tagged("ins", p)} for p in added]
    return changes


def tagged(tag, text):
    return mark_safe(f"<{tag}>{escape(text)}</{tag}>")


def word_diff(old, new):
    """One paragraph, with the words taken out and put in marked."""
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(tagged("del", "".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(tagged("ins", "".join(new_words[j1:j2])))
    return mark_safe("".join(str(part) for part in parts))
