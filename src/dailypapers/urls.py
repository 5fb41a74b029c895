"""Root URL map: each feature app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("dailypapers.operations.urls")),
    # Before papers: /papers/<id>.md is the API's.
    path("", include("dailypapers.api.urls")),
    path("", include("dailypapers.papers.urls")),
    path("", include("dailypapers.search.urls")),
    path("", include("dailypapers.community.urls")),
    path("", include("dailypapers.accounts.urls")),
    path("", include("dailypapers.digest.urls")),
    path("", include("dailypapers.recommend.urls")),
    path("", include("dailypapers.library.urls")),
    path("", include("dailypapers.thumbnails.urls")),
]
