"""Articles, the claims taken from them, the evidence behind each verdict, and reviewers' flags.

The editorial rules live here, once. A claim's verdict (status, certainty, rationale) and its
evidence change only through the Claim methods below, which check the actor's permission, lock
the row and write a ClaimChange in the same transaction. Flags are raised with
Flag.objects.raise_flag(), assigned with Flag.assign() and settled with Flag.uphold() /
Flag.dismiss(); the staff concerned are emailed (notifications.py) as their StaffProfile
wants. The admin, the public views and the management commands all call these; nothing else
assigns claim.status.

PublicVersion (freshness.py) is the version of everything public: every write to an editorial
row changes it in the same transaction (claimtrack/claims/freshness.py), and the public pages
are cached under it (claimtrack/claims/pagecache.py).
"""

from .article_reviews import (
    REVIEW_ARTICLE,
    ArticleCriterionVerdict,
    ArticleReview,
    ArticleReviewQuerySet,
    Criterion,
    Verdict,
)
from .articles import Article, ArticleQuerySet, attach_status_counts
from .citations import (
    Citation,
    CitationKind,
    CitationQuerySet,
    validate_doi,
    validate_pmid,
)
from .claims import (
    OTHER_REASON,
    RANKED_AT_MOST,
    RATING_VALUES,
    REQUIRED_STANCES,
    AnchorState,
    Certainty,
    ChangeKind,
    Claim,
    ClaimChange,
    ClaimGroup,
    ClaimQuerySet,
    Evidence,
    ReasonTag,
    ReasonTagQuerySet,
    Stance,
    Status,
    Topic,
    check_verdict,
    evidence_gap,
    incomplete_verdict,
    verdict_problems,
)
from .common import (
    DRAFT_CLAIM,
    PUBLISH_CLAIM,
    RAISE_FLAG,
    REVIEW_CLAIM,
    SETTLE_FLAG,
    NormalizedCharField,
    NormalizedTextField,
    RecordedQuerySet,
    SlugKeyManager,
    StaleEdit,
    Versioned,
    choices_constraint,
    require_permission,
)
from .flags import (
    DUPLICATE_FLAG_MESSAGE,
    OPEN_FIRST,
    PRIORITY_FIRST,
    Flag,
    FlagPriority,
    FlagQuerySet,
    FlagState,
    assignable_users,
    queue_order,
)
from .freshness import PublicVersion, PublicVersionManager
from .notices import CitationNotice, NoticeKind, NoticeSource
from .people import (
    EVIDENCE_WATCH,
    Interests,
    StaffProfile,
    StaffProfileManager,
    evidence_watch,
    public_name_of,
    public_staff,
    role_of,
)

__all__ = [
    "attach_status_counts",
    "DRAFT_CLAIM",
    "PUBLISH_CLAIM",
    "DUPLICATE_FLAG_MESSAGE",
    "OPEN_FIRST",
    "OTHER_REASON",
    "PRIORITY_FIRST",
    "RAISE_FLAG",
    "RANKED_AT_MOST",
    "RATING_VALUES",
    "REQUIRED_STANCES",
    "REVIEW_CLAIM",
    "SETTLE_FLAG",
    "AnchorState",
    "Article",
    "ArticleCriterionVerdict",
    "ArticleQuerySet",
    "ArticleReview",
    "ArticleReviewQuerySet",
    "Criterion",
    "REVIEW_ARTICLE",
    "Verdict",
    "Certainty",
    "ChangeKind",
    "Citation",
    "CitationKind",
    "CitationNotice",
    "NoticeKind",
    "NoticeSource",
    "EVIDENCE_WATCH",
    "evidence_watch",
    "CitationQuerySet",
    "Claim",
    "ClaimChange",
    "ClaimGroup",
    "ClaimQuerySet",
    "Evidence",
    "Flag",
    "FlagPriority",
    "FlagQuerySet",
    "FlagState",
    "NormalizedCharField",
    "NormalizedTextField",
    "ReasonTag",
    "ReasonTagQuerySet",
    "PublicVersion",
    "PublicVersionManager",
    "RecordedQuerySet",
    "SlugKeyManager",
    "Interests",
    "StaffProfile",
    "public_name_of",
    "public_staff",
    "role_of",
    "StaffProfileManager",
    "StaleEdit",
    "Stance",
    "Status",
    "Topic",
    "Versioned",
    "assignable_users",
    "check_verdict",
    "evidence_gap",
    "incomplete_verdict",
    "verdict_problems",
    "choices_constraint",
    "queue_order",
    "require_permission",
    "validate_doi",
    "validate_pmid",
]
