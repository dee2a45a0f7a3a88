"""Display helpers for claims: status labels and colours, quotes in context, highlighted
article text and scorecards."""

import re
from bisect import bisect_right
from collections import defaultdict

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from claimtrack.claims.article_layout import blocks
from claimtrack.claims.models import Certainty, StaffProfile, Status, public_name_of

register = template.Library()

EDITORS = "claimtrack editors"
# A sentence ends with . ! ? or … (maybe followed by a closing quote or bracket) and a space.
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


@register.filter
def status_label(value):
    """The status in words: "partly_supported" -> "Partly supported"."""
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def status_class(value):
    return f"status-{value}".replace("_", "-")


@register.filter
def status_definition(value):
    """The status's one-sentence definition (How we rate), for accessible text."""
    try:
        return Status(value).description
    except ValueError:
        return ""


@register.filter
def certainty_label(value):
    try:
        return Certainty(value).label
    except ValueError:
        return value


@register.filter
def certainty_definition(value):
    try:
        return Certainty(value).description
    except ValueError:
        return ""


@register.filter
def person(user):
    """Who made an editorial decision, by their public name, linked to their page; nobody
    recorded means the editorial fixtures. Never the login name.

    Reads user.staff_profile: select_related("…__staff_profile") with the user, or this costs
    a query per person. Only an active staff member has a page (views.reviewer_detail)."""
    if user is None:
        return EDITORS
    name = public_name_of(user)
    try:
        profile = user.staff_profile
    except StaffProfile.DoesNotExist:
        profile = None
    if profile is None or not (user.is_active and user.is_staff):
        return name
    return format_html('<a class="person" href="{}">{}</a>', profile.get_absolute_url(), name)


@register.simple_tag
def quote_in_context(claim, sentences=1):
    """The quote with up to `sentences` whole sentences either side, within its paragraph.

    Returns a dict: before, quote, after, and whether text was cut at either end."""
    text = claim.article.text
    start, end = claim.quote_start, claim.quote_end
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    if paragraph_end < 0:
        paragraph_end = len(text)
    sentence_starts = [paragraph_start] + [
        match.end() for match in SENTENCE_END.finditer(text, paragraph_start, paragraph_end)
    ]
    first = bisect_right(sentence_starts, start) - 1
    last = bisect_right(sentence_starts, end - 1) - 1
    context_start = sentence_starts[max(first - sentences, 0)]
    after_index = last + 1 + sentences
    context_end = (
        sentence_starts[after_index] if after_index < len(sentence_starts) else paragraph_end
    )
    return {
        "before": text[context_start:start],
        "quote": text[start:end],
        "after": text[end:context_end].rstrip(),
        "cut_before": context_start > 0,
        "cut_after": context_end < len(text.rstrip()),
    }


@register.simple_tag
def quote_in_article(claim, paragraphs=2):
    """The quote's paragraph(s) in full with up to `paragraphs` paragraphs either side: the
    wider context the claim page folds away under its short one. Laid out as the article page
    lays it out (a repeated title left out, subheadings marked).

    Returns a dict: before and after (lists of {text, heading}), lead, quote and tail (the
    quote's own paragraphs around it), and whether text was left out at either end."""
    article = claim.article
    text, start, end = article.text, claim.quote_start, claim.quote_end
    layout = [
        block
        for block in blocks(text, article.title)
        if block.kind != "title" or (block.start < end and start < block.end)
    ]
    first = next((i for i, b in enumerate(layout) if b.end > start), len(layout))
    last = max((i for i, b in enumerate(layout) if b.start < end), default=first)
    if first >= len(layout):  # the quote lies outside every paragraph: nothing around it
        return {"before": [], "lead": "", "quote": text[start:end], "tail": "", "after": []}

    def shown(block):
        return {"text": text[block.start : block.end], "heading": block.kind == "heading"}

    opens = max(first - paragraphs, 0)
    closes = min(last + 1 + paragraphs, len(layout))
    return {
        "before": [shown(block) for block in layout[opens:first]],
        "lead": text[layout[first].start : start] if layout[first].start < start else "",
        "quote": text[start:end],
        "tail": text[end : layout[last].end] if end < layout[last].end else "",
        "after": [shown(block) for block in layout[last + 1 : closes]],
        "cut_before": opens > 0,
        "cut_after": closes < len(layout),
    }


def claim_anchor(claim):
    """The id of a claim's passage on its article's page: stable while the slug is."""
    return f"claim-{claim.slug}"


BLOCK_TAGS = {
    "heading": ("<h3>", "</h3>"),
    "title": ("<h3>", "</h3>"),  # shown only when a claim was quoted from it
    "front": ('<p class="article__front">', "</p>"),
}


@register.simple_tag
def highlighted_text(text, claims, title=""):
    """The article laid out for reading (see article_layout.blocks: subheadings as <h3>, the
    title not repeated), each claim's quote a <mark> linking to the claim.

    Quotes may overlap or nest, so each paragraph is split at every quote boundary: each piece
    is closed before the next opens, which keeps the HTML well formed. A piece inside several
    quotes links to the shortest (the innermost). Every claim also gets a label after its
    quote naming its status in words (for readers who cannot tell the colours apart, and so
    that a claim nested exactly inside another can still be reached), and a <span
    id="claim-<slug>"> around its passage that the claim page links to. That span starts
    where the quote does and ends where it ends, or earlier where it must to stay inside its
    paragraph and inside the span of a quote around it (a quote that overlaps another's end)."""
    claims = sorted(claims, key=lambda c: (c.quote_start, -c.quote_end))

    def overlaps(claim, block):
        return claim.quote_start < block.end and block.start < claim.quote_end

    # A repeated title is not shown again, unless a claim was quoted from it.
    layout = [
        block
        for block in blocks(text, title)
        if block.kind != "title" or any(overlaps(claim, block) for claim in claims)
    ]
    first_block, label_at = {}, defaultdict(list)
    for claim in claims:
        touched = [i for i, block in enumerate(layout) if overlaps(claim, block)]
        if touched:
            first_block[id(claim)] = touched[0]
            label_at[min(claim.quote_end, layout[touched[-1]].end)].append(claim)

    html = []
    for index, block in enumerate(layout):
        opening, closing = BLOCK_TAGS.get(block.kind, ("<p>", "</p>"))
        inside = [claim for claim in claims if overlaps(claim, block)]
        cuts = {block.start, block.end}
        for claim in inside:
            cuts.update((claim.quote_start, claim.quote_end))
        cuts = sorted(cut for cut in cuts if block.start <= cut <= block.end)
        parts, spans, labelled = [opening], [], set()
        for start, end in zip(cuts, cuts[1:], strict=False):
            for claim in inside:
                if first_block[id(claim)] == index and max(claim.quote_start, block.start) == start:
                    span_end = min([claim.quote_end, block.end] + [s[1] for s in spans[-1:]])
                    spans.append((claim, span_end))
                    parts.append(
                        format_html('<span class="claim-passage" id="{}">', claim_anchor(claim))
                    )
            parts.append(
                _piece(text[start:end], [c for c in inside if c.quote_start <= start < c.quote_end])
            )
            while spans and spans[-1][1] == end:
                claim, _ = spans.pop()
                if any(claim is c for c in label_at[end]):
                    parts.append(_status_label(claim))
                    labelled.add(id(claim))
                parts.append("</span>")
            parts.extend(_status_label(c) for c in label_at[end] if id(c) not in labelled)
        parts.append(closing)
        html.append("".join(parts))
    return mark_safe("\n".join(html))


def _piece(piece, covering):
    """A piece of a paragraph: plain, or marked as the innermost of the quotes covering it."""
    if not covering:
        return escape(piece)
    innermost = min(covering, key=lambda c: c.quote_end - c.quote_start)
    return format_html(
        '<mark class="claim {}{}"><a href="{}" title="{}">{}</a></mark>',
        status_class(innermost.status),
        " claim-nested" if len(covering) > 1 else "",
        innermost.get_absolute_url(),
        innermost.statement,
        piece,
    )


def _status_label(claim):
    """The status in words after a quote, linking to the claim. Its accessible name starts with
    the words it shows, then says which claim: "Supported: the verdict on “Ketamine is…”"."""
    return format_html(
        ' <a class="claim-label {}" href="{}">{}'
        '<span class="visually-hidden">: the verdict on “{}”</span></a>',
        status_class(claim.status),
        claim.get_absolute_url(),
        status_label(claim.status),
        claim.statement,
    )


# Below this many claims, one claim moves a share by 20 points or more: a bar would make a
# share of 1 or 2 claims look like a finding, so the counts are written out without bars.
SCORECARD_MIN_FOR_BARS = 5


def percent(n, total):
    """n of total as a whole percentage, never rounded to 0% or 100% when it is not."""
    if not total or not n:
        return "0%"
    share = round(100 * n / total)
    if share == 0:
        return "<1%"
    if share == 100 and n < total:
        return ">99%"
    return f"{share}%"


@register.inclusion_tag("claims/_scorecard.html")
def scorecard(counts, title="Claims by status", every_status=False, link_statuses=False):
    """Claims by status as a list of rows: the counts written out with their share of the
    total ("14 of 40 · 35%"), and a bar for the share. Every bar on every page is drawn on the
    same scale, 0 to 100% of its own total, so that scorecards compare across articles; a
    total below SCORECARD_MIN_FOR_BARS gets no bars (the numbers stand alone).

    counts: {status value: number of claims}. every_status: also the statuses with none.
    link_statuses: each status links to the claim list filtered by it."""
    total = sum(counts.get(status.value, 0) for status in Status)
    rows = [
        {
            "status": status.value,
            "css_class": status_class(status.value),
            "label": status.label,
            "count": n,
            "percent": percent(n, total),
            # A width in CSS: "%" with a dot whatever the locale.
            "width": f"{100 * n / total:.1f}" if total else "0",
        }
        for status in Status
        for n in [counts.get(status.value, 0)]
        if n or every_status
    ]
    return {
        "rows": rows,
        "total": total,
        "title": title,
        "bars": total >= SCORECARD_MIN_FOR_BARS,
        "min_for_bars": SCORECARD_MIN_FOR_BARS,
        "link_statuses": link_statuses,
    }


@register.filter
def get_count(counts, key):
    """counts[key], or 0: for {status: n} dictionaries in templates."""
    return counts.get(key, 0)


@register.filter
def field_label(form, name):
    """The label of a form's field by name, to introduce its errors."""
    field = form.fields.get(name)
    return field.label or name.capitalize() if field else name


@register.filter
def shorten(text, length=160):
    """At most `length` characters, cut at a word boundary and marked with an ellipsis."""
    length = int(length)
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(maxsplit=1)[0] if " " in text[:length] else text[: length - 1]
    return cut.rstrip(",;:.") + "…"


@register.filter
def filters_in_use(form):
    """How many of a bound filter form's fields other than the search box have a value: the
    number the folded filters' button shows."""
    if not form.is_bound:
        return 0
    data = form.data
    return sum(
        1
        for name in form.fields
        if name != "q"
        and any(
            str(value).strip()
            for value in (data.getlist(name) if hasattr(data, "getlist") else [data.get(name)])
            if value is not None
        )
    )


@register.simple_tag
def data_licence():
    """The licence the public data is published under (settings.DATA_LICENSE_*), linked."""
    return format_html(
        '<a href="{}" rel="license">{}</a>', settings.DATA_LICENSE_URL, settings.DATA_LICENSE_NAME
    )
