"""The short start's form: categories and authors a member without history picks."""

from __future__ import annotations

from django import forms

from dailypapers.papers.feeds import ARXIV_CATEGORY
from dailypapers.recommend.models import ReaderChoices


class InterestsForm(forms.Form):
    categories = forms.CharField(
        required=False,
        max_length=500,
        help_text="arXiv categories separated by spaces, e.g. cs.CL cs.LG",
    )
    authors = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One author a line, spelt as on arXiv",
    )

    @classmethod
    def of(cls, choices: ReaderChoices) -> InterestsForm:
        return cls(initial={"categories": choices.categories, "authors": choices.authors})

    def clean_categories(self) -> str:
        names = self.cleaned_data["categories"].replace(",", " ").split()
        wrong = [name for name in names if not ARXIV_CATEGORY.fullmatch(name)]
        if wrong:
            raise forms.ValidationError(f"{wrong[0]} is not an arXiv category (e.g. cs.CL).")
        return " ".join(dict.fromkeys(names))

    def clean_authors(self) -> str:
        names = [" ".join(line.split()) for line in self.cleaned_data["authors"].splitlines()]
        return "\n".join(dict.fromkeys(name[:300] for name in names if name))
