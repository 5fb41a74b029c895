"""URLs of the personal feed."""

from django.urls import path

import dailypapers.papers.urls  # noqa: F401 - registers the arxiv path converter
from dailypapers.recommend import views

app_name = "recommend"
urlpatterns = [
    path("for-you", views.for_you, name="for_you"),
    path("for-you/interests", views.interests, name="interests"),
    path("for-you/hide-seen", views.hide_seen, name="hide_seen"),
    path("for-you/feed-token", views.feed_token, name="feed_token"),
    path("for-you/collections/<int:collection_id>", views.more_like, name="more_like"),
    path("for-you/feed/<str:token>.<str:form>", views.private_feed, name="private_feed"),
    path("papers/<arxiv:arxiv_id>/feedback", views.mark, name="mark"),
]
