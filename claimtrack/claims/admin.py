"""The editorial admin: editors work claims and settle flags; reviewers read and raise flags.

Every change to a verdict or to evidence goes through the model methods (change_verdict,
add_evidence, Flag.uphold, ...), which check permissions and write the claim's public record.
Every editorial record carries a version (a stale form is refused, see VersionedForm) and a
history (django-simple-history: the History button shows each version as a diff).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from claimtrack.scholarly.identifiers import parse_identifier

from . import consistency
from .admin_forms import (
    ArticleForm,
    ArticleReviewForm,
    AssignForm,
    BulkVerdictForm,
    CitationForm,
    ClaimAdminForm,
    CriterionVerdictForm,
    CriterionVerdictFormSet,
    EvidenceForm,
    EvidenceFormSet,
    FlagRaiseForm,
    FlagSettleForm,
    VersionedForm,
    criterion_help,
)
from .citation_lookup import look_up_citation
from .models import (
    DRAFT_CLAIM,
    PUBLISH_CLAIM,
    REVIEW_CLAIM,
    SETTLE_FLAG,
    AnchorState,
    Article,
    ArticleCriterionVerdict,
    ArticleReview,
    Citation,
    CitationNotice,
    Claim,
    ClaimChange,
    ClaimGroup,
    Criterion,
    Evidence,
    Flag,
    ReasonTag,
    StaffProfile,
    StaleEdit,
    queue_order,
)
from .paginators import EstimatedCountPaginator


class AdminMedia:
    css = {"all": ["admin/claimtrack-admin.css"]}


def badge(kind, code, label):
    return format_html('<span class="ct-badge ct-{}-{}">{}</span>', kind, code, label)


def count_of(model, field, exclude=None, **filters):
    """The number of model rows whose field is the outer row (and that match filters, and not
    exclude): a subquery for an annotation."""
    rows = (
        model._base_manager.filter(**{field: OuterRef("pk")}, **filters)
        .exclude(**(exclude or {}))
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def changelist_link(model, label, **filters):
    url = reverse(f"admin:claims_{model}_changelist")
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


ADMIN_SEARCH_MAX_LENGTH = 500


def refuse_a_long_search(search_term):
    """Words to find, not documents: a search box never needs more, and SQLite answers a LIKE
    pattern of more than 50,000 bytes with an error."""
    if len(search_term) > ADMIN_SEARCH_MAX_LENGTH:
        raise BadRequest(f"Search for at most {ADMIN_SEARCH_MAX_LENGTH} characters.")


class LongListAdmin(admin.ModelAdmin):
    """Every changelist here: never COUNT(*) the whole table (Django counts it once more for
    "N total" unless told not to), and estimate the list's own count past a threshold
    (EstimatedCountPaginator)."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        refuse_a_long_search(search_term)
        return super().get_search_results(request, queryset, search_term)


class RecordedAdmin(LongListAdmin, SimpleHistoryAdmin):
    """An editorial record: versioned forms, a history with diffs, and no write when nothing
    changed."""

    form = VersionedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            # Someone saved between this form's check and its save (the transaction was rolled
            # back). Show the form again: its check now finds the newer version and says what.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # an unchanged form changes nothing and records nothing
        obj._change_reason = form.cleaned_data.get("change_note", "")
        super().save_model(request, obj, form, change)


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


class NoticeInline(ReadOnlyInline):
    """A source's retractions, corrections and concerns: recorded by the evidence watch
    (CitationNotice.objects.record), never typed in here."""

    model = CitationNotice
    fields = ["kind", "date", "notice_doi", "notice_pmid", "learnt_from", "reason"]
    readonly_fields = fields
    verbose_name_plural = "notices (from the evidence watch)"


@admin.register(Article)
class ArticleAdmin(RecordedAdmin):
    form = ArticleForm
    list_display = ["title", "publisher", "author", "published_on", "claims", "workspace"]
    search_fields = ["title", "publisher", "author", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["review"]
    inlines = [ClaimInline]

    def get_queryset(self, request):
        # A subquery per row on the page, not a GROUP BY over every claim of every article.
        return super().get_queryset(request).annotate(claim_count=count_of(Claim, "article"))

    def add_view(self, request, form_url="", extra_context=None):
        # New articles come in through the desk, which fetches, normalises and previews them.
        # A popup (the "+" beside a claim's article) stays here, as the desk cannot answer it,
        # and so does the refusal of someone who may not add articles.
        popup = IS_POPUP_VAR in request.GET or IS_POPUP_VAR in request.POST
        if popup or not self.has_add_permission(request):
            return super().add_view(request, form_url, extra_context)
        return HttpResponseRedirect(reverse("desk:intake"))

    @admin.display(description="claims", ordering="claim_count")
    def claims(self, article):
        return changelist_link("claim", article.claim_count, article__id__exact=article.pk)

    @admin.display(description="claim workspace")
    def workspace(self, article):
        return format_html('<a href="{}">Open</a>', reverse("desk:workspace", args=[article.slug]))

    @admin.display(description="overall review")
    def review(self, article):
        """A link to the article's review, or to write one (ArticleReviewAdmin)."""
        if article.pk is None:
            return "Once the article is saved, it can be reviewed."
        review = article.reviews.first()
        if review is not None:
            url = reverse("admin:claims_articlereview_change", args=[review.pk])
            return format_html('<a href="{}">{}</a>', url, review.takeaway)
        url = reverse("admin:claims_articlereview_add")
        return format_html(
            'Not reviewed yet. <a href="{}?article={}">Write its review</a>', url, article.pk
        )

    def has_delete_permission(self, request, obj=None):
        # An article with claims is part of the record (claims are never lost with it).
        if obj is not None and obj.claims.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # A corrected text is saved at once, never refused for its claims; they follow it.
        super().save_model(request, obj, form, change)
        if change and "title" in form.changed_data:
            obj.claims.refresh_search_documents()  # the title is in their search documents
        if change and "text" in form.changed_data:
            outcomes = obj.reanchor_claims(by=request.user, note=form.cleaned_data["change_note"])
            self.report_reanchoring(request, outcomes)

    def report_reanchoring(self, request, outcomes):
        followed = outcomes["kept"] + outcomes["moved"]
        message = f"The text was saved. {followed} claim(s) found their quote in the new text."
        if not outcomes["proposed"] and not outcomes["detached"]:
            return self.message_user(request, message, messages.SUCCESS)
        message += (
            f" {outcomes['proposed']} passage(s) were reworded: confirm their new quotes."
            f" {outcomes['detached']} passage(s) are gone: those claims are detached."
        )
        changelist = reverse("admin:claims_claim_changelist")
        link = format_html('{} <a href="{}?passage=changed">See them</a>.', message, changelist)
        self.message_user(request, link, messages.WARNING)


class CriterionVerdictInline(admin.StackedInline):  # stacked: each field labelled
    model = ArticleCriterionVerdict
    form = CriterionVerdictForm
    formset = CriterionVerdictFormSet
    fields = ["criterion", "verdict", "why", "seen_version"]
    # The ten criteria, each once; a review's verdicts are changed, never deleted.
    min_num = max_num = len(Criterion)
    extra = 0
    can_delete = False
    verbose_name_plural = "the ten criteria"


@admin.register(ArticleReview)
class ArticleReviewAdmin(RecordedAdmin):
    """An article's overall review, with its ten verdicts below it. Editors write and change
    it (ArticleReview.save_edit, save_verdict: who, when and why go into the history);
    reviewers read it."""

    form = ArticleReviewForm
    list_display = ["article", "short_takeaway", "tally", "reviewer", "reviewed_at"]
    list_select_related = ["article", "reviewer"]
    search_fields = ["article__title", "takeaway"]
    autocomplete_fields = ["article"]
    fields = [
        "seen_version",
        "article",
        "takeaway",
        "change_note",
        "reviewer",
        "reviewed_at",
        "criteria",
    ]
    readonly_fields = ["reviewer", "reviewed_at", "criteria"]
    inlines = [CriterionVerdictInline]
    Media = AdminMedia

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("article__text")
            .annotate(
                met=count_of(ArticleCriterionVerdict, "review", verdict="satisfactory"),
                applicable=count_of(
                    ArticleCriterionVerdict, "review", exclude={"verdict": "not_applicable"}
                ),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # A review stays with the article it reviews.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "article"] if obj is not None else fields

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method != "POST":
            # The criteria not answered yet, in order, in the empty rows.
            answered = set(obj.verdicts.values_list("criterion", flat=True)) if obj.pk else set()
            kwargs["initial"] = [{"criterion": c} for c in Criterion if c not in answered]
        return kwargs

    @admin.display(description="the criteria")
    def criteria(self, review):
        return criterion_help()

    def has_delete_permission(self, request, obj=None):
        return False  # changed with a note, never deleted: the history keeps what it said

    @admin.display(description="key takeaway")
    def short_takeaway(self, review):
        return Truncator(review.takeaway).chars(90)

    @admin.display(description="criteria met")
    def tally(self, review):
        return f"{review.met} of {review.applicable}"

    def save_model(self, request, obj, form, change):
        # A new review is saved now, for its verdicts to point at; a saved one in save_related,
        # once it is known whether its form or its verdicts changed.
        if not change:
            obj.save_edit(by=request.user, note=form.cleaned_data["change_note"])

    def save_related(self, request, form, formsets, change):
        note = form.cleaned_data["change_note"]
        review = form.instance
        verdicts_changed = False
        for formset in formsets:
            for verdict in formset.save(commit=False):
                review.save_verdict(verdict, by=request.user, note=note)
                verdicts_changed = True
        if change and (form.has_changed() or verdicts_changed):
            review.save_edit(by=request.user, note=note)


@admin.register(Citation)
class CitationAdmin(RecordedAdmin):
    form = CitationForm
    list_display = ["slug", "authors_short", "year", "kind", "journal", "doi", "pmid"]
    list_filter = ["kind"]
    # Also what the evidence inline's citation autocomplete searches.
    search_fields = ["slug", "title", "authors", "journal", "doi", "pmid"]
    inlines = [NoticeInline]
    Media = AdminMedia

    @admin.display(description="authors", ordering="authors")
    def authors_short(self, citation):
        return Truncator(citation.authors).chars(40)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        identifier = parse_identifier(search_term)
        if identifier:
            # A pasted doi.org link or "PMID: 23982301" finds its citation, as stored bare.
            scheme, value = identifier
            results |= queryset.on_file(**{scheme: value})
        return results, may_have_duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.method != "POST" or "_lookup" not in request.POST:
            return form
        # "Look up" pressed without JavaScript. get_form runs twice per request: look up once.
        if not hasattr(request, "citation_lookup"):
            typed = request.POST.get("doi", "").strip() or request.POST.get("pmid", "")
            request.citation_lookup = look_up_citation(typed, editing=obj and obj.pk)
        return type(form.__name__, (form,), {"lookup": request.citation_lookup})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.has_changed():
            # The claims citing it hold its authors, title, journal and identifiers.
            Claim.objects.filter(evidence__citation=obj).refresh_search_documents()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        found = getattr(request, "citation_lookup", None)
        if found and found.fields:
            # Added before the page is rendered, so it shows on this page.
            message = (
                "Filled in from the lookup; nothing is saved yet. Check the fields, then save."
            )
            self.message_user(request, message, messages.INFO)
        return response


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
class ClaimGroupAdmin(RecordedAdmin):
    list_display = ["name", "slug", "claims"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]  # Meta.ordering does not apply to the counting (GROUP BY) query

    def get_queryset(self, request):
        # Subqueries per row on the page, not a GROUP BY over every claim of every group.
        statuses = (
            Claim.objects.filter(group=OuterRef("pk"))
            .reviewed()
            .order_by()
            .values("group")
            .annotate(n=Count("status", distinct=True))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                claim_count=count_of(Claim, "group"),
                status_count=Coalesce(Subquery(statuses), 0),
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
class ReasonTagAdmin(RecordedAdmin):
    list_display = ["name", "slug", "definition"]
    search_fields = ["name", "definition"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            obj.claims.refresh_search_documents()  # the name is in their search documents


class EvidenceInline(admin.StackedInline):  # stacked: each field labelled, within 1,280 px
    model = Evidence
    form = EvidenceForm
    formset = EvidenceFormSet
    extra = 1
    autocomplete_fields = ["citation"]
    fields = ["citation", "stance", "note", "seen_version"]


class FlagInline(ReadOnlyInline):
    model = Flag
    fk_name = "claim"
    fields = ["reason", "raised_by", "created_at", "comment", "state", "resolution_note"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reason", "raised_by")


class ClaimChangeInline(ReadOnlyInline):
    model = ClaimChange
    verbose_name = "history entry"
    verbose_name_plural = "history (read-only: a past verdict is never lost)"
    fields = ["changed_at", "changed_by", "kind", "__str__", "new_certainty", "note"]
    readonly_fields = fields


class SearchListFilter(admin.SimpleListFilter):
    """A filter typed into a search box, for a related table too long to list as links (a
    link per article would be thousands). Subclasses say what a value selects (matching)."""

    template = "admin/claims/search_filter.html"
    help_text = ""

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def matching(self, value):
        raise NotImplementedError

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field}__in": self.matching(value).values("pk")})

    def choices(self, changelist):
        kept = [
            (name, value)
            for name, values in changelist.get_filters_params().items()
            if name != self.parameter_name
            for value in (values if isinstance(values, list) else [values])
        ]
        kept += [
            (name, changelist.params[name]) for name in ("q", "o") if name in changelist.params
        ]
        yield {
            "value": self.value() or "",
            "kept": kept,
            "clear_query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }


class ArticleSearchFilter(SearchListFilter):
    title = "article"
    parameter_name = "article"
    field = "article"
    help_text = "words of its title, or its slug"

    def matching(self, value):
        return Article.objects.matching(value)


class GroupSearchFilter(SearchListFilter):
    title = "group"
    parameter_name = "group"
    field = "group"
    help_text = "words of its name, or its slug"

    def matching(self, value):
        words = Q()
        for word in value.split():
            words &= Q(name__icontains=word)
        return ClaimGroup.objects.filter(Q(slug=value) | words)


class PassageFilter(admin.SimpleListFilter):
    """Claims whose passage changed when their article was corrected: the editors' to-do."""

    title = "passage in the article"
    parameter_name = "passage"

    def lookups(self, request, model_admin):
        return [("changed", "Changed (to confirm or detached)"), *AnchorState.choices]

    def queryset(self, request, queryset):
        if self.value() == "changed":
            return queryset.unanchored()
        if self.value() in AnchorState.values:
            return queryset.filter(anchor=self.value())
        return queryset


class PublishedFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("no", "Drafts"), ("yes", "Published")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.drafts()
        if self.value() == "yes":
            return queryset.published()
        return queryset


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
            (self.LOOKALIKE, "in no group, but reads like one"),
        ]

    def queryset(self, request, queryset):
        findings = consistency_findings(request)
        if self.value() == self.DIFFERS:
            return queryset.filter(pk__in=findings.differing_claims)
        if self.value() == self.LOOKALIKE:
            return queryset.filter(pk__in=findings.lookalike_claims)
        return queryset


@admin.register(Claim)
class ClaimAdmin(RecordedAdmin):
    form = ClaimAdminForm
    list_display = [
        "short_statement",
        "article",
        "status_label",
        "certainty",
        "open_flags",
        "evidence",
        "published",
    ]
    list_select_related = ["article"]
    list_filter = [
        PublishedFilter,
        "status",
        "topic",
        "certainty",
        ArticleSearchFilter,
        HasOpenFlagsFilter,
        PassageFilter,
        GroupSearchFilter,
        ConsistencyFilter,
    ]
    # The search box (and every autocomplete of claims) searches as the public list does:
    # see get_search_results.
    search_fields = ["statement", "quote", "article__title"]
    search_help_text = "Words from the claim, its verdict, its article's title or its sources."
    autocomplete_fields = ["article", "group"]
    prepopulated_fields = {"slug": ["statement"]}  # as the statement is typed, on a new claim
    readonly_fields = [
        "quote_position",
        "passage",
        "reviewed_by",
        "reviewed_at",
        "review_due_on",
        "due_reason",
        "publication",
        "withdrawn",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "seen_version",
                    "article",
                    "slug",
                    "quote",
                    "quote_position",
                    "passage",
                    "statement",
                    "topic",
                    "group",
                    "group_note",
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
                    "review_due_on",
                    "due_reason",
                    "publication",
                ]
            },
        ),
        ("Withdrawal", {"fields": ["withdrawn", "withdraw_note"], "classes": ["collapse"]}),
    ]
    inlines = [EvidenceInline, FlagInline, ClaimChangeInline]
    actions = ["set_verdict", "publish_claims", "confirm_proposed_quotes"]
    Media = AdminMedia

    def get_search_results(self, request, queryset, search_term):
        """The claims' search documents (ClaimQuerySet.search: full text through its GIN index
        on PostgreSQL), not ILIKE over three columns of every claim, which takes a third of a
        second at 100,000 claims and finds nothing in rationales or sources."""
        refuse_a_long_search(search_term)
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Reason tags are picked with their public definitions in view.
        if db_field.name == "reason_tags":
            kwargs["widget"] = forms.CheckboxSelectMultiple(attrs={"class": "ct-tag-choices"})
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label_from_instance = lambda tag: f"{tag.name}: {tag.definition}"
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        confirm = self.admin_site.admin_view(self.confirm_quote_view)
        return [
            path("<path:object_id>/confirm-quote/", confirm, name="claims_claim_confirm_quote"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        perm = REVIEW_CLAIM if obj is not None and obj.is_published else DRAFT_CLAIM
        if not request.user.has_perm(perm):
            fields += ["status", "certainty", "rationale"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Drafting staff shape drafts; a published claim is changed by those who review claims.
        if obj is not None and obj.is_published and not request.user.has_perm(REVIEW_CLAIM):
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        # Only a published claim that still stands can be withdrawn, only by a reviewer of
        # claims; a withdrawn one shows when and why.
        fieldsets = super().get_fieldsets(request, obj)
        if request.method == "POST":
            # A posted quote that stands in several places asks which (ClaimAdminForm).
            first = dict(fieldsets[0][1])
            fields = list(first["fields"])
            fields.insert(fields.index("quote") + 1, "occurrence")
            fieldsets = [(None, {**first, "fields": fields}), *fieldsets[1:]]
        if obj is None or not obj.is_published:
            return fieldsets[:2]
        if obj.is_withdrawn or not request.user.has_perm(REVIEW_CLAIM):
            return [*fieldsets[:2], ("Withdrawal", {"fields": ["withdrawn"]})]
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        # A published claim is part of the public record, superusers or not: withdraw it.
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = Claim.objects.filter(pk__in=[claim.pk for claim in objs]).published()
        if kept:
            # Not a missing permission but the record's rule: say which claims, and what to do.
            perms_needed.discard(Claim._meta.verbose_name)
            protected = [
                *protected,
                *(f"{claim} (published: withdraw it instead)" for claim in kept),
            ]
        return deleted, model_count, perms_needed, protected

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

    @admin.display(description="passage in the article")
    def passage(self, claim):
        if claim.pk is None or claim.is_anchored:
            return "In place."
        if claim.anchor == AnchorState.DETACHED:
            return f"Changed or removed from the article on {claim.passage_changed_at:%d %b %Y}."
        return format_html(
            "Reworded on {}. New wording: <q>{}</q> "
            '<button type="submit" form="confirm-quote" class="button">Confirm it</button>',
            f"{claim.passage_changed_at:%d %b %Y}",
            claim.proposed_quote,
        )

    @admin.display(description="published", boolean=True, ordering="published_at")
    def published(self, claim):
        return claim.is_published

    @admin.display(description="publication")
    def publication(self, claim):
        if claim.pk is None:
            return "A new claim is a draft until an editor publishes it."
        preview = format_html(
            '<a href="{}">Preview the public page</a>',
            reverse("desk:claim_preview", args=[claim.pk]),
        )
        if claim.is_published:
            return format_html("Published on {}. {}", f"{claim.published_at:%d %b %Y}", preview)
        problems = claim.publication_problems()
        todo = " ".join(problems) if problems else "Ready to publish."
        return format_html("Draft, seen only by staff. {} {}", todo, preview)

    @admin.display(description="withdrawn")
    def withdrawn(self, claim):
        if claim.pk is None or not claim.is_withdrawn:
            return "No."
        return f"On {claim.withdrawn_at:%d %b %Y}: {claim.withdrawal_note}"

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_publish"] = (obj is None or not obj.is_published) and request.user.has_perm(
            PUBLISH_CLAIM
        )
        # The confirm button posts a form of its own, outside the change form.
        if obj is not None and obj.anchor == AnchorState.PROPOSED:
            context["confirm_quote_url"] = reverse(
                "admin:claims_claim_confirm_quote", args=[obj.pk]
            )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # an unchanged form changes nothing and records nothing
        # The wording is recorded here (save_edit); the verdict goes through change_verdict in
        # save_related, once the evidence edited in the same form is saved, so that a published
        # verdict is checked against the evidence it will have.
        obj.save_edit(by=request.user, note=form.cleaned_data["change_note"], with_verdict=False)
        if form.cleaned_data.get("withdraw_note"):
            obj.withdraw(by=request.user, note=form.cleaned_data["withdraw_note"])

    def response_add(self, request, obj, post_url_continue=None):
        self.publish_if_asked(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self.publish_if_asked(request, obj)
        return super().response_change(request, obj)

    def publish_if_asked(self, request, claim):
        """The "Save and publish" button. A claim that is not ready stays a saved draft, and
        the editor is told what it lacks."""
        if "_publish" not in request.POST:
            return
        try:
            claim.publish(by=request.user)
        except (PermissionDenied, ValidationError) as error:
            reasons = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(
                request, f"Saved as a draft, not published: {reasons}", messages.ERROR
            )
        else:
            self.message_user(request, f"Published: {claim.get_absolute_url()}", messages.SUCCESS)

    @admin.action(description="Publish the selected drafts", permissions=["publish"])
    def publish_claims(self, request, queryset):
        published, refused = [], []
        for claim in queryset.drafts().select_related("article"):
            try:
                claim.publish(by=request.user)
            except ValidationError as error:
                refused.append(f"{claim.slug} ({' '.join(error.messages)})")
            else:
                published.append(claim.slug)
        if published:
            self.message_user(request, f"Published: {', '.join(published)}.", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not published: " + "; ".join(refused), messages.ERROR)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_CLAIM)

    def confirm_quote_view(self, request, object_id):
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.confirm_quotes(request, [claim])
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    @admin.action(description="Confirm the new quotes of reworded passages", permissions=["review"])
    def confirm_proposed_quotes(self, request, queryset):
        self.confirm_quotes(request, queryset.select_related("article"))

    def confirm_quotes(self, request, claims):
        confirmed = []
        for claim in claims:
            try:
                claim.confirm_proposed_quote(by=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                confirmed.append(claim.slug)
        if confirmed:
            self.message_user(
                request, f"New quote confirmed: {', '.join(confirmed)}.", messages.SUCCESS
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
        claim = form.instance
        if "reason_tags" in form.changed_data:
            claim.refresh_search_document()  # the rules saw the claim before its tags
        status, certainty, rationale = claim.verdict
        if claim.verdict != Claim.objects.get(pk=claim.pk).verdict:
            claim.change_verdict(
                by=request.user,
                status=status,
                certainty=certainty,
                rationale=rationale,
                note=form.cleaned_data.get("change_note", ""),
            )
        if not claim.is_published and "_publish" not in request.POST:
            gap = claim.evidence_gaps()
            if gap:
                self.message_user(request, f"Before publishing: {gap}", messages.WARNING)

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_CLAIM)

    @admin.action(description="Set the verdict of selected claims", permissions=["review"])
    def set_verdict(self, request, queryset):
        form = BulkVerdictForm(request.POST if "apply" in request.POST else None)
        seen_versions = seen_versions_posted(request)
        if form.is_valid():
            data = form.cleaned_data
            changed, stale, refused = 0, [], []
            for claim in queryset.select_related("article"):
                certainty = data["certainty"] if data["certainty"] else claim.certainty
                try:
                    if claim.change_verdict(
                        by=request.user,
                        status=data["status"],
                        certainty=certainty,
                        rationale=data["rationale"],
                        note=data["note"],
                        expected_version=seen_versions.get(claim.pk),
                    ):
                        changed += 1
                except StaleEdit:
                    stale.append(claim.slug)
                except ValidationError as error:
                    refused.append(f"{claim.slug} ({' '.join(error.messages)})")
            self.message_user(
                request,
                f"Verdict set on {changed} of {queryset.count()} claim(s).",
                messages.SUCCESS,
            )
            if refused:
                self.message_user(request, "Not changed: " + "; ".join(refused), messages.ERROR)
            if stale:
                self.message_user(
                    request,
                    "Left alone, because someone saved them after you chose them: "
                    + ", ".join(stale)
                    + ". Open them to see what changed.",
                    messages.WARNING,
                )
            return None
        claims = list(queryset.select_related("article"))
        for claim in claims:
            claim.seen_version = seen_versions.get(claim.pk, claim.version)
        context = {
            **self.admin_site.each_context(request),
            "title": "Set the verdict of selected claims",
            "opts": self.model._meta,
            "form": form,
            "items": claims,
            "action": "set_verdict",
            "submit_label": "Set verdict",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/claim/set_verdict.html", context)


def seen_versions_posted(request):
    """{claim pk: version} as the bulk verdict page showed them (hidden fields)."""
    seen = {}
    for name, value in request.POST.items():
        if name.startswith("seen_version_") and value.isdigit():
            pk = name.removeprefix("seen_version_")
            if pk.isdigit():
                seen[int(pk)] = int(value)
    return seen


FLAG_REPORT_FIELDS = ["claim_link", "reason", "comment", "raised_by", "created_at"]
FLAG_CLAIM_FIELDS = ["claim_verdict", "claim_rationale", "claim_evidence"]
FLAG_TRIAGE_FIELDS = ["assignee", "priority", "due_on"]
FLAG_RESOLUTION_FIELDS = ["state", "resolved_by", "resolved_at", "resolution_note"]


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"
    MINE = "mine"
    UNASSIGNED = "unassigned"

    def lookups(self, request, model_admin):
        return [(self.MINE, "Assigned to me"), (self.UNASSIGNED, "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == self.MINE:
            return queryset.assigned_to(request.user)
        if self.value() == self.UNASSIGNED:
            return queryset.unassigned()
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"
    YES = "yes"

    def lookups(self, request, model_admin):
        return [(self.YES, "Overdue (open, due before today)")]

    def queryset(self, request, queryset):
        if self.value() == self.YES:
            return queryset.overdue()
        return queryset


@admin.register(Flag)
class FlagAdmin(LongListAdmin, SimpleHistoryAdmin):
    """The review queue: open first, overdue first, then by priority, then oldest first."""

    list_display = [
        "claim_statement",
        "claim_status",
        "short_comment",
        "reason",
        "assignee",
        "priority",
        "due",
        "state_label",
    ]
    list_select_related = ["claim", "reason", "assignee"]
    list_filter = [AssigneeFilter, "priority", "state", OverdueFilter, "reason"]
    search_fields = ["claim__statement", "claim__quote", "comment"]
    autocomplete_fields = ["claim"]
    actions = ["assign"]
    Media = AdminMedia

    def get_ordering(self, request):
        return queue_order()  # overdue depends on today's date, so it is made per request

    def changelist_view(self, request, extra_context=None):
        # The queue's eight columns need the room of the apps' sidebar to fit 1280 pixels.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description="claim", ordering="claim__statement")
    def claim_statement(self, flag):
        return Truncator(flag.claim.statement).chars(80)

    @admin.display(description="claim's status", ordering="claim__status")
    def claim_status(self, flag):
        return badge("status", flag.claim.status, flag.claim.get_status_display())

    @admin.display(description="comment")
    def short_comment(self, flag):
        return Truncator(flag.comment).chars(70)

    @admin.display(description="due date", ordering="due_on")
    def due(self, flag):
        if flag.due_on is None:
            return "—"
        if flag.is_overdue:
            return format_html(
                "{} {}", date_format(flag.due_on), badge("flag", "overdue", "overdue")
            )
        return date_format(flag.due_on)

    @admin.display(description="state", ordering="state")
    def state_label(self, flag):
        return badge("flag", flag.state, flag.get_state_display())

    def has_settle_permission(self, request):
        return request.user.has_perm(SETTLE_FLAG)

    @admin.action(description="Assign…", permissions=["settle"])
    def assign(self, request, queryset):
        """An intermediate page chooses the assignee, priority and due date; each flag is then
        assigned with flag.assign(), which checks who may assign to whom."""
        form = AssignForm(request.POST if "apply" in request.POST else None)
        seen_versions = seen_versions_posted(request)
        flags = list(queryset.select_related("claim", "reason", "assignee"))
        if form.is_valid():
            data, assigned, left = form.cleaned_data, [], []
            for flag in flags:
                try:
                    changed = flag.assign(
                        by=request.user,
                        assignee=data["assignee"],
                        priority=data["priority"],
                        due_on=data["due_on"],
                        expected_version=seen_versions.get(flag.pk),
                    )
                except StaleEdit:
                    left.append(f"{flag.claim} (saved by someone else since you chose it)")
                except ValidationError as error:
                    left.append(f"{flag.claim} ({' '.join(error.messages)})")
                else:
                    assigned += [flag] if changed else []
            who = data["assignee"].get_username() if data["assignee"] else "nobody"
            self.message_user(
                request,
                f"Assigned {len(assigned)} of {len(flags)} flag(s) to {who}.",
                messages.SUCCESS,
            )
            if left:
                self.message_user(request, "Left alone: " + "; ".join(left), messages.WARNING)
            return None
        for flag in flags:
            flag.seen_version = seen_versions.get(flag.pk, flag.version)
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign flags",
            "opts": self.model._meta,
            "form": form,
            "items": flags,
            "action": "assign",
            "submit_label": "Assign",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/flag/assign.html", context)

    @admin.display(description="claim")
    def claim_link(self, flag):
        url = reverse("admin:claims_claim_change", args=[flag.claim_id])
        return format_html(
            '<a href="{}">{}</a><br><q>{}</q>', url, flag.claim.statement, flag.claim.quote
        )

    # The claim as it stands, read-only above the settling fields: what the editor weighs.

    @admin.display(description="verdict")
    def claim_verdict(self, flag):
        claim = flag.claim
        return format_html(
            "{} · certainty of evidence: {}",
            badge("status", claim.status, claim.get_status_display()),
            claim.get_certainty_display() or "not given",
        )

    @admin.display(description="rationale")
    def claim_rationale(self, flag):
        if not flag.claim.rationale:
            return "—"
        return mark_safe(linebreaks(flag.claim.rationale, autoescape=True))  # escaped, then <p>

    @admin.display(description="evidence")
    def claim_evidence(self, flag):
        """Each citation with its stance and note (one query)."""
        evidence = flag.claim.evidence.select_related("citation").order_by("citation__year", "pk")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a>: {}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:claims_citation_change", args=[item.citation_id]),
                    item.citation.short_label,
                    item.citation.title,
                    badge("stance", item.stance, item.get_stance_display()),
                    item.note,
                )
                for item in evidence
            ),
        )
        if not rows:
            return "None linked yet."
        return format_html(
            '<table class="ct-evidence"><thead><tr><th scope="col">Source</th>'
            '<th scope="col">Stance</th><th scope="col">What it shows</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
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
            return [(None, {"fields": ["claim", "reason", "comment"]})]
        fieldsets = [
            (None, {"fields": FLAG_REPORT_FIELDS}),
            ("The claim now", {"fields": FLAG_CLAIM_FIELDS}),
            ("Triage (change it with the list's “Assign…” action)", {"fields": FLAG_TRIAGE_FIELDS}),
            ("Resolution", {"fields": FLAG_RESOLUTION_FIELDS}),
        ]
        if obj.is_open and request.user.has_perm(SETTLE_FLAG):
            settle = ["decision", "note", "new_status", "new_certainty", "new_rationale"]
            fieldsets[-1] = ("Settle this flag", {"fields": settle})
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # An existing flag is only ever assigned (the Assign… action) and settled, through the
        # extra fields of FlagSettleForm.
        if obj is None:
            return []
        return FLAG_REPORT_FIELDS + FLAG_CLAIM_FIELDS + FLAG_TRIAGE_FIELDS + FLAG_RESOLUTION_FIELDS

    def has_change_permission(self, request, obj=None):
        # Only settling changes a flag, and only while it is open.
        if obj is not None and not obj.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a flag is part of the record, settled or not

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        flag = self.get_object(request, object_id) if object_id else None
        settler = request.user.has_perm(SETTLE_FLAG)
        if request.method == "POST" and flag is not None and not flag.is_open and settler:
            return self.already_settled(request, flag, flag.settled_message())
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as error:
            # Another editor settled it while this request waited for the row: the transaction
            # was rolled back, and this editor is told who won.
            current = self.get_object(request, object_id) if object_id else None
            if current is not None and not current.is_open and settler:
                return self.already_settled(request, current, current.settled_message())
            if isinstance(error, PermissionDenied):
                raise
            return self.already_settled(request, flag, " ".join(error.messages))

    def already_settled(self, request, flag, message):
        self.message_user(request, message, messages.ERROR)
        if flag is None:  # a flag being raised: raise_flag refused a duplicate
            return HttpResponseRedirect(reverse("admin:claims_flag_changelist"))
        return HttpResponseRedirect(reverse("admin:claims_flag_change", args=[flag.pk]))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            flag = Flag.objects.raise_flag(
                claim=data["claim"],
                by=request.user,
                reason=data["reason"],
                comment=data["comment"],
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


@admin.register(StaffProfile)
class StaffProfileAdmin(LongListAdmin, SimpleHistoryAdmin):
    """Each staff member's settings and public profile (public name, bio, declared interests).

    A reviewer or editor sees and changes only their own: their profile is the only row they
    are shown, the list leads straight to it, and they cannot open anyone else's. Superusers
    see everyone's. The History button shows who changed a public bio, and when. The email
    setting is also on the desk's "My work" page."""

    list_display = ["__str__", "slug", "user", "interests", "email_on_flags"]
    list_select_related = ["user"]
    list_filter = ["interests", "email_on_flags"]
    search_fields = [
        "display_name",
        "user__username",
        "user__email",
        "user__first_name",
        "user__last_name",
    ]
    autocomplete_fields = ["user"]
    readonly_fields = ["public_page"]
    OWN_FIELDS = [
        "display_name",
        "bio",
        "interests",
        "interests_statement",
        "email_on_flags",
        "email_digest",
        "public_page",
    ]

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        if request.user.is_superuser:
            return profiles
        return profiles.filter(user=request.user)

    def get_fields(self, request, obj=None):
        if request.user.is_superuser and obj is None:
            return ["user", *self.OWN_FIELDS[:-1]]
        return self.OWN_FIELDS

    def is_own(self, request, obj):
        return obj is None or request.user.is_superuser or obj.user_id == request.user.pk

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.is_own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_own(request, obj)

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        # Everyone else makes only their own profile, once.
        return (
            request.user.is_superuser or not StaffProfile.objects.filter(user=request.user).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        """The list of one is no list: a reviewer or editor goes straight to their profile."""
        if request.user.is_superuser:
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        own = StaffProfile.objects.filter(user=request.user).first()
        if own is not None:
            return HttpResponseRedirect(reverse("admin:claims_staffprofile_change", args=[own.pk]))
        return HttpResponseRedirect(reverse("admin:claims_staffprofile_add"))

    @admin.display(description="Public page")
    def public_page(self, obj):
        if obj is None or not obj.pk:
            return "Made when you save."
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.user = request.user
        obj.follow_name()
        super().save_model(request, obj, form, change)


@admin.register(ClaimChange)
class ClaimChangeAdmin(LongListAdmin):
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
