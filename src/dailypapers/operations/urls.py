"""URLs of the operations app: the health check a load balancer polls."""

from django.urls import path

from dailypapers.operations import views

app_name = "operations"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
