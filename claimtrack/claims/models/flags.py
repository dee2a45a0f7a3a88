"""Reviewers' flags on claims, and how editors settle them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import notifications
from .claims import OTHER_REASON, Claim, ReasonTag
from .common import (
    RAISE_FLAG,
    REVIEW_CLAIM,
    SETTLE_FLAG,
    NormalizedTextField,
    RecordedQuerySet,
    StaleEdit,
    Versioned,
    choices_constraint,
    require_permission,
)
from .people import StaffProfile


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Upheld"
    DISMISSED = "dismissed", "Dismissed"


class FlagPriority(models.TextChoices):
    HIGH = "high", "High"
    NORMAL = "normal", "Normal"
    LOW = "low", "Low"

    @property
    def rank(self):
        """Place in the queue: high first."""
        return list(FlagPriority).index(self)


# Sorts open flags before settled ones (the review queue).
OPEN_FIRST = models.Case(models.When(state=FlagState.OPEN, then=0), default=1)
# Sorts high priority first.
PRIORITY_FIRST = models.Case(
    *(models.When(priority=priority, then=priority.rank) for priority in FlagPriority),
    default=len(FlagPriority),
)


def overdue_first(today):
    """Sorts the open flags due before today first."""
    return models.Case(models.When(state=FlagState.OPEN, due_on__lt=today, then=0), default=1)


def queue_order(today=None):
    """The review queue: open first, overdue first, then by priority, then oldest first."""
    today = today or timezone.localdate()
    return [OPEN_FIRST.asc(), overdue_first(today).asc(), PRIORITY_FIRST.asc(), "created_at", "pk"]


def assignable_users():
    """Who a flag may be assigned to: active staff who can settle flags or review claims."""
    users = get_user_model().objects
    # Permissions come from the model backend (the other one, django-axes, only throttles).
    backend = "django.contrib.auth.backends.ModelBackend"
    able = users.with_perm(SETTLE_FLAG, backend=backend) | users.with_perm(
        REVIEW_CLAIM, backend=backend
    )
    return able.filter(is_staff=True, is_active=True).order_by("username")


DUPLICATE_FLAG_MESSAGE = "You already have an open flag on this claim for this reason."


class FlagQuerySet(RecordedQuerySet):
    def open(self):
        return self.filter(state=Flag.State.OPEN)

    def overdue(self, today=None):
        """Open flags due before today."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def assigned_to(self, user):
        return self.filter(assignee=user)

    def unassigned(self):
        return self.filter(assignee__isnull=True)

    def review_queue(self, today=None):
        """Open first, overdue first, then by priority, then oldest first."""
        return self.order_by(*queue_order(today))

    def by_due_date(self):
        """Soonest due first (so the overdue lead), those without a date last; then by
        priority, then oldest first. One's own work ("my work")."""
        return self.order_by(
            F("due_on").asc(nulls_last=True), PRIORITY_FIRST.asc(), "created_at", "pk"
        )

    def queue_counts(self, user, today=None):
        """{"open", "unassigned", "overdue", "mine"}: how the queue stands, in one query."""
        today = today or timezone.localdate()
        return self.open().aggregate(
            open=Count("pk"),
            unassigned=Count("pk", filter=Q(assignee__isnull=True)),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            mine=Count("pk", filter=Q(assignee=user)),
        )


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
        claim and reason. The claim's reviewer and the flag's assignee are emailed after the
        commit (reads claim.reviewed_by: select_related it)."""
        self.check_can_raise(claim=claim, by=by, reason=reason, comment=comment)
        try:
            with transaction.atomic():
                flag = self.model(claim=claim, raised_by=by, reason=reason, comment=comment)
                flag._history_user = by
                flag.save()
                Claim.objects.filter(pk=claim.pk).mark_updated()  # its open flags are public
                told = [claim.reviewed_by, flag.assignee]
                notifications.flag_raised(
                    flag, StaffProfile.objects.to_email_about_flags(told, actor=by)
                )
        except IntegrityError:  # a double submit raced past the check
            raise ValidationError(DUPLICATE_FLAG_MESSAGE, code="duplicate_flag") from None
        return flag

    def raise_by_system(self, *, claim, by, reason, comment):
        """The system itself reports a claim (the evidence watch, `by` its account: no person,
        so no permission to check). Returns the flag, or None when the system already has an
        open flag on this claim for this reason (it says enough). The claim's reviewer is
        emailed after the commit (reads claim.reviewed_by: select_related it)."""
        if self.open().filter(claim=claim, raised_by=by, reason=reason).exists():
            return None
        with transaction.atomic():
            flag = self.model(claim=claim, raised_by=by, reason=reason, comment=comment)
            flag._history_user = by
            flag.save()
            Claim.objects.filter(pk=claim.pk).mark_updated()  # its open flags are public
            told = StaffProfile.objects.to_email_about_flags([claim.reviewed_by], actor=None)
            notifications.flag_raised(flag, told)
        return flag


class Flag(Versioned):
    State = FlagState
    Priority = FlagPriority

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
    # Triage: who settles it, how urgent it is, by when. Changed with assign().
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags_assigned",
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    due_on = models.DateField("due date", null=True, blank=True)

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
            choices_constraint("priority", FlagPriority, "flag_priority_valid"),
            models.CheckConstraint(
                condition=Q(state="open", resolved_at__isnull=True)
                | (~Q(state="open") & Q(resolved_at__isnull=False)),
                name="flag_settled_iff_resolved_at",
            ),
        ]
        indexes = [
            # The review queue and the "has open flags" filters.
            models.Index(fields=["state", "created_at"], name="flag_state_created_idx"),
            # The overdue flags: the queue's filter and counts. (Those assigned to someone are
            # found by the assignee's own foreign-key index.)
            models.Index(fields=["state", "due_on"], name="flag_state_due_idx"),
            # A claim's open flags: the lists' open-flag counts and "has open flags" filter,
            # and the home page's most flagged (open flags grouped by claim).
            models.Index(fields=["claim", "state"], name="flag_claim_state_idx"),
        ]

    def __str__(self):
        """Reads the reason and the claim: select_related both where flags are listed."""
        return f"{self.reason} flag on “{self.claim}”"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    def assign(self, *, by, assignee, priority, due_on, expected_version=None):
        """Give the open flag to assignee (None: to nobody), with a priority and a due date
        (or None). Only those who settle flags assign them, and only to staff who can settle
        flags or review claims (assignable_users). A new assignee is emailed after the commit.
        Returns False when nothing changed. With expected_version, a flag saved by someone else
        since then raises StaleEdit."""
        require_permission(by, SETTLE_FLAG, "assign flags")
        if priority not in FlagPriority.values:
            unknown = ValidationError(f"Unknown priority {priority!r}.", code="invalid_priority")
            raise ValidationError({"priority": unknown})
        if assignee is not None and not assignable_users().filter(pk=assignee.pk).exists():
            refused = ValidationError(
                f"{assignee.get_username()} cannot settle flags or review claims, so cannot be "
                "assigned one.",
                code="invalid_assignee",
            )
            raise ValidationError({"assignee": refused})
        with transaction.atomic():
            # Lock the flag: an editor settling or assigning it meanwhile must not be undone.
            current = Flag.objects.select_for_update().get(pk=self.pk)
            if expected_version is not None and current.version != expected_version:
                raise StaleEdit(self, expected_version, current.version)
            if not current.is_open:
                raise ValidationError(current.settled_message(), code="already_settled")
            assignee_id = assignee.pk if assignee is not None else None
            if (current.assignee_id, current.priority, current.due_on) == (
                assignee_id,
                priority,
                due_on,
            ):
                return False
            self.version = current.version
            self.assignee, self.priority, self.due_on = assignee, priority, due_on
            self._history_user, self._change_reason = by, self.triage_summary()
            self.save(update_fields=["assignee", "priority", "due_on"])
            if assignee is not None and assignee.pk != current.assignee_id:
                told = StaffProfile.objects.to_email_about_flags([assignee], actor=by)
                notifications.flag_assigned(self, by, told)
        return True

    def triage_summary(self):
        """ "Assigned to ed, high priority, due 3 Mar 2026." (the history's reason)."""
        who = self.assignee.get_username() if self.assignee else "nobody"
        due = f"due {self.due_on:%d %b %Y}" if self.due_on else "no due date"
        return f"Assigned to {who}, {self.get_priority_display().lower()} priority, {due}."

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
        Claim.objects.filter(pk=self.claim_id).mark_updated()  # one open flag fewer
