"""Digest pages: the subscribe form (rate-limited), the links from emails (confirm,
unsubscribe with RFC 8058 one-click, preview, manage) and a member's quick subscribe.

Links from emails carry a signed token, so none of them needs a login; an altered or expired
one answers 400 with a page saying so, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dailypapers.accounts import throttle
from dailypapers.accounts.links import ExpiredLink, InvalidLink
from dailypapers.accounts.verification import is_verified
from dailypapers.digest import subscriptions
from dailypapers.digest.compose import RoundPapers, choose_items
from dailypapers.digest.compose import render as render_digest
from dailypapers.digest.forms import AlertForm, FrequencyForm, SubscribeForm
from dailypapers.digest.models import Subscription
from dailypapers.digest.rounds import next_period
from dailypapers.numbers import parse_int


def email_limit() -> throttle.Limit:
    return throttle.Limit("digest", settings.DIGEST_SUBSCRIBE_PER_HOUR_PER_EMAIL, 3600)


def address_limit() -> throttle.Limit:
    return throttle.Limit("digest", settings.DIGEST_SUBSCRIBE_PER_HOUR_PER_ADDRESS, 3600)


# No CSRF check: the footer's box on every (cached) page carries no token. A forged POST can
# only do what anyone can do directly, ask for a confirmation mail to some address (double
# opt-in: nothing is sent until it is confirmed), within the same per-address limits; it
# reads no session and changes nothing of the member's.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not the address already gets digests: the form tells no
    one who subscribes."""
    if request.method == "GET":
        return render(request, "digest/subscribe.html", {"form": SubscribeForm()})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "digest/subscribe.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    email_key, address_key = throttle.email_key(email), throttle.address_key(request)
    wait = max(
        throttle.wait_seconds(email_limit(), [email_key]),
        throttle.wait_seconds(address_limit(), [address_key]),
    )
    if wait:
        context = {"form": form, "too_many": True, "wait_minutes": max(1, -(-wait // 60))}
        response = render(request, "digest/subscribe.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    throttle.record(email_limit(), [email_key, address_key])
    mailed = subscriptions.request_subscription(
        email, form.cleaned_data["frequency"], request.build_absolute_uri("/")
    )
    context = {"form": form, "sent_to": email, "mailed": mailed}
    return render(request, "digest/subscribe.html", context, status=200 if mailed else 503)


@login_required
@require_POST
def subscribe_member(request: HttpRequest) -> HttpResponse:
    """A member subscribes their confirmed account address from their settings, at once."""
    form = FrequencyForm(request.POST)
    if not is_verified(request.user) or not form.is_valid():  # type: ignore[arg-type]
        messages.error(request, "Confirm your email address first, then subscribe.")
    else:
        subscriptions.subscribe_member(request.user, form.cleaned_data["frequency"])  # type: ignore[arg-type]
        messages.success(request, "You are subscribed to the digest.")
    return redirect("accounts:settings")


@csrf_exempt  # the signed link is the proof, as for unsubscribing; the page's button posts it
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button and changes nothing (mail scanners open links); POST confirms."""
    try:
        if request.method == "POST":
            subscription, fresh = subscriptions.confirm(token)
        else:
            subscription, fresh = subscriptions.pending(token), False
    except (ExpiredLink, InvalidLink) as error:
        return _link_failed(request, expired=isinstance(error, ExpiredLink))
    if request.method != "POST" and not subscription.is_active:
        return render(
            request, "digest/confirm.html", {"subscription": subscription, "token": token}
        )
    context = {"subscription": subscription, "already": not fresh, **_links(subscription)}
    return render(request, "digest/confirmed.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners follow links); POST leaves, from the page's button or from a
    mail client's RFC 8058 one-click request, which carries no CSRF token: the signed link
    is the proof."""
    try:
        subscription = subscriptions.from_manage_token(token)
    except InvalidLink:
        return _link_failed(request, expired=False)
    done = False
    if request.method == "POST":
        subscriptions.unsubscribe(subscription)
        done = True
    context = {"subscription": subscription, "done": done, "token": token}
    return render(request, "digest/unsubscribe.html", context)


@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """The next digest as it would read if it were sent now, in the browser."""
    try:
        subscription = subscriptions.from_manage_token(token)
    except InvalidLink:
        return _link_failed(request, expired=False)
    period = next_period(subscription.frequency, timezone.now())
    items = choose_items(subscription, RoundPapers.of(period))
    rendered = render_digest(subscription, period.label, items, request.build_absolute_uri("/"))
    return HttpResponse(rendered.html)


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Frequency and alerts, from the link in every digest or from a member's settings."""
    try:
        subscription = subscriptions.from_manage_token(token)
    except InvalidLink:
        return _link_failed(request, expired=False)
    alert_form = AlertForm()
    if request.method == "POST":
        outcome = _change(request, subscription)
        if isinstance(outcome, AlertForm):
            alert_form = outcome
        else:
            return _back(request, token)
    context = {
        "subscription": subscription,
        "token": token,
        "alert_form": alert_form,
        "alerts": subscription.alerts.order_by("kind", "value"),
        **_links(subscription),
    }
    return render(request, "digest/manage.html", context, status=400 if alert_form.errors else 200)


def _change(request: HttpRequest, subscription: Subscription) -> AlertForm | None:
    """Apply one change the manage forms ask for; the alert form back when it was refused."""
    action = request.POST.get("action")
    if action == "frequency":
        form = FrequencyForm(request.POST)
        if form.is_valid():
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.save(update_fields=["frequency"])
            messages.success(request, "Your digest frequency is saved.")
    elif action == "add_alert":
        alert_form = AlertForm(request.POST)
        if not alert_form.is_valid():
            return alert_form
        try:
            kind, value = alert_form.cleaned_data["kind"], alert_form.cleaned_data["value"]
            subscriptions.add_alert(subscription, kind, value)
        except ValidationError as error:
            alert_form.add_error("value", error)
            return alert_form
        messages.success(request, "You will get new papers matching this alert.")
    elif action == "remove_alert":
        alert_id = parse_int(request.POST.get("alert"), low=1)
        if alert_id is not None:
            subscription.alerts.filter(pk=alert_id).delete()
        messages.success(request, "The alert is removed.")
    return None


def _back(request: HttpRequest, token: str) -> HttpResponse:
    target = request.POST.get("next", "")
    # A path of this site only: anything else ("²", a view's name) redirect() would resolve.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("digest:manage", token=token)


def _links(subscription: Subscription) -> dict[str, Any]:
    token = subscriptions.manage_token(subscription)
    return {"manage_token": token}


def _link_failed(request: HttpRequest, expired: bool) -> HttpResponse:
    context = {"expired": expired, "form": SubscribeForm()}
    return render(request, "digest/link_failed.html", context, status=400)
