"""Forms of the community pages: submit a paper, write a comment, make and edit collections."""

from __future__ import annotations

from django import forms
from django.conf import settings


class SubmitForm(forms.Form):
    paper = forms.CharField(
        label="arXiv id or URL",
        max_length=300,
        help_text="For example 2501.01234 or https://arxiv.org/abs/2501.01234.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class CommentForm(forms.Form):
    """The text of a comment; comments.py checks its length and renders the Markdown."""

    body = forms.CharField(
        label="Comment",
        strip=True,
        help_text="Markdown and TeX ($…$) work.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["body"].widget.attrs["maxlength"] = str(settings.COMMENT_MAX_LENGTH)


class CollectionForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label="Public",
        required=False,
        help_text="Anyone with the link can see a public collection; it is listed on your profile.",
    )


class AddToCollectionForm(forms.Form):
    """Add the paper to one of the member's collections, or to a new one named here."""

    collection = forms.TypedChoiceField(
        label="Collection", coerce=int, required=False, empty_value=None
    )
    new_name = forms.CharField(label="Or a new collection named", max_length=120, required=False)

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["collection"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "New collection…"), *choices]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("collection") and not (data.get("new_name") or "").strip():
            raise forms.ValidationError("Choose a collection, or name a new one.")
        return data
