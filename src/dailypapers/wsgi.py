"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
application = get_wsgi_application()

from dailypapers.search.engine import mark_serving  # noqa: E402 - needs the settings

mark_serving()
