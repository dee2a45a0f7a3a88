"""Forms for the editorial admin. They validate; the admin calls the model methods to act."""

import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from .anchoring import occurrences
from .forms import ReasonField
from .models import (
    Article,
    ArticleCriterionVerdict,
    ArticleReview,
    Certainty,
    Citation,
    Claim,
    Criterion,
    Evidence,
    Flag,
    FlagPriority,
    Status,
    Verdict,
    assignable_users,
    check_verdict,
    incomplete_verdict,
    verdict_problems,
)
from .models.common import NormalizingFormField
from .text import normalize_text

UNSET = object()


def as_form_data(value):
    """A stored value as a browser would send it back."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def shown(model_field, value):
    """A stored value as an editor reads it: a choice's label, a related row's name."""
    if value in (None, ""):
        return "(empty)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    return f"“{Truncator(str(value)).chars(160)}”"


class VersionedForm(forms.ModelForm):
    """A form for a Versioned record that refuses a stale save instead of losing a newer one.

    The version the editor opened travels in a hidden field. When someone else saved the record
    since, the form is refused with what they changed, field by field, who and when (read from
    the history), and rebased: fields this editor had not touched take the new values, the
    editor's own edits stay, and the hidden version moves on, so that saving again is safe."""

    seen_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"required": "This form lacks the version it was opened at: reload it."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version
        # A saved record is only changed from the version the editor saw.
        self.fields["seen_version"].required = self.instance.pk is not None

    def has_changed(self):
        return any(name != "seen_version" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk and seen is not None and seen != self.instance.version:
            raise ValidationError(self.rebase(seen), code="stale")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        seen = self.cleaned_data.get("seen_version")
        if seen is not None:
            self.instance.version = seen  # the save checks it (Versioned)

    def rebase(self, seen):
        """Put the newer values under the editor's own edits; return what to tell them."""
        instance = self.instance
        history = type(instance).history.filter(id=instance.pk)
        opened = history.filter(version=seen).order_by("-history_id").first()
        later = list(history.filter(version__gt=seen).select_related("history_user"))
        data = self.data.copy()
        theirs, both = [], []
        for name in self.fields:
            try:
                model_field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many or opened is None:
                continue
            was = getattr(opened, model_field.attname)
            now = getattr(instance, model_field.attname)
            mine = self.cleaned_data.get(name, UNSET)
            mine = mine.pk if isinstance(mine, models.Model) else mine
            edited = mine is not UNSET and mine != was and not (mine in ("", None) and not was)
            if was != now:
                change = f"{model_field.verbose_name}: {shown(model_field, was)} → "
                theirs.append(change + shown(model_field, now))
                if edited:
                    both.append(str(model_field.verbose_name))
            if not edited:
                data[self.add_prefix(name)] = as_form_data(now)
        data[self.add_prefix("seen_version")] = str(instance.version)
        self.data = data
        who = sorted(
            {r.history_user.get_username() if r.history_user else "the system" for r in later}
        )
        when = max((r.history_date for r in later), default=None)
        message = (
            f"While you were editing, this {instance._meta.verbose_name} was saved by "
            f"{', '.join(who) or 'someone else'}"
            + (f" at {timezone.localtime(when):%H:%M on %d %b %Y}" if when else "")
            + ". Nothing of yours was saved. "
        )
        if theirs:
            message += "They changed: " + "; ".join(theirs) + ". "
        if both:
            message += "You both changed " + ", ".join(both) + ": your version is in the form. "
        return message + (
            "Fields you had not touched now show the new values; your own edits are kept. "
            "Check them and save again."
        )


class LookupInput(forms.TextInput):
    """A text input followed by the citation form's "Look up" button. The button submits the
    form as "_lookup" (the admin fills it in and saves nothing); with JavaScript,
    static/desk/citation_lookup.js answers it in place instead."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{} <button type="submit" name="_lookup" value="1" class="button ct-lookup">'
            'Look up</button> <span class="ct-lookup-status" role="status"></span>',
            super().render(name, value, attrs, renderer),
        )


LOOKUP_HELP = (
    "Type or paste a DOI or PMID, or its doi.org or PubMed link, in either field and press "
    "“Look up”: the other fields are filled in from Crossref and PubMed. Check them, then save."
)


class CitationForm(VersionedForm):
    """Identifiers are cleaned as pasted (the fields do it); one already on file is named and
    linked, so the editor uses that citation instead of making a second.

    `lookup` is set by CitationAdmin when the editor pressed "Look up" (a CitationLookup): the
    form then comes back with what was found in place of what was typed, or with why nothing
    was, and is never valid, so nothing is saved."""

    lookup = None

    class Meta:
        model = Citation
        # The identifiers first: looked up, they fill in the rest.
        fields = [
            "doi",
            "pmid",
            "slug",
            "kind",
            "authors",
            "title",
            "journal",
            "year",
            "url",
            "identifiers_checked",
        ]
        widgets = {"pmid": LookupInput}
        help_texts = {"pmid": LOOKUP_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.lookup and self.lookup.fields:
            # Shown as typed, with the found fields over them, and unbound: an unbound form is
            # never valid and shows no errors. The typed version travels on (VersionedForm).
            typed = {
                name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                for name, field in self.fields.items()
            }
            self.initial = {**self.initial, **typed, **self.lookup.fields}
            self.is_bound, self.data = False, {}

    def full_clean(self):
        if not (self.is_bound and self.lookup):
            return super().full_clean()
        # The lookup found nothing to fill in: say why, and only that (not "This field is
        # required." for the fields it was meant to fill). The typed values stay in the form.
        self._errors, self.cleaned_data = ErrorDict(), {}
        self.add_error(None, self.lookup_refusal())

    def lookup_refusal(self):
        citation = self.lookup.existing
        if citation is None:
            return ValidationError(self.lookup.error, code="lookup_failed")
        url = reverse("admin:claims_citation_change", args=[citation.pk])
        return ValidationError(
            format_html(
                'Already on file: <a href="{}">{}</a>. Use it rather than adding it again.',
                url,
                citation,
            ),
            code="on_file",
        )

    def clean_doi(self):
        return self.refuse_duplicate("doi", "DOI", doi__iexact=self.cleaned_data["doi"])

    def clean_pmid(self):
        return self.refuse_duplicate("pmid", "PMID", pmid=self.cleaned_data["pmid"])

    def refuse_duplicate(self, name, label, **lookup):
        value = self.cleaned_data[name]
        on_file = value and Citation.objects.filter(**lookup).exclude(pk=self.instance.pk).first()
        if on_file:
            url = reverse("admin:claims_citation_change", args=[on_file.pk])
            raise ValidationError(
                format_html(
                    'This {} is already on file: <a href="{}">{}</a>.', label, url, on_file
                ),
                code="duplicate_identifier",
            )
        return value


class EvidenceForm(VersionedForm):
    class Meta:
        model = Evidence
        fields = ["citation", "stance", "note"]


class EvidenceFormSet(forms.BaseInlineFormSet):
    """The claim's evidence as the form will leave it. A published claim must stay complete
    after this save: its verdict (as edited in the same form) must fit its evidence."""

    def clean(self):
        super().clean()
        claim = self.instance
        if claim.pk is None or not claim.is_published or any(self.errors):
            return
        stances = {
            form.cleaned_data["stance"]
            for form in self.forms
            if form.cleaned_data.get("stance") and not form.cleaned_data.get("DELETE")
        }
        problems = verdict_problems(claim.status, claim.rationale, stances)
        if problems:
            raise incomplete_verdict(problems)


VERDICT_FIELDS = ["status", "certainty", "rationale"]


def definitions(choices):
    """Each choice with its public definition, as the help text of a field that picks one."""
    items = format_html_join(
        "", "<li><b>{}</b>: {}</li>", ((c.label, c.description) for c in choices)
    )
    return format_html('<ul class="ct-definitions">{}</ul>', items)


STATUS_HELP = definitions(Status)
CERTAINTY_HELP = definitions(Certainty)
WHY_REQUIRED = "Say why the verdict changes; it is shown in the claim's public history."


def note_field(label, help_text):
    """An editor's reason, optional unless the form says otherwise."""
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text
    )


class ArticleForm(VersionedForm):
    change_note = note_field(
        "What changed",
        "For a correction of the text: what the publisher changed. Kept in the history.",
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "publisher", "author", "url", "published_on", "text"]


class ClaimAdminForm(VersionedForm):
    change_note = note_field(
        "Why",
        "Required when a published verdict changes (a first verdict explains itself in its "
        "rationale); recorded in the claim's public history.",
    )
    withdraw_note = note_field(
        "Withdraw this claim",
        "Public. Write why to withdraw the claim: it stays on its page, marked withdrawn with "
        "this note. A reviewed claim is never deleted.",
    )

    occurrence = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.RadioSelect,
        label="Which occurrence",
        help_text="The quote appears more than once in the article: choose the passage meant.",
    )

    class Meta:
        model = Claim
        fields = [
            "article",
            "slug",
            "quote",
            "statement",
            "topic",
            "group",
            "status",
            "certainty",
            "rationale",
            "reason_tags",
        ]
        # Also shown to reviewers, who see the verdict read-only.
        help_texts = {"status": STATUS_HELP, "certainty": CERTAINTY_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = (
                "Part of the claim's web address; left empty, it is made from the statement."
            )

    def choose_occurrence(self, cleaned):
        """A quote found in several places is pinned where the editor says, never silently at
        the first (the model pins it nearest quote_start)."""
        article, quote = cleaned.get("article"), cleaned.get("quote", "")
        changed = "quote" in self.changed_data or "article" in self.changed_data
        if not (article and quote and changed):
            return
        found = occurrences(article.text, quote)
        if len(found) < 2:
            return
        number = cleaned.get("occurrence")
        if not number or number > len(found):
            self.fields["occurrence"].widget.choices = occurrence_choices(article.text, found)
            self.add_error(
                "occurrence",
                ValidationError(
                    f"The quote appears {len(found)} times in the article: choose which.",
                    code="ambiguous_quote",
                ),
            )
            return
        self.instance.quote_start = found[number - 1][0]

    def clean(self):
        cleaned = super().clean()
        self.choose_occurrence(cleaned)
        if "slug" in self.fields and not cleaned.get("slug"):
            article, statement = cleaned.get("article"), cleaned.get("statement")
            if article and statement:
                cleaned["slug"] = Claim.objects.free_slug(article, statement, self.instance.pk)
        verdict_changed = any(name in self.changed_data for name in VERDICT_FIELDS)
        published = self.instance.pk is not None and self.instance.is_published
        if verdict_changed and published and not cleaned.get("change_note", "").strip():
            self.add_error("change_note", ValidationError(WHY_REQUIRED, code="note_required"))
        return cleaned


def occurrence_choices(text, found):
    return [
        (
            str(number),
            format_html(
                "{}: …{}<b>{}</b>{}…", number, text[max(0, s - 40) : s], text[s:e], text[e : e + 40]
            ),
        )
        for number, (s, e) in enumerate(found, start=1)
    ]


class BulkVerdictForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, help_text=STATUS_HELP)
    certainty = forms.ChoiceField(
        choices=[("", "Keep each claim's certainty"), *Certainty.choices],
        required=False,
        help_text=CERTAINTY_HELP,
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    note = forms.CharField(
        label="Why", widget=forms.Textarea(attrs={"rows": 2}), help_text="Recorded for each claim."
    )

    def clean(self):
        cleaned = super().clean()
        if "status" in cleaned:
            check_verdict(cleaned["status"], cleaned.get("certainty", ""), cleaned["rationale"])
        return cleaned


class FlagRaiseForm(forms.ModelForm):
    """Raising a flag in the admin; `user` is set by FlagAdmin.get_form."""

    user = None
    reason = ReasonField()

    class Meta:
        model = Flag
        fields = ["claim", "reason", "comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.help_text = reason.definitions()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim") and cleaned.get("reason"):
            Flag.objects.check_can_raise(
                claim=cleaned["claim"],
                by=self.user,
                reason=cleaned["reason"],
                comment=cleaned.get("comment", ""),
            )
        return cleaned


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{name} ({user.get_username()})" if name else user.get_username()


class AssignForm(forms.Form):
    """The bulk action's choices; flag.assign() checks them for each flag."""

    assignee = AssigneeField(
        queryset=None,
        required=False,
        empty_label="Nobody (unassign)",
        help_text="Staff who can settle flags or review claims.",
    )
    priority = forms.ChoiceField(choices=FlagPriority.choices, initial=FlagPriority.NORMAL)
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for no due date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users()


class FlagSettleForm(forms.ModelForm):
    """Uphold or dismiss an open flag; upholding may also change the claim's verdict."""

    user = None
    decision = forms.ChoiceField(
        choices=[("", "Leave open"), ("uphold", "Uphold"), ("dismiss", "Dismiss")], required=False
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        required=False,
        help_text="Why you settle it this way. Recorded, and shown in the claim's history when "
        "the verdict changes.",
    )
    new_status = forms.ChoiceField(
        label="Set the claim's status to",
        choices=[("", "Keep the claim's status"), *Status.choices],
        required=False,
        help_text=STATUS_HELP,
    )
    new_certainty = forms.ChoiceField(
        label="Set the claim's certainty to",
        choices=[("", "Keep the claim's certainty"), *Certainty.choices],
        required=False,
    )
    new_rationale = NormalizingFormField(
        normalize=normalize_text,
        label="New public rationale",
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        required=False,
        help_text="Starts as the claim's rationale: edit it to change it.",
    )

    class Meta:
        model = Flag
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_rationale"].initial = self.instance.claim.rationale

    def clean_new_rationale(self):
        """The rationale as it was (or emptied) changes nothing: "" means keep it."""
        rationale = self.cleaned_data["new_rationale"]
        return "" if rationale == self.instance.claim.rationale else rationale

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        changes_claim = any(
            cleaned.get(f) for f in ["new_status", "new_certainty", "new_rationale"]
        )
        if not decision:
            if changes_claim or cleaned.get("note"):
                self.add_error("decision", "Choose to uphold or dismiss the flag.")
            return cleaned
        if not cleaned.get("note", "").strip():
            self.add_error("note", ValidationError("Say why.", code="note_required"))
        if decision == "dismiss" and changes_claim:
            self.add_error("decision", "Only an upheld flag changes the claim.")
        if decision == "uphold" and changes_claim:
            claim = self.instance.claim
            try:
                check_verdict(
                    cleaned.get("new_status") or claim.status,
                    cleaned.get("new_certainty") or claim.certainty,
                    cleaned.get("new_rationale") or claim.rationale,
                    claim=claim,
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            if claim.is_published:
                problems = verdict_problems(
                    cleaned.get("new_status") or claim.status,
                    cleaned.get("new_rationale") or claim.rationale,
                    claim.evidence_stances(),
                )
                if problems:
                    raise incomplete_verdict(problems)
        return cleaned


REVIEW_WHY_REQUIRED = "Say why the review changes; it is kept in its history."


class ArticleReviewForm(VersionedForm):
    change_note = note_field(
        "Why the review changes",
        "Required when a saved review changes (its takeaway or any verdict below); kept in the "
        "review's history with your name and the date.",
    )

    class Meta:
        model = ArticleReview
        fields = ["article", "takeaway"]
        widgets = {"takeaway": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        saved = self.instance.pk is not None
        if saved and self.has_changed() and not cleaned.get("change_note", "").strip():
            self.add_error(
                "change_note", ValidationError(REVIEW_WHY_REQUIRED, code="note_required")
            )
        return cleaned


class CriterionVerdictForm(VersionedForm):
    class Meta:
        model = ArticleCriterionVerdict
        fields = ["criterion", "verdict", "why"]
        widgets = {
            "verdict": forms.RadioSelect,
            "why": forms.Textarea(attrs={"rows": 2, "cols": 60}),
        }


class CriterionVerdictFormSet(forms.BaseInlineFormSet):
    """The ten criteria, each answered once. A saved review's verdicts change only with a note
    (the review form's "Why", posted beside this formset)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        answered = {form.cleaned_data.get("criterion") for form in self.forms}
        missing = [c.label for c in Criterion if c not in answered]
        if missing:
            raise ValidationError(
                "Give a verdict on every criterion. Missing: " + ", ".join(missing) + ".",
                code="criteria_missing",
            )
        note = self.data.get("change_note", "").strip()
        if self.instance.pk is not None and self.has_changed() and not note:
            raise ValidationError(REVIEW_WHY_REQUIRED, code="note_required")


def criterion_help():
    """Each criterion with the question it answers, as the inline's help."""
    items = format_html_join(
        "", "<li><b>{}</b>: {}</li>", ((c.label, c.question) for c in Criterion)
    )
    verdicts = ", ".join(v.label.lower() for v in Verdict)
    return format_html(
        '<p>Each criterion is {}.</p><ul class="ct-definitions">{}</ul>', verdicts, items
    )
