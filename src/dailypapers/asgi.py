"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
application = get_asgi_application()

from dailypapers.search.engine import mark_serving  # noqa: E402 - needs the settings

mark_serving()
