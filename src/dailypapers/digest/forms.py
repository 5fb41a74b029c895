"""Forms of the digest pages: subscribe, change the frequency, follow something."""

from __future__ import annotations

from django import forms

from dailypapers.digest.models import Alert, Subscription
from dailypapers.digest.subscriptions import clean_address, clean_alert


class SubscribeForm(forms.Form):
    """An address is enough; it is checked with Django's validators and refused with any line
    break or control character in it."""

    email = forms.CharField(
        label="Email address",
        max_length=320,
        strip=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.org"}),
    )
    frequency = forms.ChoiceField(
        choices=Subscription.Frequency.choices, initial="daily", required=False
    )

    def clean_email(self) -> str:
        return clean_address(self.cleaned_data["email"])

    def clean_frequency(self) -> str:
        return self.cleaned_data.get("frequency") or "daily"


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Subscription.Frequency.choices)


class AlertForm(forms.Form):
    kind = forms.ChoiceField(label="Follow a", choices=Alert.Kind.choices)
    value = forms.CharField(
        label="Which one",
        max_length=300,
        strip=False,
        help_text="A category such as cs.CL, an author's full name, or a search as you would "
        "type it in the search box.",
    )

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if "kind" in data and "value" in data:
            try:
                data["value"] = clean_alert(data["kind"], data["value"])
            except forms.ValidationError as error:
                self.add_error("value", error)
        return data
