"""The editorial admin: editors work claims and settle flags; reviewers read and raise flags.

Every change to a verdict or to evidence goes through the model methods (change_verdict,
add_evidence, Flag.uphold, ...), which check permissions and write the claim's history.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator

from . import consistency
from .admin_forms import BulkVerdictForm, ClaimAdminForm, FlagRaiseForm, FlagSettleForm
from .models import (
    OPEN_FIRST,
    REVIEW_CLAIM,
    SETTLE_FLAG,
    Article,
    Citation,
    Claim,
    ClaimChange,
    ClaimGroup,
    Evidence,
    Flag,
    ReasonTag,
    Status,
)


class AdminMedia:
    css = {"all": ["admin/claimtrack-admin.css"]}


def badge(kind, code, label):
    return format_html('<span class="ct-badge ct-{}-{}">{}</span>', kind, code, label)


def changelist_link(model, label, **filters):
    url = reverse(f"admin:claims_{model}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["slug", "statement", "status"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "author", "published_on", "claims"]
    search_fields = ["title", "publisher", "author", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ClaimInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claims(self, article):
        return changelist_link("claim", article.claim_count, article__id__exact=article.pk)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "text" in form.changed_data:
            obj.relocate_quotes()


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["slug", "authors_short", "year", "kind", "journal", "doi", "pmid"]
    list_filter = ["kind"]
    search_fields = ["slug", "title", "authors", "journal", "doi", "pmid"]

    @admin.display(description="authors", ordering="authors")
    def authors_short(self, citation):
        return Truncator(citation.authors).chars(40)


class ConsistencyFindings:
    """The consistency report's claims for one admin request, each check run on first use.

    The list filter asks once per page, and once more per choice when facets are shown;
    each check loads every claim's statement, so it runs at most once per request."""

    @cached_property
    def differences(self):
        return consistency.unexplained_differences()

    @cached_property
    def differing_claims(self):
        return {difference.claim.pk for difference in self.differences}

    @cached_property
    def groups_with_differences(self):
        return {difference.claim.group_id for difference in self.differences}

    @cached_property
    def lookalike_claims(self):
        return {lookalike.claim.pk for lookalike in consistency.lookalikes()}


def consistency_findings(request):
    if not hasattr(request, "claimtrack_consistency"):
        request.claimtrack_consistency = ConsistencyFindings()
    return request.claimtrack_consistency


@admin.register(ClaimGroup)
class ClaimGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "claims"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]  # Meta.ordering does not apply to the counting (GROUP BY) query

    def get_queryset(self, request):
        reviewed = ~Q(claims__status=Status.UNREVIEWED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                claim_count=Count("claims"),
                status_count=Count("claims__status", distinct=True, filter=reviewed),
            )
        )

    def get_list_display(self, request):
        # The verdicts column asks the consistency rules, so it is built here, for the list
        # only (not for the change form, nor for the claim form's group autocomplete).
        findings = consistency_findings(request)

        @admin.display(description="verdicts", ordering="status_count")
        def verdicts(group):
            """Whether the members' verdicts agree, and if not, whether notes say why."""
            if group.status_count == 0:
                return "none yet"
            if group.status_count == 1:
                return "agree"
            if group.pk not in findings.groups_with_differences:
                return "differ, each with a note"
            return changelist_link(
                "claim",
                "differ without a note",
                group__id__exact=group.pk,
                consistency=ConsistencyFilter.DIFFERS,
            )

        return [*super().get_list_display(request), verdicts]

    @admin.display(description="claims", ordering="claim_count")
    def claims(self, group):
        return changelist_link("claim", group.claim_count, group__id__exact=group.pk)


@admin.register(ReasonTag)
class ReasonTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "definition"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 1
    autocomplete_fields = ["citation"]
    fields = ["citation", "stance", "note"]


class FlagInline(ReadOnlyInline):
    model = Flag
    fk_name = "claim"
    fields = ["reason", "raised_by", "created_at", "comment", "state", "resolution_note"]
    readonly_fields = fields
    show_change_link = True


class ClaimChangeInline(ReadOnlyInline):
    model = ClaimChange
    verbose_name = "history entry"
    verbose_name_plural = "history (read-only: a past verdict is never lost)"
    fields = ["changed_at", "changed_by", "kind", "__str__", "new_certainty", "note"]
    readonly_fields = fields


class HasOpenFlagsFilter(admin.SimpleListFilter):
    title = "has open flags"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_flag_count__gt=0)
        if self.value() == "no":
            return queryset.filter(open_flag_count=0)
        return queryset


class ConsistencyFilter(admin.SimpleListFilter):
    """The claims the consistency report (check_consistency) names."""

    title = "consistency"
    parameter_name = "consistency"
    DIFFERS = "differs"
    LOOKALIKE = "lookalike"

    def lookups(self, request, model_admin):
        return [
            (self.DIFFERS, "verdict differs from its group without a note"),
            (self.LOOKALIKE, "looks like a group it is not in"),
        ]

    def queryset(self, request, queryset):
        findings = consistency_findings(request)
        if self.value() == self.DIFFERS:
            return queryset.filter(pk__in=findings.differing_claims)
        if self.value() == self.LOOKALIKE:
            return queryset.filter(pk__in=findings.lookalike_claims)
        return queryset


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = [
        "short_statement",
        "article",
        "status_label",
        "certainty",
        "open_flags",
        "evidence",
    ]
    list_select_related = ["article"]
    list_filter = [
        "status",
        "topic",
        "certainty",
        "article",
        HasOpenFlagsFilter,
        "group",
        ConsistencyFilter,
    ]
    search_fields = ["statement", "quote", "article__title"]
    autocomplete_fields = ["article", "group"]
    filter_horizontal = ["reason_tags"]
    readonly_fields = ["quote_position", "reviewed_by", "reviewed_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "article",
                    "slug",
                    "quote",
                    "quote_position",
                    "statement",
                    "topic",
                    "group",
                ]
            },
        ),
        (
            "Verdict",
            {
                "fields": [
                    "status",
                    "certainty",
                    "rationale",
                    "reason_tags",
                    "change_note",
                    "reviewed_by",
                    "reviewed_at",
                ]
            },
        ),
    ]
    inlines = [EvidenceInline, FlagInline, ClaimChangeInline]
    actions = ["set_verdict"]
    Media = AdminMedia

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(REVIEW_CLAIM):
            fields += ["status", "certainty", "rationale"]
        return fields

    def get_inlines(self, request, obj):
        # A new claim has no flags or history yet.
        return self.inlines if obj else [EvidenceInline]

    @admin.display(description="statement", ordering="statement")
    def short_statement(self, claim):
        return Truncator(claim.statement).chars(90)

    @admin.display(description="status", ordering="status")
    def status_label(self, claim):
        return badge("status", claim.status, claim.get_status_display())

    @admin.display(description="open flags", ordering="open_flag_count")
    def open_flags(self, claim):
        return claim.open_flag_count

    @admin.display(description="evidence", ordering="evidence_count")
    def evidence(self, claim):
        return claim.evidence_count

    @admin.display(description="position in article")
    def quote_position(self, claim):
        if not claim.pk:
            return "—"
        return f"characters {claim.quote_start}–{claim.quote_end}"

    def save_model(self, request, obj, form, change):
        # The verdict is written by change_verdict, which records it; save the rest first.
        verdict = obj.verdict
        stored = Claim.objects.get(pk=obj.pk).verdict if change else (Status.UNREVIEWED, "", "")
        obj.status, obj.certainty, obj.rationale = stored
        obj.save()
        if verdict != stored:
            status, certainty, rationale = verdict
            obj.change_verdict(
                by=request.user,
                status=status,
                certainty=certainty,
                rationale=rationale,
                note=form.cleaned_data["change_note"],
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Evidence:
            return super().save_formset(request, form, formset, change)
        claim, why = form.instance, form.cleaned_data.get("change_note", "")
        formset.save(commit=False)
        for evidence in formset.deleted_objects:
            claim.remove_evidence(evidence, by=request.user, why=why)
        for evidence, _fields in formset.changed_objects:
            claim.revise_evidence(evidence, by=request.user, why=why)
        for evidence in formset.new_objects:
            claim.add_evidence(
                by=request.user,
                citation=evidence.citation,
                stance=evidence.stance,
                note=evidence.note,
                why=why,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        gap = form.instance.evidence_gaps()
        if gap:
            self.message_user(request, gap, messages.WARNING)

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_CLAIM)

    @admin.action(description="Set the verdict of selected claims", permissions=["review"])
    def set_verdict(self, request, queryset):
        form = BulkVerdictForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            data = form.cleaned_data
            changed = 0
            for claim in queryset.select_related("article"):
                certainty = data["certainty"] if data["certainty"] else claim.certainty
                if claim.change_verdict(
                    by=request.user,
                    status=data["status"],
                    certainty=certainty,
                    rationale=data["rationale"],
                    note=data["note"],
                ):
                    changed += 1
            self.message_user(
                request,
                f"Verdict set on {changed} of {queryset.count()} claim(s).",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Set the verdict of selected claims",
            "opts": self.model._meta,
            "form": form,
            "claims": queryset.select_related("article"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/set_verdict.html", context)


FLAG_REPORT_FIELDS = ["claim_link", "reason", "reason_tags", "comment", "raised_by", "created_at"]
FLAG_RESOLUTION_FIELDS = ["state", "resolved_by", "resolved_at", "resolution_note"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """The review queue: open flags first, oldest first."""

    list_display = [
        "claim_statement",
        "reason",
        "raised_by",
        "created_at",
        "state_label",
        "resolved_by",
    ]
    list_select_related = ["claim", "raised_by", "resolved_by"]
    list_filter = ["state", "reason", "reason_tags"]
    search_fields = ["claim__statement", "claim__quote", "comment"]
    ordering = [OPEN_FIRST.asc(), "created_at"]
    autocomplete_fields = ["claim"]
    Media = AdminMedia

    @admin.display(description="claim", ordering="claim__statement")
    def claim_statement(self, flag):
        return Truncator(flag.claim.statement).chars(80)

    @admin.display(description="state", ordering="state")
    def state_label(self, flag):
        return badge("flag", flag.state, flag.get_state_display())

    @admin.display(description="claim")
    def claim_link(self, flag):
        url = reverse("admin:claims_claim_change", args=[flag.claim_id])
        return format_html(
            '<a href="{}">{}</a><br><q>{}</q><br>Status: {}',
            url,
            flag.claim.statement,
            flag.claim.quote,
            badge("status", flag.claim.status, flag.claim.get_status_display()),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FlagRaiseForm
        elif obj.is_open and request.user.has_perm(SETTLE_FLAG):
            kwargs["form"] = FlagSettleForm
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["claim", "reason", "reason_tags", "comment"]})]
        fieldsets = [
            (None, {"fields": FLAG_REPORT_FIELDS}),
            ("Resolution", {"fields": FLAG_RESOLUTION_FIELDS}),
        ]
        if obj.is_open and request.user.has_perm(SETTLE_FLAG):
            settle = ["decision", "note", "new_status", "new_certainty", "new_rationale"]
            fieldsets[1] = ("Settle this flag", {"fields": settle})
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # An existing flag is only ever settled, through the extra fields of FlagSettleForm.
        return [] if obj is None else FLAG_REPORT_FIELDS + FLAG_RESOLUTION_FIELDS

    def has_change_permission(self, request, obj=None):
        # Only settling changes a flag, and only while it is open.
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a flag is part of the record, settled or not

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            flag = Flag.objects.raise_flag(
                claim=data["claim"],
                by=request.user,
                reason=data["reason"],
                comment=data["comment"],
                tags=data["reason_tags"],
            )
            obj.pk, obj.raised_by, obj.created_at = flag.pk, flag.raised_by, flag.created_at
        elif data.get("decision") == "uphold":
            obj.uphold(
                by=request.user,
                note=data["note"],
                status=data["new_status"] or None,
                certainty=data["new_certainty"] or None,
                rationale=data["new_rationale"] or None,
            )
        elif data.get("decision") == "dismiss":
            obj.dismiss(by=request.user, note=data["note"])

    def save_related(self, request, form, formsets, change):
        if not change:
            return  # raise_flag set the tags
        super().save_related(request, form, formsets, change)


@admin.register(ClaimChange)
class ClaimChangeAdmin(admin.ModelAdmin):
    """The full history, for reading. Rows are written only by the model methods."""

    list_display = ["changed_at", "claim", "kind", "__str__", "changed_by", "note"]
    list_select_related = ["claim", "changed_by"]
    list_filter = ["kind", "new_status"]
    search_fields = ["claim__statement", "note", "summary"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
