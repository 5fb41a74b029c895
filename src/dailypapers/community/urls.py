"""URLs of what members do with papers: upvote, submit, comment, collect."""

from django.urls import path

import dailypapers.papers.urls  # noqa: F401 - registers the arxiv path converter
from dailypapers.community import views

app_name = "community"
urlpatterns = [
    path("papers/<arxiv:arxiv_id>/vote", views.vote, name="vote"),
    path("submit", views.submit, name="submit"),
    path("papers/<arxiv:arxiv_id>/comments", views.comment, name="comment"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment_delete"),
    path("papers/<arxiv:arxiv_id>/collect", views.collect, name="collect"),
    path("users/<str:username>", views.profile, name="profile"),
    path("users/<str:username>/collections/<slug:slug>", views.collection, name="collection"),
    path("collections/<int:collection_id>/edit", views.collection_edit, name="collection_edit"),
    path(
        "collections/<int:collection_id>/remove",
        views.collection_remove,
        name="collection_remove",
    ),
    path(
        "collections/<int:collection_id>/delete",
        views.collection_delete,
        name="collection_delete",
    ),
]
