"""Public verification of a result (SPEC §3.5, §3.6): upload the PDF, or open the QR printed on a copy."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import NotFound
from motcua.documents.verification import result_verify, upload_verify
from motcua.portal.forms import VerifyForm, error_summary


def verify_upload(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
    verdict = upload_verify(pdf=form.cleaned_data["file"]) if posted and form.is_valid() else None
    context = {"form": form, "verdict": verdict, "errors": error_summary(form)}
    return render(request, "portal/verify/upload.html", context, status=422 if form.errors else 200)


def verify_result(request: HttpRequest, result_code: str) -> HttpResponse:
    try:
        verdict = result_verify(result_code=result_code)
    except NotFound:
        return render(request, "portal/verify/not_found.html", {"result_code": result_code}, status=404)
    return render(request, "portal/verify/result.html", {"verdict": verdict, "result_code": result_code})
