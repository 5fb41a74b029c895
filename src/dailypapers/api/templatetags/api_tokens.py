"""{% member_tokens user as tokens %}: the settings page's token list, without the settings
view having to know about tokens."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import User

from dailypapers.api.models import ApiToken
from dailypapers.api.tokens import member_tokens as tokens_of

register = template.Library()


@register.simple_tag
def member_tokens(user: User) -> list[ApiToken]:
    return tokens_of(user) if user.is_authenticated else []
