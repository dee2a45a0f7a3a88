"""The desk's forms. They validate and normalise; the views call the rules that act."""

from django import forms
from django.core.exceptions import ValidationError

from .similar import MIN_WORDS


class SimilarClaimsForm(forms.Form):
    """The statement an editor is typing, and the claim it belongs to (left out of the
    answer), if it has one yet."""

    # Long enough for any claim's statement, short enough to keep each lookup cheap.
    statement = forms.CharField(max_length=1000)
    exclude = forms.IntegerField(min_value=1, required=False)

    def clean_statement(self):
        statement = self.cleaned_data["statement"]
        if len(statement.split()) < MIN_WORDS:
            raise ValidationError(
                "Type at least %(words)d words to look for similar claims.",
                code="too_short",
                params={"words": MIN_WORDS},
            )
        return statement
