"""Account pages: sign up and confirm the address, log in and out, passwords, profiles.

Login, link and reset requests are rate-limited by accounts.throttle; refusals are HTTP 429
with a page that says how long to wait.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_safe

from dailypapers.accounts import throttle
from dailypapers.accounts.forms import EmailForm, LoginForm, ProfileForm, SignUpForm
from dailypapers.accounts.links import ExpiredLink, InvalidLink
from dailypapers.accounts.profiles import profile_of
from dailypapers.accounts.verification import (
    check_token,
    is_verified,
    mark_verified,
    send_verification,
)

# Sign-ups from one address in an hour: a classroom behind one router fits, a script doesn't.
SIGNUP_LIMIT = throttle.Limit("signup", 10, 3600)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The newest submissions a profile lists; older ones stay in the feed pages.


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("papers:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        keys = [throttle.address_key(request)]
        wait = throttle.wait_seconds(SIGNUP_LIMIT, keys)
        if wait:
            return _too_many(request, "accounts/signup.html", {"form": form}, wait)
        if form.is_valid():
            throttle.record(SIGNUP_LIMIT, keys)
            user = form.save()
            request.session["signup_email"] = user.email
            request.session["signup_mailed"] = send_verification(user, _site_url(request))
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("signup_email", "")
    context = {
        "email": email,
        "mailed": request.session.get("signup_mailed", True),
        "form": EmailForm(initial={"email": email}),
    }
    return render(request, "accounts/signup_sent.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link shows one button (GET changes nothing: mail scanners open links);
    pressing it confirms the address and logs the member in, once."""
    try:
        user = check_token(token)
    except (ExpiredLink, InvalidLink) as error:
        context = {"expired": isinstance(error, ExpiredLink), "form": EmailForm()}
        return render(request, "accounts/verify_failed.html", context, status=400)
    if request.method != "POST" and not is_verified(user):
        return render(request, "accounts/verify.html", {"member": user, "token": token})
    if not mark_verified(user):
        messages.info(request, "Your email address is already confirmed: please log in.")
        return redirect("accounts:login")
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, "Thank you: your email address is confirmed and you are logged in.")
    return redirect("papers:home")


@require_http_methods(["GET", "POST"])
def resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again; the answer is the same whether or not the address
    has an account, so the form tells no one who is a member."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        keys = [throttle.email_key(email), throttle.address_key(request)]
        wait = throttle.wait_seconds(throttle.MAIL_LIMIT, keys)
        if wait:
            return _too_many(request, "accounts/resend.html", {"form": form}, wait)
        throttle.record(throttle.MAIL_LIMIT, keys)
        waiting = User.objects.filter(
            email__iexact=email, is_active=True, profile__email_verified=False
        )
        for user in waiting:
            send_verification(user, _site_url(request))
        return render(request, "accounts/resend.html", {"form": form, "sent_to": email})
    return render(request, "accounts/resend.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's login, refused with 429 after too many failures for the username or from the
    client's address; see docs/operations.md, "Accounts"."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = throttle.wait_seconds(throttle.login_limit(), self._keys())
        if wait:
            context = self.get_context_data(form=self.get_form_class()(request))
            return _too_many(request, self.template_name, context, wait)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Django names the site by its domain here; the header shows the configured name.
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}

    def form_valid(self, form: Any) -> HttpResponse:
        throttle.clear(throttle.login_limit(), self._keys()[0])
        return super().form_valid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        # The right password for an unconfirmed account is not a guess.
        if form.unverified_user is None:
            throttle.record(throttle.login_limit(), self._keys())
        return super().form_invalid(form)

    def _keys(self) -> list[str]:
        """The username's key first (a success clears it), then the address's."""
        username = self.request.POST.get("username", "")
        return [throttle.username_key(username), throttle.address_key(self.request)]


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/reset_body.txt"
    subject_template_name = "accounts/email/reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("email", "")
        keys = [throttle.email_key(email), throttle.address_key(request)]
        wait = throttle.wait_seconds(throttle.MAIL_LIMIT, keys)
        if wait:
            context = self.get_context_data(form=self.get_form())
            return _too_many(request, self.template_name, context, wait)
        throttle.record(throttle.MAIL_LIMIT, keys)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        # Django would name the site by its domain in the email; use the configured name.
        self.extra_email_context = {"site_name": settings.SITE_NAME}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        # The emailed link proves the address, and a new password ends any lockout.
        mark_verified(form.user)
        throttle.clear(throttle.login_limit(), throttle.username_key(form.user.get_username()))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=profile_of(request.user))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings are saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], wait: int
) -> HttpResponse:
    """The form page again, status 429, saying how long to wait."""
    minutes = max(1, -(-wait // 60))
    context = {**context, "too_many": True, "wait_minutes": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")
