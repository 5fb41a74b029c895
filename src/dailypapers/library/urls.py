"""URLs of library import and export."""

from django.urls import path

from dailypapers.library import views

app_name = "library"
urlpatterns = [
    path("library/import", views.import_library, name="import"),
    path("library/imports/<int:job_id>", views.job, name="job"),
    path(
        "collections/<int:collection_id>/export.<str:format>",
        views.export_collection,
        name="export",
    ),
]
