"""Synthetic data at scale, for the benchmark (make_bench_data, bench/serve_bench.py).

Made from the seed review in fixtures/: each article is a shuffle of the seed articles'
paragraphs, and each of its claims is a seed claim whose quote stands in one of those
paragraphs, at the offsets stored with it (quote_prefix and quote_suffix set as Claim.pin does).
Statuses, topics, certainties, rationales, reason tags, groups and evidence stances come with
the seed claim, so the mix is the seeds'. Citations are the seed citations again with
synthetic identifiers (DOIs under the 10.5555 test prefix, "bench-" keys); flags, the public
record (ClaimChange) and one history row per object are written in the seeds' proportions.

Everything synthetic is marked: article, citation and group slugs and user names start with
"bench-". The rows are written in bulk around the models' rules and the history (the default
managers refuse bulk writes on purpose): with COPY on PostgreSQL, with the base manager's
bulk_create elsewhere, a batch of articles at a time so that memory stays flat at any scale.
"""

import json
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Subquery
from django.utils import timezone
from django.utils.text import slugify

from claimtrack.claims.anchoring import context_of
from claimtrack.claims.demo import SEED_FIXTURES
from claimtrack.claims.models import (
    AnchorState,
    Article,
    ChangeKind,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    FlagPriority,
    FlagState,
    PublicVersion,
    ReasonTag,
    Stance,
    Status,
)
from claimtrack.claims.review_schedule import due_after_review
from claimtrack.claims.search import build_document
from claimtrack.claims.text import normalize_text

PREFIX = "bench-"  # every synthetic article, citation, group and user
SYNTHETIC_DOI_PREFIX = "10.5555"  # the DOI Foundation's test prefix: never a real paper
SYNTHETIC_PMID_BASE = 90_000_000
CLAIMS_PER_ARTICLE = 50
BIG_ARTICLE_CLAIMS = 60  # the benchmark needs an article page with 50+ highlighted claims
ARTICLES_PER_BATCH = 100
DRAFT_SHARE = 0.04  # of claims; half of the drafts have no verdict yet
WITHDRAWN_SHARE = 0.002  # of published claims
FLAG_SHARE = 0.03  # of published claims; 60% of flags open
CLAIMS_PER_GROUP = 25
# A word no seed text uses, in one claim statement in RARE_EVERY: the benchmark's rare search.
RARE_TERM = "arketamine"
RARE_EVERY = 10_000
COMMON_TERM = "ketamine"
HISTORY_REASON = "Synthetic benchmark data (make_bench_data)."


@dataclass(frozen=True)
class SeedClaim:
    paragraph: str
    offset: int  # of the quote in the paragraph
    quote: str
    statement: str
    topic: str
    status: str
    certainty: str
    rationale: str
    group: str  # the seed group's slug, "" for none
    group_note: str
    tags: tuple
    evidence: tuple  # (stance, note) pairs


@dataclass
class Seeds:
    claims: list
    filler: list  # paragraphs no seed claim quotes
    titles: list
    publishers: list
    citations: list
    groups: dict  # slug: name
    group_verdicts: dict  # slug: the status its reviewed members mostly share


def read_fixture(name):
    return json.loads((settings.BASE_DIR / "fixtures" / f"{name}.json").read_text())


def load_seeds():
    claims, filler, titles, publishers = [], [], [], []
    articles = [name for name in SEED_FIXTURES if name.startswith("article_")]
    for name in articles:
        rows = read_fixture(name)
        article = next(row["fields"] for row in rows if row["model"] == "claims.article")
        titles.append(article["title"])
        publishers.append((article["publisher"], article["author"]))
        paragraphs = [normalize_text(p) for p in article["text"].split("\n\n") if p.strip()]
        evidence = defaultdict(list)
        for row in rows:
            if row["model"] == "claims.evidence":
                fields = row["fields"]
                evidence[fields["claim"][1]].append(
                    (fields["stance"], normalize_text(fields["note"]))
                )
        quoted = set()
        for row in rows:
            if row["model"] != "claims.claim":
                continue
            fields = row["fields"]
            quote = normalize_text(fields["quote"])
            index = next((i for i, p in enumerate(paragraphs) if quote in p), None)
            if index is None:  # a quote across two paragraphs: not reusable on its own
                continue
            quoted.add(index)
            claims.append(
                SeedClaim(
                    paragraph=paragraphs[index],
                    offset=paragraphs[index].index(quote),
                    quote=quote,
                    statement=normalize_text(fields["statement"]),
                    topic=fields["topic"],
                    status=fields["status"],
                    certainty=fields["certainty"],
                    rationale=normalize_text(fields["rationale"]),
                    group=(fields.get("group") or [""])[0],
                    group_note=normalize_text(fields.get("group_note", "")),
                    tags=tuple(slug for (slug,) in fields.get("reason_tags", [])),
                    evidence=tuple(evidence[fields["slug"]]),
                )
            )
        filler += [p for i, p in enumerate(paragraphs) if i not in quoted and len(p) > 80]
    groups = {row["fields"]["slug"]: row["fields"]["name"] for row in read_fixture("claim_groups")}
    verdicts = {}
    for slug in groups:
        counts = Counter(c.status for c in claims if c.group == slug)
        if counts:
            verdicts[slug] = max(counts, key=lambda status: (counts[status], status))
    citations = [row["fields"] for row in read_fixture("citations")]
    return Seeds(claims, filler, titles, publishers, citations, groups, verdicts)


class Writer:
    """Rows (dicts keyed by field attname, the primary key given) into their tables, fast:
    COPY on PostgreSQL, the base manager's bulk_create elsewhere. Around save(), the version
    and the history, as only synthetic data may be written."""

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.written = Counter()

    def next_id(self, model):
        pk = model._meta.pk.attname
        last = model._base_manager.order_by(f"-{pk}").values_list(pk, flat=True).first()
        return (last or 0) + 1

    def write(self, model, rows):
        if not rows:
            return
        fields = model._meta.concrete_fields
        if self.postgresql:
            defaults = {f.attname: f.get_default() for f in fields}
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            table = connection.ops.quote_name(model._meta.db_table)
            names = [f.attname for f in fields]
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row.get(n, defaults[n]) for n in names])
        else:
            names = {f.attname for f in fields}
            objects = (model(**{k: v for k, v in row.items() if k in names}) for row in rows)
            model._base_manager.bulk_create(objects, batch_size=500)
        self.written[model] += len(rows)

    def reset_sequences(self):
        """Rows were written with their primary keys: move each sequence past them. Only ever
        forward: a sequence is not rolled back with a transaction, and one moved back (to the
        highest key of rows a rolled-back run wrote) would hand out keys already in use."""
        if not self.postgresql:
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.written))
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            return
        with connection.cursor() as cursor:
            for model in self.written:
                table, column = model._meta.db_table, model._meta.pk.column
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                highest = model._base_manager.order_by(f"-{model._meta.pk.attname}")
                highest = highest.values_list("pk", flat=True).first() or 1
                cursor.execute(f"SELECT last_value FROM {sequence}")
                if cursor.fetchone()[0] < highest:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, highest])


class Ids:
    """The next free primary key of each table, handed out in order."""

    def __init__(self, writer, models_):
        self.next = {model: writer.next_id(model) for model in models_}

    def take(self, model):
        value = self.next[model]
        self.next[model] += 1
        return value


def share_out(total, parts, rng, big):
    """total claims over parts articles, each 0.4-1.6 times the mean, the first at least big."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    big = min(big, total)
    donor = 1
    while counts[0] < big and parts > 1:
        if counts[donor] > 1:
            counts[donor] -= 1
            counts[0] += 1
        donor = donor % (parts - 1) + 1
    return counts


def claim_slugs(statements):
    """A slug per statement, unique among these (one article's claims)."""
    taken, slugs = set(), []
    for statement in statements:
        base = slugify(statement)[:90].rstrip("-") or "claim"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


class Generator:
    def __init__(self, *, claims, articles, seed, progress=None):
        self.total_claims, self.total_articles = claims, articles
        self.rng = random.Random(seed)
        self.seeds = load_seeds()
        self.progress = progress or (lambda done, total: None)
        self.now = timezone.now()
        self.writer = Writer()
        self.history = {m: m.history.model for m in (Article, Citation, ClaimGroup, Claim)}
        self.history[Evidence] = Evidence.history.model
        self.history[Flag] = Flag.history.model
        self.tag_history = apps.get_model("claims", "HistoricalClaim_reason_tags")
        self.through = Claim.reason_tags.through
        tables = [
            Article,
            Citation,
            ClaimGroup,
            Claim,
            Evidence,
            Flag,
            ClaimChange,
            self.through,
            self.tag_history,
            *self.history.values(),
        ]
        self.ids = Ids(self.writer, tables)
        self.tags = dict(ReasonTag.objects.values_list("slug", "pk"))
        self.tag_names = dict(ReasonTag.objects.values_list("slug", "name"))
        self.replicas = max(1, round(claims / (CLAIMS_PER_GROUP * max(1, len(self.seeds.groups)))))
        self.group_ids = {}  # (seed slug, replica): id

    def run(self):
        self.make_users()
        self.make_citations()
        counts = share_out(self.total_claims, self.total_articles, self.rng, BIG_ARTICLE_CLAIMS)
        done = 0
        self.progress(0, self.total_claims)
        for start in range(0, len(counts), ARTICLES_PER_BATCH):
            batch = counts[start : start + ARTICLES_PER_BATCH]
            self.make_batch(start, batch, done)
            done += sum(batch)
            self.progress(done, self.total_claims)
        self.writer.reset_sequences()
        return self.writer.written

    # The people, the sources, the groups.

    def make_users(self):
        editors, reviewers = Group.objects.get(name="Editors"), Group.objects.get(name="Reviewers")
        names = [(f"{PREFIX}editor", editors)] + [
            (f"{PREFIX}reviewer-{n}", reviewers) for n in range(1, 5)
        ]
        users = []
        for username, group in names:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            user.groups.add(group)
            users.append(user.pk)
        self.editor, self.reviewers = users[0], users[1:]

    def make_citations(self):
        count = max(50, self.total_claims // 50)
        rows = []
        for n in range(count):
            seed = self.seeds.citations[n % len(self.seeds.citations)]
            pk = self.ids.take(Citation)
            rows.append(
                {
                    "id": pk,
                    "version": 1,
                    "slug": f"{PREFIX}{pk:07d}",
                    "kind": seed["kind"],
                    "authors": seed["authors"],
                    "title": seed["title"],
                    "journal": seed["journal"],
                    "year": (seed["year"] or 2010) + n // len(self.seeds.citations) % 5,
                    "doi": f"{SYNTHETIC_DOI_PREFIX}/bench.{pk}",
                    "pmid": str(SYNTHETIC_PMID_BASE + pk),
                    "url": "",
                    "identifiers_checked": "Synthetic: made by make_bench_data, not a real paper.",
                }
            )
        self.citation_ids = [row["id"] for row in rows]
        self.sources = {
            row["id"]: (row["authors"], row["title"], row["journal"], row["doi"], row["pmid"])
            for row in rows
        }
        self.write_with_history(Citation, rows, lambda row: self.now - timedelta(days=1200))

    def group_for(self, seed, article_number):
        """A bench group stands for a seed group; only members with the group's verdict join,
        so the consistency checks find no unexplained difference."""
        if not seed.group or self.seeds.group_verdicts.get(seed.group) != seed.status:
            return None
        key = (seed.group, article_number % self.replicas)
        if key not in self.group_ids:
            pk = self.ids.take(ClaimGroup)
            row = {
                "id": pk,
                "version": 1,
                "slug": f"{PREFIX}{seed.group}-{key[1]}"[:100],
                "name": f"{self.seeds.groups[seed.group]} ({key[1] + 1})",
                "description": "",
            }
            self.group_ids[key] = pk
            self.write_with_history(ClaimGroup, [row], lambda row: self.now - timedelta(1100))
        return self.group_ids[key]

    # A batch of articles with their claims and everything hanging on them.

    def make_batch(self, first, counts, claims_before):
        rng = self.rng
        articles, claims, evidence, tags, changes, flags = [], [], [], [], [], []
        for offset, count in enumerate(counts):
            number = first + offset
            article, chosen = self.make_article(number, count)
            articles.append(article)
            statements = []
            for n, (seed, _start) in enumerate(chosen):
                statement = seed.statement
                if (claims_before + len(claims) + n) % RARE_EVERY == 0:
                    statement += f" The same is said of {RARE_TERM}."
                statements.append(statement)
            for (seed, start), statement, slug in zip(
                chosen, statements, claim_slugs(statements), strict=True
            ):
                claims.append(self.claim_row(article, number, seed, start, statement, slug))
        titles = {row["id"]: row["title"] for row in articles}
        for claim in claims:
            seed = claim.pop("_seed")
            links = self.evidence_rows(claim, seed)
            evidence += links
            # The search document, as the rules write it (search.build_document), made here:
            # rebuilding 100,000 documents afterwards would take minutes.
            claim["search_document"] = build_document(
                statement=claim["statement"],
                quote=claim["quote"],
                rationale=claim["rationale"],
                group_note=claim["group_note"],
                article_title=titles[claim["article_id"]],
                tag_names=sorted(self.tag_names[t] for t in seed.tags if t in self.tag_names),
                sources=[(link["note"], *self.sources[link["citation_id"]]) for link in links],
            )
            tags += [
                {"id": self.ids.take(self.through), "claim_id": claim["id"], "reasontag_id": t}
                for t in (self.tags.get(slug) for slug in seed.tags)
                if t is not None
            ]
            if claim["published_at"] is not None:
                changes += self.change_rows(claim)
                if rng.random() < FLAG_SHARE:
                    flags.append(self.flag_row(claim))
        self.write_with_history(Article, articles, lambda row: row["created_at"])
        self.write_with_history(Claim, claims, lambda row: row["published_at"] or row["created_at"])
        claim_history = {
            row["id"]: row["history_id"] for row in self.last_history
        }  # for the tags' history
        self.writer.write(self.through, tags)
        self.writer.write(
            self.tag_history,
            [
                {
                    "m2m_history_id": self.ids.take(self.tag_history),
                    "id": row["id"],
                    "claim_id": row["claim_id"],
                    "reasontag_id": row["reasontag_id"],
                    "history_id": claim_history[row["claim_id"]],
                }
                for row in tags
            ],
        )
        created = {row["id"]: row["created_at"] for row in claims}
        self.write_with_history(Evidence, evidence, lambda row: created[row["claim_id"]])
        self.writer.write(ClaimChange, changes)
        self.write_with_history(Flag, flags, lambda row: row["created_at"])

    def make_article(self, number, count):
        """An article of count claims: their paragraphs and filler, shuffled. Returns the row
        and [(seed claim, quote start)]."""
        rng = self.rng
        pool = self.seeds.claims
        chosen = rng.sample(pool, count) if count <= len(pool) else rng.choices(pool, k=count)
        blocks = []  # (paragraph, [seed claims quoting it])
        by_paragraph = {}
        for seed in chosen:
            if count <= len(pool) and seed.paragraph in by_paragraph:
                blocks[by_paragraph[seed.paragraph]][1].append(seed)
            else:
                by_paragraph[seed.paragraph] = len(blocks)
                blocks.append((seed.paragraph, [seed]))
        size = sum(len(p) for p, _ in blocks)
        target = rng.randint(6_000, 14_000)
        while size < target:
            paragraph = rng.choice(self.seeds.filler)
            blocks.append((paragraph, []))
            size += len(paragraph) + 2
        rng.shuffle(blocks)
        base_title = rng.choice(self.seeds.titles)
        title = f"{base_title} (No. {number + 1})"
        publisher, author = rng.choice(self.seeds.publishers)
        parts, placed, position = [title], [], len(title) + 2
        for paragraph, seeds in blocks:
            placed += [(seed, position + seed.offset) for seed in seeds]
            parts.append(paragraph)
            position += len(paragraph) + 2
        created_at = self.now - timedelta(days=rng.uniform(30, 1100))
        row = {
            "id": self.ids.take(Article),
            "version": 1,
            "slug": f"{PREFIX}{number:07d}-{slugify(base_title)[:60].rstrip('-')}",
            "title": title,
            "publisher": publisher,
            "author": author,
            "url": f"https://example.com/bench/{number + 1}",
            "published_on": (created_at - timedelta(days=rng.randint(1, 30))).date(),
            "text": "\n\n".join(parts),
            "created_at": created_at,
        }
        placed.sort(key=lambda item: item[1])
        return row, placed

    def claim_row(self, article, number, seed, start, statement, slug):
        rng = self.rng
        end = start + len(seed.quote)
        prefix, suffix = context_of(article["text"], start, end)
        created_at = article["created_at"] + timedelta(hours=rng.uniform(1, 48))
        reviewed_at = created_at + timedelta(days=rng.uniform(1, 25))
        status, certainty, rationale = seed.status, seed.certainty, seed.rationale
        published = rng.random() >= DRAFT_SHARE
        if not published and rng.random() < 0.5:
            status, certainty, rationale, reviewed_at = Status.UNREVIEWED, "", "", None
        reviewer = rng.choice(self.reviewers)
        group = self.group_for(seed, number) if Status(status).is_reviewed else None
        withdrawn = published and rng.random() < WITHDRAWN_SHARE
        return {
            "_seed": seed,
            "id": self.ids.take(Claim),
            "version": 1,
            "article_id": article["id"],
            "slug": slug,
            "quote": seed.quote,
            "quote_start": start,
            "quote_end": end,
            "quote_prefix": prefix,
            "quote_suffix": suffix,
            "anchor": AnchorState.ANCHORED,
            "proposed_quote": "",
            "proposed_start": None,
            "passage_changed_at": None,
            "statement": statement,
            "topic": seed.topic,
            "group_id": group,
            "status": status,
            "certainty": certainty,
            "rationale": rationale,
            "group_note": seed.group_note if group else "",
            "reviewed_by_id": reviewer if reviewed_at else None,
            "reviewed_at": reviewed_at,
            "review_due_on": due_after_review(reviewed_at, seed.topic),
            "due_reason": "",
            "published_at": reviewed_at + timedelta(hours=2) if published else None,
            "published_by_id": self.editor if published else None,
            "drafted_by_id": reviewer,
            "withdrawn_at": reviewed_at + timedelta(days=30) if withdrawn else None,
            "withdrawal_note": "Withdrawn: the article quoted was retracted." if withdrawn else "",
            "created_at": created_at,
        }

    def evidence_rows(self, claim, seed):
        """Two links per claim on average, with the seed's stances, one of them one the
        verdict needs (publication_problems)."""
        rng = self.rng
        stances = list(seed.evidence) or [(Stance.QUALIFIES, "What this source shows.")]
        count = rng.choice((1, 2, 2, 3))
        picked = [stances[i % len(stances)] for i in range(count)]
        needed = Status(claim["status"]).required_stances
        if needed and not {stance for stance, _ in picked} & needed:
            picked[0] = (sorted(needed)[0], picked[0][1])
        citations = rng.sample(self.citation_ids, count)
        return [
            {
                "id": self.ids.take(Evidence),
                "version": 1,
                "claim_id": claim["id"],
                "citation_id": citation,
                "stance": stance,
                "note": note,
            }
            for (stance, note), citation in zip(picked, citations, strict=True)
        ]

    def change_rows(self, claim):
        """The public record publish() starts (and withdraw() adds to)."""
        rows = [
            {
                "id": self.ids.take(ClaimChange),
                "claim_id": claim["id"],
                "kind": ChangeKind.VERDICT,
                "changed_by_id": self.editor,
                "changed_at": claim["published_at"],
                "old_status": Status.UNREVIEWED,
                "new_status": claim["status"],
                "old_certainty": "",
                "new_certainty": claim["certainty"],
                "old_rationale": "",
                "new_rationale": claim["rationale"],
                "summary": "",
                "old_wording": "",
                "new_wording": "",
                "note": "",
            }
        ]
        if claim["withdrawn_at"]:
            rows.append(
                {
                    "id": self.ids.take(ClaimChange),
                    "claim_id": claim["id"],
                    "kind": ChangeKind.WITHDRAWAL,
                    "changed_by_id": self.editor,
                    "changed_at": claim["withdrawn_at"],
                    "summary": "The claim was withdrawn.",
                    "note": claim["withdrawal_note"],
                }
            )
        return rows

    def flag_row(self, claim):
        rng = self.rng
        created_at = claim["published_at"] + timedelta(days=rng.uniform(1, 60))
        row = {
            "id": self.ids.take(Flag),
            "version": 1,
            "claim_id": claim["id"],
            "raised_by_id": rng.choice(self.reviewers),
            "reason_id": rng.choice(list(self.tags.values())),
            "comment": "A reader's doubt about this verdict, in a sentence or two (synthetic).",
            "created_at": created_at,
            "state": FlagState.OPEN,
            "resolved_by_id": None,
            "resolved_at": None,
            "resolution_note": "",
            "assignee_id": None,
            "priority": FlagPriority.NORMAL,
            "due_on": None,
        }
        if rng.random() < 0.4:
            row["state"] = rng.choice([FlagState.UPHELD, FlagState.DISMISSED])
            row["resolved_by_id"] = self.editor
            row["resolved_at"] = created_at + timedelta(days=rng.uniform(1, 20))
            row["resolution_note"] = "Settled after rereading the sources (synthetic)."
        elif rng.random() < 0.3:
            row["assignee_id"] = self.editor
            row["priority"] = rng.choice(list(FlagPriority))
            row["due_on"] = (created_at + timedelta(days=rng.randint(3, 30))).date()
        return row

    def write_with_history(self, model, rows, when):
        history = self.history[model]
        self.writer.write(model, rows)
        self.last_history = [
            {
                **row,
                "history_id": self.ids.take(history),
                "history_date": when(row),
                "history_type": "+",
                "history_change_reason": HISTORY_REASON,
                "history_user_id": None,
            }
            for row in rows
        ]
        self.writer.write(history, self.last_history)


def generate(*, claims, articles=None, seed=0, progress=None):
    """Write the benchmark data; {model: rows written}. Run inside a transaction."""
    articles = articles or max(1, claims // CLAIMS_PER_ARTICLE)
    generator = Generator(claims=claims, articles=articles, seed=seed, progress=progress)
    return generator.run()


# What is in the database.


def is_synthetic_article(slug):
    return slug.startswith(PREFIX)


def foreign_articles():
    """Articles that are not benchmark data: their presence means a real database."""
    return Article._base_manager.exclude(slug__startswith=PREFIX)


def bench_claims():
    return Claim._base_manager.filter(article__slug__startswith=PREFIX)


def delete_bench_data():
    """Remove every synthetic row (the bench users stay). Raw deletes: the history's delete
    signals would write a row per deleted object, and the rules refuse deleting published
    claims, which is right for real data only."""
    claims = Subquery(bench_claims().values("pk"))
    tag_history = apps.get_model("claims", "HistoricalClaim_reason_tags")
    steps = [
        tag_history._base_manager.filter(claim_id__in=claims),
        Claim.reason_tags.through._base_manager.filter(claim_id__in=claims),
        Flag.history.model._base_manager.filter(claim_id__in=claims),
        Flag._base_manager.filter(claim_id__in=claims),
        ClaimChange._base_manager.filter(claim_id__in=claims),
        Evidence.history.model._base_manager.filter(claim_id__in=claims),
        Evidence._base_manager.filter(claim_id__in=claims),
        Claim.history.model._base_manager.filter(
            article_id__in=Subquery(
                Article._base_manager.filter(slug__startswith=PREFIX).values("pk")
            )
        ),
        Claim._base_manager.filter(pk__in=claims),
        Article.history.model._base_manager.filter(slug__startswith=PREFIX),
        Article._base_manager.filter(slug__startswith=PREFIX),
        Citation.history.model._base_manager.filter(slug__startswith=PREFIX),
        Citation._base_manager.filter(slug__startswith=PREFIX),
        ClaimGroup.history.model._base_manager.filter(slug__startswith=PREFIX),
        ClaimGroup._base_manager.filter(slug__startswith=PREFIX),
    ]
    deleted = 0
    for queryset in steps:
        # Evaluate the subquery before its rows go: Claim's step deletes what it selects from.
        deleted += queryset._raw_delete(queryset.db)
    return deleted


def rebuild_derived_data():
    """What a bulk insert skips: the public version the page cache is keyed on (the rows
    send no signals), then fresh planner statistics on PostgreSQL. The search documents are
    written with the claims."""
    done = []
    PublicVersion.objects.bump()
    done.append("public version")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        done.append("statistics")
    return done


class Progress:
    """A plain-text progress bar on a stream (stderr)."""

    def __init__(self, stream, width=30):
        self.stream, self.width, self.started = stream, width, time.monotonic()

    def __call__(self, done, total):
        share = done / total if total else 1
        filled = round(share * self.width)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r[{bar}] {share:4.0%} {done:,}/{total:,} claims {elapsed:5.1f} s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


__all__ = [
    "COMMON_TERM",
    "PREFIX",
    "RARE_TERM",
    "Progress",
    "bench_claims",
    "delete_bench_data",
    "foreign_articles",
    "generate",
    "is_synthetic_article",
    "rebuild_derived_data",
]
