"""Pages of library import and export: upload a file, follow its import, export a collection."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from dailypapers.community.collections import collection_papers
from dailypapers.community.models import Collection
from dailypapers.library import exports
from dailypapers.library.forms import ImportForm
from dailypapers.library.imports import ImportRefused, start_import
from dailypapers.library.models import ImportJob
from dailypapers.operations import engine


@login_required
@require_http_methods(["GET", "POST"])
def import_library(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = start_import(
                _member(request), upload.name, upload.read(), form.cleaned_data["collection"]
            )
        except ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            if job.status == ImportJob.Status.PENDING:  # too long to match in the request
                engine.enqueue("library.run_import", job.pk)
            return redirect("library:job", job_id=job.pk)
    jobs = ImportJob.objects.filter(user=_member(request)).defer("entries")[:10]
    return render(request, "library/import.html", {"form": form, "jobs": jobs, "nav": "for-you"})


@login_required
@require_safe
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """An import's progress (htmx asks again every two seconds until it is done)."""
    found = get_object_or_404(ImportJob, pk=job_id, user=_member(request))
    template = "library/_job.html" if request.headers.get("HX-Request") else "library/job.html"
    return render(request, template, {"job": found, "nav": "for-you"})


@require_safe
def export_collection(request: HttpRequest, collection_id: int, format: str) -> HttpResponse:
    """A public collection, or the member's own, as BibTeX, RIS or CSL-JSON."""
    collection = Collection.objects.filter(pk=collection_id).first()
    if collection is None or format not in exports.CONTENT_TYPES:
        raise Http404("No such collection.")
    if not (collection.is_public or collection.owner_id == request.user.pk):
        raise Http404("No such collection.")
    body = exports.export(collection_papers(collection), format)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[format])
    name = slugify(collection.name) or "collection"
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response


def _member(request: HttpRequest) -> User:
    """The logged-in member (the views using it require a login)."""
    return cast(User, request.user)
