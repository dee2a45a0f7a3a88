"""The claim workspace's article: the text in pieces that know their offsets, so a selection
made with the mouse (or the keyboard, with caret browsing) becomes a quote and its position."""

import re
from collections import defaultdict

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Every line its own paragraph: pasted articles often separate paragraphs by one newline.
PARAGRAPH_BREAK = re.compile(r"\n\s*")


def workspace_html(text, claims, candidates=(), selected=None):
    """The article as paragraphs of <span data-start=N> pieces. Each claim's quote is a link to
    the claim in the side panel; each candidate sentence (not yet a claim) is marked, with
    buttons to take it as a claim or to dismiss it."""
    cuts = {0, len(text)}
    for item in [*claims, *candidates]:
        cuts.update((item.start, item.end))
    for match in PARAGRAPH_BREAK.finditer(text):
        cuts.update(match.span())
    cuts = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    ending_at = defaultdict(list)
    for candidate in candidates:
        ending_at[candidate.end].append(candidate)

    html = ["<p>"]
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        if not piece.strip("\n"):
            html.append("</p>\n<p>")
            continue
        span = format_html('<span data-start="{}">{}</span>', start, piece)
        covering = [c for c in claims if c.start <= start < c.end]
        if covering:
            claim = min(covering, key=lambda c: c.end - c.start)
            classes = f"ws-claim status-{claim.status}"
            if not claim.is_published:
                classes += " ws-draft"
            if selected is not None and claim.pk == selected.pk:
                classes += " ws-selected"
            span = format_html(
                '<a class="{}" href="?claim={}#panel" title="{}">{}</a>',
                classes,
                claim.pk,
                claim.statement,
                span,
            )
        elif any(c.start <= start < c.end for c in candidates):
            span = format_html('<span class="ws-candidate">{}</span>', span)
        html.append(span)
        for candidate in ending_at.get(end, ()):
            html.append(
                format_html(
                    ' <span class="ws-candidate-actions">'
                    '<a class="ws-take" href="?start={}&amp;end={}#panel" data-start="{}" '
                    'data-end="{}" title="Take this sentence as a claim ({})">+ claim</a> '
                    '<button type="submit" form="dismiss-candidate" name="sentence" value="{}" '
                    'class="ws-dismiss" title="Not a claim: stop marking it">dismiss</button>'
                    "</span>",
                    candidate.start,
                    candidate.end,
                    candidate.start,
                    candidate.end,
                    ", ".join(candidate.cues),
                    candidate.sentence,
                )
            )
    html.append("</p>")
    return mark_safe("".join(html).replace("<p></p>", "").strip())


class Span:
    """A claim's quote or a candidate sentence, placed in the text."""

    def __init__(self, start, end, **attributes):
        self.start, self.end = start, end
        self.__dict__.update(attributes)


def claim_spans(claims):
    return [
        Span(
            c.quote_start,
            c.quote_end,
            pk=c.pk,
            status=c.status,
            statement=c.statement,
            is_published=c.is_published,
        )
        for c in claims
        if c.is_anchored
    ]


def open_candidates(text, candidates, claims, dismissed):
    """Candidate sentences that are not claims yet and were not dismissed."""
    kept = []
    for candidate in candidates:
        sentence = text[candidate.start : candidate.end]
        if sentence in dismissed:
            continue
        if any(c.start < candidate.end and candidate.start < c.end for c in claims):
            continue
        kept.append(
            Span(candidate.start, candidate.end, cues=list(candidate.kinds), sentence=sentence)
        )
    return kept


def excerpt(text, start, end, width=60):
    """The passage with a little of its surroundings, to tell occurrences apart."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return format_html("…{}<strong>{}</strong>{}…", before, text[start:end], after)
