"""The evidence watch in the Claim admin: a claim's spin hints on its page, and a "Spin hint"
filter for the review queue. claims never imports the watch, so the watch replaces the Claim
admin with a subclass (this app comes after claims in INSTALLED_APPS)."""

from django.contrib import admin, messages
from django.template.loader import render_to_string

from claimtrack.claims.admin import ClaimAdmin
from claimtrack.claims.models import Claim

from . import spin


class SpinHintFilter(admin.SimpleListFilter):
    """Claims one rule gives a hint, computed in Python over the candidates the database finds
    (spin.claims_with_hint: the rule's word stems in quote or statement, and the evidence the
    rule needs), at most spin.CANDIDATE_LIMIT of them, newest first."""

    title = "spin hint"
    parameter_name = "spin"

    def lookups(self, request, model_admin):
        return [(rule.id, rule.name) for rule in spin.RULES]

    def queryset(self, request, queryset):
        rule = spin.RULES_BY_ID.get(self.value())
        if rule is None:
            return queryset
        pks, complete = spin.claims_with_hint(queryset, rule, limit=spin.CANDIDATE_LIMIT)
        if not complete:
            messages.warning(
                request,
                f"The spin hint filter read only the newest {spin.CANDIDATE_LIMIT:,} claims that "
                "might get this hint: narrow the list with another filter to see older ones.",
                fail_silently=True,
            )
        return queryset.filter(pk__in=pks)


class WatchedClaimAdmin(ClaimAdmin):
    list_filter = [*ClaimAdmin.list_filter, SpinHintFilter]
    readonly_fields = [*ClaimAdmin.readonly_fields, "spin_hints"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # Beside the verdict, which the hints are there to inform.
        name, options = fieldsets[1]
        fields = list(options["fields"])
        fields.insert(fields.index("status"), "spin_hints")
        return [fieldsets[0], (name, {**options, "fields": fields}), *fieldsets[2:]]

    @admin.display(description="spin hints")
    def spin_hints(self, claim):
        """One query: the kinds of the claim's sources."""
        hints = spin.grouped(spin.claim_hints(claim)) if claim.pk else []
        return render_to_string("watch/_spin_hints.html", {"spin_hints": hints})


admin.site.unregister(Claim)
admin.site.register(Claim, WatchedClaimAdmin)
