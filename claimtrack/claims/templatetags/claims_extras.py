"""Display helpers for claims: status labels and colours, quotes in context, highlighted
article text and scorecards."""

import re
from bisect import bisect_right
from collections import defaultdict
from itertools import count

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from claimtrack.claims.models import Certainty, StaffProfile, Status, public_name_of

register = template.Library()

SCORECARD_IDS = count(1)  # an SVG <title> needs an id unique within the page

EDITORS = "claimtrack editors"
PARAGRAPH_BREAK = re.compile(r"\n+")
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
def highlighted_text(text, claims):
    """The article as paragraphs, each claim's quote a <mark> linking to the claim.

    Quotes may overlap or nest, so the text is split at every quote boundary and every
    paragraph break: each piece is closed before the next opens, which keeps the HTML well
    formed. A piece inside several quotes links to the shortest (the innermost); every claim
    also gets a small label after its quote naming its status in words, for readers who
    cannot tell the colours apart, and so that a claim nested exactly inside another can
    still be reached."""
    claims = sorted(claims, key=lambda c: (c.quote_start, -c.quote_end))
    cuts = {0, len(text)}
    for claim in claims:
        cuts.update((claim.quote_start, claim.quote_end))
    for match in PARAGRAPH_BREAK.finditer(text):
        cuts.update(match.span())
    cuts = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    ending_at = defaultdict(list)
    for claim in claims:
        ending_at[claim.quote_end].append(claim)

    html = ["<p>"]
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        if not piece.strip("\n"):
            html.append("</p>\n<p>")
        else:
            covering = [c for c in claims if c.quote_start <= start < c.quote_end]
            if covering:
                innermost = min(covering, key=lambda c: c.quote_end - c.quote_start)
                html.append(
                    format_html(
                        '<mark class="claim {}{}"><a href="{}" title="{}">{}</a></mark>',
                        status_class(innermost.status),
                        " claim-nested" if len(covering) > 1 else "",
                        innermost.get_absolute_url(),
                        innermost.statement,
                        piece,
                    )
                )
            else:
                html.append(escape(piece))
        for claim in ending_at.get(end, ()):
            html.append(
                format_html(
                    ' <a class="claim-label {}" href="{}" aria-label="Claim: {} ({})">{}</a>',
                    status_class(claim.status),
                    claim.get_absolute_url(),
                    claim.statement,
                    status_label(claim.status),
                    status_label(claim.status),
                )
            )
    html.append("</p>")
    return mark_safe("".join(html).replace("<p></p>", "").strip())


@register.inclusion_tag("claims/_scorecard.html")
def scorecard(counts, title="Claims by status"):
    """A bar per status that has claims, drawn in SVG with the numbers written beside.

    counts: {status value: number of claims}."""
    rows = [(status, counts.get(status.value, 0)) for status in Status]
    rows = [(status, n) for status, n in rows if n]
    largest = max((n for _, n in rows), default=0)
    row_height = 22
    bars = [
        {
            "css_class": status_class(status.value),
            "label": status.label,
            "count": n,
            "bar_y": index * row_height + 4,
            "text_y": index * row_height + 15,
            "width": bar_width,
            "count_x": 118 + bar_width,
        }
        for index, (status, n) in enumerate(rows)
        for bar_width in [round(150 * n / largest, 1)]
    ]
    return {
        "bars": bars,
        "total": sum(n for _, n in rows),
        "height": len(bars) * row_height,
        "title": title,
        "id": f"scorecard-{next(SCORECARD_IDS)}",
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
