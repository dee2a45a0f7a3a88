"""Is the review consistent with itself? Three checks an editor can act on.

A group gathers claims that say the same thing in several articles, so their verdicts agree
unless a claim's wording earns it a different one, which its group_note then says. The checks:

- unexplained differences: a group member whose verdict is not the group's and has no note;
- look-alikes: a claim in no group whose statement reads like the members of a group, so it
  may be the same claim judged on its own (a hint from the wording, for an editor to settle).
  A claim an editor put in a group is not second-guessed: sentences that differ in one word
  ("may be effective for PTSD" / "for OCD") read more alike than true restatements do;
- empty groups, which gather nothing.

Each check loads what it needs in one query, and report() loads the claims once for both
claim checks: two queries, whatever the data.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from claimtrack.claims.models import Claim, ClaimGroup, Status

# token_set_ratio (0-100) of the normalised statements. Restatements of one claim in two
# articles measured 86-91 in the seed review ("a dissociative drug" / "classified as a
# dissociative anesthetic": 91); below 85, any two claims about "ketamine ... the brain" crowd
# in (82). Sentences that differ in one word score higher than restatements ("may be
# effective for PTSD" / "for OCD": 95), so a look-alike is a question for an editor, not a
# verdict.
SIMILARITY_THRESHOLD = 85

STATUS_ORDER = list(Status)


def claims_to_check():
    """Every claim with its article and group, for the checks and their messages."""
    return (
        Claim.objects.select_related("article", "group")
        .defer("article__text")
        .order_by("article__slug", "slug")
    )


def group_verdict(members):
    """The status most reviewed members share: the group's verdict, or None without one.

    On a tie, the status of members that do not explain themselves wins (a note marks a member
    as the exception), then the scale's order, so the answer never depends on row order."""
    reviewed = [m for m in members if Status(m.status).is_reviewed]
    if not reviewed:
        return None
    counts = Counter(m.status for m in reviewed)
    without_note = Counter(m.status for m in reviewed if not m.group_note.strip())
    return max(counts, key=lambda s: (counts[s], without_note[s], -STATUS_ORDER.index(s)))


@dataclass(frozen=True)
class UnexplainedDifference:
    claim: Claim
    group_status: str
    agreeing: int  # members with the group's verdict
    reviewed: int  # members with any verdict

    def __str__(self):
        claim = self.claim
        return (
            f"{claim.article.slug}/{claim.slug} is {Status(claim.status).label.lower()} but its "
            f"group “{claim.group.slug}” is {Status(self.group_status).label.lower()} "
            f"({self.agreeing} of {self.reviewed}), and it has no group note"
        )


def unexplained_differences(claims=None):
    """Group members whose verdict differs from their group's and whose group_note is empty.

    Unreviewed members have no verdict to differ: they are left to the reviewers."""
    claims = claims_to_check() if claims is None else claims
    groups = defaultdict(list)
    for claim in claims:
        if claim.group_id:
            groups[claim.group_id].append(claim)
    found = []
    for members in groups.values():
        verdict = group_verdict(members)
        reviewed = [m for m in members if Status(m.status).is_reviewed]
        agreeing = sum(m.status == verdict for m in reviewed)
        found += [
            UnexplainedDifference(m, verdict, agreeing, len(reviewed))
            for m in reviewed
            if m.status != verdict and not m.group_note.strip()
        ]
    return found


@dataclass(frozen=True)
class Lookalike:
    claim: Claim
    group: ClaimGroup
    member: Claim  # the group's member the claim reads most like
    score: float

    def __str__(self):
        claim, member = self.claim, self.member
        return (
            f"{claim.article.slug}/{claim.slug} (in no group) is {self.score:.0f}% like "
            f"{member.article.slug}/{member.slug}, in group “{self.group.slug}”"
        )


def normalise(statement):
    """Lower case, punctuation to spaces, trimmed: the wording, not its typography."""
    return utils.default_process(statement)


def lookalikes(claims=None, threshold=SIMILARITY_THRESHOLD):
    """Claims in no group whose statement reads like a group's, one finding per such group.

    Each ungrouped claim is compared with the members of every group; it reads like a group
    when its best similarity to one of the members reaches the threshold. One rapidfuzz call
    per claim scores it against every grouped claim at once."""
    claims = list(claims_to_check() if claims is None else claims)
    grouped = [claim for claim in claims if claim.group_id]
    wordings = [normalise(claim.statement) for claim in grouped]
    found = []
    for claim in (claim for claim in claims if not claim.group_id):
        matches = process.extract(
            normalise(claim.statement),
            wordings,
            scorer=fuzz.token_set_ratio,
            processor=None,
            score_cutoff=threshold,
            limit=None,
        )
        best = {}  # group id: (score, member), the best first: extract sorts by score
        for _, score, index in matches:
            member = grouped[index]
            if member.group_id != claim.group_id and member.group_id not in best:
                best[member.group_id] = (score, member)
        found += [Lookalike(claim, m.group, m, score) for score, m in best.values()]
    return found


def empty_groups():
    """Groups with no claims: a name that gathers nothing."""
    return ClaimGroup.objects.filter(claims__isnull=True).order_by("slug")


@dataclass(frozen=True)
class Report:
    unexplained: list
    lookalikes: list
    empty_groups: list

    @property
    def findings(self):
        return [*self.unexplained, *self.lookalikes, *self.empty_groups]


def report():
    """All three checks, the claims loaded once: two queries."""
    claims = list(claims_to_check())
    return Report(unexplained_differences(claims), lookalikes(claims), list(empty_groups()))
