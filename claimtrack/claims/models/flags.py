"""Reviewers' flags on claims, and how editors settle them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .claims import OTHER_REASON, Claim, ReasonTag
from .common import (
    RAISE_FLAG,
    SETTLE_FLAG,
    NormalizedTextField,
    RecordedQuerySet,
    Versioned,
    choices_constraint,
    require_permission,
)


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


# Sorts open flags before settled ones (the review queue).
OPEN_FIRST = models.Case(models.When(state=FlagState.OPEN, then=0), default=1)

DUPLICATE_FLAG_MESSAGE = "You already have an open flag on this claim for this reason."


class FlagQuerySet(RecordedQuerySet):
    def open(self):
        return self.filter(state=Flag.State.OPEN)

    def review_queue(self):
        """Open flags first, then oldest first."""
        return self.order_by(OPEN_FIRST, "created_at", "pk")


class FlagManager(models.Manager.from_queryset(FlagQuerySet)):
    def check_can_raise(self, *, claim, by, reason, comment=""):
        """Raise PermissionDenied or ValidationError if `by` may not raise this flag now.
        reason is a ReasonTag: the same vocabulary that says why a verdict was given."""
        require_permission(by, RAISE_FLAG, "flag claims")
        if not isinstance(reason, ReasonTag) or reason.pk is None:
            unknown = ValidationError(f"Unknown flag reason {reason!r}.", code="invalid_reason")
            raise ValidationError({"reason": unknown})
        if reason.slug == OTHER_REASON and not comment.strip():
            needed = "Say what is wrong: “Other” needs a comment."
            raise ValidationError({"comment": ValidationError(needed, code="comment_required")})
        if self.open().filter(claim=claim, raised_by=by, reason=reason).exists():
            raise ValidationError(DUPLICATE_FLAG_MESSAGE, code="duplicate_flag")

    def raise_flag(self, *, claim, by, reason, comment=""):
        """A reviewer reports a claim, for a reason (a ReasonTag). One open flag per reviewer,
        claim and reason."""
        self.check_can_raise(claim=claim, by=by, reason=reason, comment=comment)
        try:
            with transaction.atomic():
                flag = self.model(claim=claim, raised_by=by, reason=reason, comment=comment)
                flag._history_user = by
                flag.save()
        except IntegrityError:  # a double submit raced past the check
            raise ValidationError(DUPLICATE_FLAG_MESSAGE, code="duplicate_flag") from None
        return flag


class Flag(Versioned):
    State = FlagState

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_raised"
    )
    # Why the reviewer thinks the claim is wrong, in the words used for verdicts.
    reason = models.ForeignKey(ReasonTag, on_delete=models.PROTECT, related_name="flags")
    comment = NormalizedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Settled with uphold() or dismiss(), never by assignment.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags_resolved",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = NormalizedTextField(blank=True)

    objects = FlagManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("settle_flag", "Can uphold or dismiss flags")]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "raised_by", "reason"],
                condition=Q(state="open"),
                name="flag_one_open_per_reviewer_claim_reason",
                violation_error_message=DUPLICATE_FLAG_MESSAGE,
                violation_error_code="duplicate_flag",
            ),
            choices_constraint("state", FlagState, "flag_state_valid"),
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | (~Q(state="open") & Q(resolved_at__isnull=False)),
                name="flag_settled_iff_resolved_at",
            ),
        ]
        indexes = [
            # The review queue and the "has open flags" filters.
            models.Index(fields=["state", "created_at"], name="flag_state_created_idx"),
        ]

    def __str__(self):
        """Reads the reason and the claim: select_related both where flags are listed."""
        return f"{self.reason} flag on “{self.claim}”"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def uphold(self, *, by, note, status=None, certainty=None, rationale=None):
        """Agree with the flag. Any of status, certainty, rationale given also changes the
        claim's verdict, in the same transaction."""
        with transaction.atomic():
            self._settle(self.State.UPHELD, by, note)
            if (status, certainty, rationale) != (None, None, None):
                claim = Claim.objects.select_for_update().get(pk=self.claim_id)
                reason = self.reason.in_sentence
                claim.change_verdict(
                    by=by,
                    status=status or claim.status,
                    certainty=claim.certainty if certainty is None else certainty,
                    rationale=rationale or claim.rationale,
                    note=f"A reviewer's flag ({reason}) was upheld: {note}",
                )

    def settled_message(self):
        """Who settled this flag, when and how: what a second editor needs to read."""
        who = self.resolved_by.get_username() if self.resolved_by else "the system"
        return (
            f"This flag was already {self.get_state_display().lower()} by {who} on "
            f"{timezone.localtime(self.resolved_at):%d %b %Y at %H:%M}: “{self.resolution_note}”"
        )

    def dismiss(self, *, by, note):
        with transaction.atomic():
            self._settle(self.State.DISMISSED, by, note)

    def _settle(self, state, by, note):
        require_permission(by, SETTLE_FLAG, "settle flags")
        if not note.strip():
            raise ValidationError("Say why you settle the flag this way.", code="note_required")
        # Lock the flag: two editors settling it at once must not both win.
        current = Flag.objects.select_for_update().get(pk=self.pk)
        if not current.is_open:
            raise ValidationError(current.settled_message(), code="already_settled")
        self.version = current.version
        self.state, self.resolved_by, self.resolution_note = state, by, note
        self.resolved_at = timezone.now()
        self._history_user, self._change_reason = by, note
        self.save(update_fields=["state", "resolved_by", "resolved_at", "resolution_note"])
