"""The import form: a file and the collection it goes into."""

from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(help_text="BibTeX (.bib), RIS (.ris) or Zotero CSL-JSON (.json)")
    collection = forms.CharField(
        max_length=120,
        required=False,
        initial="Imported library",
        help_text="The collection the matched papers go into (created if needed)",
    )
