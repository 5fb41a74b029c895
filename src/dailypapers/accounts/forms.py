"""Forms of the account pages: sign up, log in, ask for a new link, a member's settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from dailypapers.accounts.models import Profile
from dailypapers.accounts.verification import is_verified


class SignUpForm(UserCreationForm):
    """Username, email and password twice, checked by Django's password validators."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send a link to confirm it; it is never shown to others.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this email address. Log in, or reset its password.",
                code="email_taken",
            )
        return email

    def save(self, commit: bool = True) -> User:
        """The member, with a profile waiting for the email confirmation."""
        with transaction.atomic():
            user: User = super().save(commit=True)
            Profile.objects.create(user=user, email_verified=False)
        return user


class LoginForm(AuthenticationForm):
    """Django's login form, refusing members who have not confirmed their email yet."""

    # Set when the password was right but the address is unconfirmed: the page then offers
    # to send the link again. Wrong passwords never reveal whether an account exists.
    unverified_user: User | None = None

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not is_verified(user):
            self.unverified_user = user
            raise ValidationError(
                "Please confirm your email address first: follow the link we emailed to you.",
                code="unverified",
            )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name", "upvotes_public")
        help_texts = {"display_name": "Shown instead of your username; leave empty for none."}
