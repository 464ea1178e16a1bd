"""Procedure catalog: list with versions, import a LayThuTuc JSON or xlsx file (all or nothing), export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.administration.access import admin_user, province_admin_required
from motcua.administration.forms import ImportForm
from motcua.administration.services import admin_change_record
from motcua.catalog.errors import InvalidRecords
from motcua.catalog.files import json_read, json_write, xlsx_read, xlsx_write
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_records
from motcua.catalog.services import procedure_import
from motcua.core.errors import DomainError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 20 * 1024 * 1024
PAGE_SIZE = 50


@province_admin_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    procedures = Procedure.objects.select_related("current_version").annotate(version_count=Count("versions"))
    if q:
        procedures = procedures.filter(Q(code__icontains=q) | Q(current_version__name__icontains=q))
    page = Paginator(procedures.order_by("code", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "form": ImportForm(prefix="import")}
    return render(request, "administration/catalog.html", context)


@province_admin_required
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=code)
    versions = procedure.versions.select_related("field").order_by("-number")
    return render(request, "administration/procedure_detail.html", {"procedure": procedure, "versions": versions})


@province_admin_required
def catalog_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, prefix="import")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise DomainError(_("The file is larger than 20 MB."))
            raw = xlsx_read(upload) if upload.name.lower().endswith(".xlsx") else json_read(upload.read())
            with transaction.atomic():
                summary = procedure_import(records=raw)
                after = {"file": upload.name, "summary": str(summary), "changed": list(summary.changed_codes)}
                target = _any_procedure(summary.changed_codes)
                admin_change_record(by=admin_user(request), action="catalog.import", target=target, after=after)
        except InvalidRecords as error:
            problems = [str(p) for p in error.problems]
            form.add_error("file", _("Nothing was imported: %(count)d problems were found.") % {"count": len(problems)})
        except DomainError as error:
            form.refuse(error, {"": "file"})
            if not form.errors:
                form.add_error("file", str(error.message))
        else:
            messages.success(
                request,
                _("Imported %(total)d procedures: %(created)d new, %(versions)d new versions, %(unchanged)d unchanged.")
                % {
                    "total": summary.total,
                    "created": summary.created,
                    "versions": summary.new_versions,
                    "unchanged": summary.unchanged,
                },
            )
            return redirect("administration:catalog")
    status = 422 if form.is_bound else 200
    return render(request, "administration/catalog_import.html", {"form": form, "problems": problems}, status=status)


def _any_procedure(codes: tuple[str, ...]) -> Procedure:
    """The object the log row points at: the first changed procedure, else the first of the catalog."""
    return Procedure.objects.filter(code__in=codes).order_by("code").first() or Procedure(pk=0, code="-")


@province_admin_required
def catalog_export(request: HttpRequest, fmt: str) -> HttpResponse:
    records = procedure_records()
    if fmt == "xlsx":
        buffer = io.BytesIO()
        xlsx_write(records, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    else:
        text = io.StringIO()
        json_write(records, text)
        response = HttpResponse(text.getvalue().encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc.{"xlsx" if fmt == "xlsx" else "json"}"'
    return response
