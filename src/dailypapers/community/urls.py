"""URLs of what members do with papers: the upvote."""

from django.urls import path

import dailypapers.papers.urls  # noqa: F401 - registers the arxiv path converter
from dailypapers.community import views

app_name = "community"
urlpatterns = [
    path("papers/<arxiv:arxiv_id>/vote", views.vote, name="vote"),
]
