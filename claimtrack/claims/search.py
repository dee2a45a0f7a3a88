"""Searching claims: one search document per claim, and the matched words marked for readers.

A claim's search document holds everything a reader may look for it by: its statement, quote,
rationale and group note, its article's title, its reason tags' names, and for each evidence
link the note and the cited source's authors, title, journal, DOI and PMID, all in the form
normalize_for_search gives (typographic quotes and dashes made plain, lower case), as the
searched words are. It is derived data, rewritten by write_documents() (through
ClaimQuerySet.refresh_search_documents) after each write that changes what it holds; a reader
never waits for it to be built.

On PostgreSQL the documents are searched with full-text search (English stemming, websearch
syntax: "a phrase", -word, or) of a tsvector column PostgreSQL generates from the document (and
the statement, which weighs most in the ranking), through a GIN index; migration 0016 makes
both there only. The column is stored, not computed per query: at 100,000 claims, parsing each
matched document again to rank it took seconds. The matches are marked by ts_headline.
Elsewhere (SQLite, the embedded demo)
every word must appear in the document, and the matches are marked here in Python. Either way
the marks arrive as the sentinels START and STOP around the matched words, and marked()
escapes the text before it turns them into <mark> elements: a claim's own text can never
become markup.
"""

import re

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Expression
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import fold_typography, normalize_for_search

# PostgreSQL's text search configuration for the documents, the queries and the headlines.
SEARCH_CONFIG = "english"

# PostgreSQL's generated column of claims_claim and its GIN index (migration 0016).
VECTOR_COLUMN = "search_vector"
SEARCH_INDEX = "claim_search_vector_gin"

# Private-use characters: nothing a claim says contains them, so they can only be the marks.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")

# A quote or rationale is shown, where the match is, cut to about this many characters.
EXCERPT_CHARS = 160

# Fewer rows than this in one write keep each chunk's queries within SQLite's 999 parameters.
CHUNK_SIZE = 300


class StoredVector(Expression):
    """The claim's search_vector column, which only PostgreSQL has (migration 0016), so Claim
    does not declare it: compiled like a field's column, on the alias the query gives the
    claims table (a subquery's own included)."""

    output_field = SearchVectorField()

    def __init__(self, table_alias=None):
        super().__init__()
        self.table_alias = table_alias

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.table_alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, relabels):
        return type(self)(relabels.get(self.table_alias, self.table_alias))

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.table_alias)
        return f"{table}.{connection.ops.quote_name(VECTOR_COLUMN)}", []


def build_document(
    *, statement, quote, rationale, group_note, article_title, tag_names=(), sources=()
):
    """A claim's search document. sources: per evidence link, its note and its citation's
    authors, title, journal, DOI and PMID. A pure function: data migrations use it too."""
    parts = [statement, quote, rationale, group_note, article_title, *tag_names]
    for source in sources:
        parts.extend(source)
    return normalize_for_search("\n".join(part for part in parts if part))


def write_documents(claims, chunk_size=CHUNK_SIZE):
    """Rewrite the search documents of claims (a QuerySet of Claim, or of a data migration's
    historical Claim) from what they hold now, in chunks of chunk_size in primary key order:
    four queries a chunk (the claims, their tags, their evidence and sources, the write; the
    write is left out when no document changed), and one more to find no more claims after a
    full last chunk. Returns how many documents changed.

    The document is derived data, not editorial: it is written with the base manager's plain
    QuerySet (bulk_update), which neither bumps the claim's version nor writes a history row,
    where RecordedQuerySet refuses bulk writes to editorial columns for that very reason."""
    model, db = claims.model, claims.db
    plain = model._base_manager.db_manager(db)
    tags = model._meta.get_field("reason_tags").remote_field.through._base_manager.using(db)
    evidence = model._meta.get_field("evidence").related_model._base_manager.using(db)
    # A filter on evidence or tags may repeat a claim: the subquery names each once.
    chosen = plain.filter(pk__in=claims.order_by().values("pk"))
    fields = ["pk", "search_document", "statement", "quote", "rationale", "group_note"]
    changed, last = 0, None
    while True:
        chunk = chosen.filter(pk__gt=last) if last is not None else chosen
        rows = list(chunk.order_by("pk").values(*fields, "article__title")[:chunk_size])
        if not rows:
            return changed
        ids = [row["pk"] for row in rows]
        last = ids[-1]
        tag_names = {pk: [] for pk in ids}
        for claim_id, name in (
            tags.filter(claim_id__in=ids)
            .order_by("reasontag__name")
            .values_list("claim_id", "reasontag__name")
        ):
            tag_names[claim_id].append(name)
        sources = {pk: [] for pk in ids}
        for claim_id, *source in (
            evidence.filter(claim_id__in=ids)
            .order_by("claim_id", "citation__year", "pk")
            .values_list(
                "claim_id",
                "note",
                "citation__authors",
                "citation__title",
                "citation__journal",
                "citation__doi",
                "citation__pmid",
            )
        ):
            sources[claim_id].append(source)
        stale = []
        for row in rows:
            document = build_document(
                statement=row["statement"],
                quote=row["quote"],
                rationale=row["rationale"],
                group_note=row["group_note"],
                article_title=row["article__title"],
                tag_names=tag_names[row["pk"]],
                sources=sources[row["pk"]],
            )
            if document != row["search_document"]:
                stale.append(model(pk=row["pk"], search_document=document))
        if stale:
            plain.bulk_update(stale, ["search_document"], batch_size=chunk_size)
            changed += len(stale)
        if len(rows) < chunk_size:
            return changed


def search_words(value):
    """The words of a search as SQLite matches them: normalised like the documents, without
    the double quotes of a phrase."""
    return normalize_for_search(value).replace('"', " ").split()


def highlight(text, words):
    """text with every occurrence of the words (any case, any typography) between START and
    STOP, as ts_headline marks them on PostgreSQL. Overlapping matches make one mark."""
    marked, end = [], 0
    for start, stop in matches(text, words):
        marked += [text[end:start], START, text[start:stop], STOP]
        end = stop
    return "".join([*marked, text[end:]])


def matches(text, words):
    """Where the words stand in text: (start, stop) pairs in order, overlaps merged."""
    folded = fold_typography(text)  # as long as text: its positions are text's
    spans = sorted(
        match.span()
        for word in words
        for match in re.finditer(re.escape(word), folded, re.IGNORECASE)
    )
    merged = []
    for start, stop in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def excerpt(text, size=EXCERPT_CHARS):
    """About size characters of a marked text (highlight()'s or ts_headline's) from a little
    before its first mark, cut between words, with "…" where it is cut; "" when nothing in it
    is marked."""
    first = text.find(START)
    if first < 0:
        return ""
    if len(text) <= size:
        return text
    begin = max(0, first - size // 4)
    begin = text.rfind(" ", 0, begin) + 1 if begin else 0
    end = text.find(" ", begin + size)
    end = len(text) if end < 0 else end
    cut = text[begin:end].strip()
    if cut.rfind(START) > cut.rfind(STOP):
        cut += STOP  # cut inside a mark: close it
    return ("… " if begin else "") + cut + (" …" if end < len(text) else "")


def marked(text):
    """text (with START/STOP marks) as safe HTML: escaped, each mark a <mark> element."""
    html = MARKED.sub(r"<mark>\1</mark>", str(escape(text)))
    return mark_safe(html.replace(START, "").replace(STOP, ""))


def headlines(claim, words):
    """The claim's statement with the matched words marked, and the part of its quote and of
    its rationale where a word matched ("" where none did), as safe HTML, and whether the
    words matched none of these (elsewhere). Uses the marks
    ClaimQuerySet.with_headlines() had PostgreSQL make, else marks the words here."""
    if hasattr(claim, "statement_headline"):
        statement, quote, rationale = (
            claim.statement_headline,
            claim.quote_headline,
            claim.rationale_headline,
        )
    else:
        terms = search_words(words)
        statement, quote, rationale = (
            highlight(text, terms) for text in (claim.statement, claim.quote, claim.rationale)
        )
    quote, rationale = excerpt(quote or ""), excerpt(rationale or "")
    return {
        "statement": marked(statement),
        "quote": marked(quote) if quote else "",
        "rationale": marked(rationale) if rationale else "",
        # Found by what the card does not show: its sources, tags, evidence notes or title.
        "elsewhere": not any(START in text for text in (statement, quote, rationale)),
    }
