from django.urls import path

from dailypapers.thumbnails import views

app_name = "thumbnails"
urlpatterns = [
    path("thumbnails/<path:name>", views.image, name="image"),
]
