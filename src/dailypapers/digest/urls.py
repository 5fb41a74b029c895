"""URLs of the digest pages under /digest/: subscribe, confirm, unsubscribe, preview, manage."""

from django.urls import path

from dailypapers.digest import views

app_name = "digest"
urlpatterns = [
    path("digest/subscribe", views.subscribe, name="subscribe"),
    path("digest/subscribe/member", views.subscribe_member, name="subscribe_member"),
    path("digest/confirm/<str:token>", views.confirm, name="confirm"),
    path("digest/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("digest/preview/<str:token>", views.preview, name="preview"),
    path("digest/manage/<str:token>", views.manage, name="manage"),
]
