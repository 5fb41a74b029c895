"""Django settings, split by responsibility; every value comes from the environment through
dailypapers.config, which documents it (docs/operations.md lists them all)."""

from dailypapers.settings.accounts import *  # noqa: F403
from dailypapers.settings.api import *  # noqa: F403
from dailypapers.settings.caching import *  # noqa: F403
from dailypapers.settings.community import *  # noqa: F403
from dailypapers.settings.core import *  # noqa: F403
from dailypapers.settings.digest import *  # noqa: F403
from dailypapers.settings.ingest import *  # noqa: F403
from dailypapers.settings.reading import *  # noqa: F403
from dailypapers.settings.recommend import *  # noqa: F403
from dailypapers.settings.search import *  # noqa: F403
from dailypapers.settings.summaries import *  # noqa: F403
from dailypapers.settings.tasks import *  # noqa: F403
from dailypapers.settings.thumbnails import *  # noqa: F403
