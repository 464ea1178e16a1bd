"""Pages under /y-kien/: rating a returned dossier (portal and counter tablet), sending feedback,
the public list of published answers, and the staff pages that handle feedback. HTTP only: the
selectors scope, the services decide.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.decorators import staff_verified_required
from motcua.accounts.models import User
from motcua.core.errors import DomainError, NotFound
from motcua.documents.selectors import stored_file_read
from motcua.documents.storage import FileIntegrityError
from motcua.dossiers.lifecycle import Status, status_label
from motcua.dossiers.models import Dossier
from motcua.feedback import selectors
from motcua.feedback.forms import (
    AnswerForm,
    FeedbackForm,
    ForwardForm,
    NoteForm,
    RatingForm,
    ReasonForm,
    RecordForm,
    VoteForm,
    error_summary,
)
from motcua.feedback.models import FeedbackStatus, RatingChannel
from motcua.feedback.services import feedback as fb
from motcua.feedback.services.ratings import rater_key, rating_create

PER_PAGE = 20


# --- ratings -------------------------------------------------------------------------------------


def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The owner rates his returned dossier on the portal."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        dossier = selectors.rating_dossier_for_owner(user=request.user, code=code)
    except NotFound:
        raise Http404 from None
    return _rating_page(request, dossier, channel=RatingChannel.PORTAL, rater=request.user, officer=None)


@staff_verified_required
def tablet(request: HttpRequest, code: str) -> HttpResponse:
    """The counter officer opens this for a returned dossier of his unit; the applicant rates on it."""
    try:
        dossier = selectors.rating_dossier_for_counter(officer=request.user, code=code)
    except NotFound:
        raise Http404 from None
    return _rating_page(request, dossier, channel=RatingChannel.COUNTER_TABLET, rater=None, officer=request.user)


def _rating_page(request: HttpRequest, dossier: Dossier, *, channel: str, rater: Any, officer: Any) -> HttpResponse:
    already = selectors.dossier_ratings(dossier=dossier).filter(rater_key=rater_key(dossier=dossier, rater=rater))
    context: dict[str, Any] = {"dossier": dossier, "status_label": status_label(dossier.status), "tablet": officer}
    if dossier.status != Status.RETURNED or already.exists():
        context["closed"] = "rated" if already.exists() else "not_returned"
        return render(request, "feedback/rate.html", context, status=409 if request.method == "POST" else 200)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rating_create(
                    dossier=dossier,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                    channel=channel,
                    rater=rater,
                    officer=officer,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                return redirect("feedback:thanks")
        status = 422
    context.update(form=form, errors=error_summary(form))
    return render(request, "feedback/rate.html", context, status=status)


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thanks.html")


# --- feedback: the public side ----------------------------------------------------------------


def feedback_new(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = fb.feedback_submit(data=form.input(), submitter=_user(request), attachments=form.uploads())
            except DomainError as error:
                _refuse(form, error)
            else:
                return redirect("feedback:sent", code=item.code)
        status = 422
    return render(request, "feedback/new.html", {"form": form, "errors": error_summary(form)}, status=status)


def _refuse(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def feedback_sent(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "feedback/sent.html", {"code": code.upper()[:30]})


def published(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.feedback_published(q=q), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "feedback/published.html", {"page": page, "q": q, "vote_form": VoteForm()})


@require_POST
def vote(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.build_absolute_uri("/y-kien/"))
    try:
        item = selectors.feedback_published_get(code=code)
    except NotFound:
        raise Http404 from None
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the answer satisfies you."))
    else:
        try:
            fb.feedback_vote(feedback=item, voter=request.user, satisfied=form.cleaned_data["satisfied"])
            messages.success(request, _("Thank you for your opinion."))
        except DomainError as error:
            messages.error(request, str(error.message))
    return redirect("feedback:published")


# --- feedback: the staff side -----------------------------------------------------------------


@staff_verified_required
def staff_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in FeedbackStatus.values else ""
    items = selectors.feedback_list_for_staff(user=request.user, status=status)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "feedback/staff_list.html", {"page": page, "status": status, "statuses": FeedbackStatus.choices}
    )


@staff_verified_required
def staff_record(request: HttpRequest) -> HttpResponse:
    """An official records a feedback that came by phone, hotline, letter or in person."""
    form = RecordForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = fb.feedback_record(
                    data=form.input(),
                    channel=data["channel"],
                    officer=cast(User, request.user),  # staff_verified_required let only staff in
                    received_at=data["received_at"],
                    attachments=form.uploads(),
                )
            except DomainError as error:
                _refuse(form, error)
            else:
                messages.success(request, _("Feedback %(code)s recorded.") % {"code": item.code})
                return redirect("feedback:staff-detail", code=item.code)
        status = 422
    return render(request, "feedback/staff_record.html", {"form": form, "errors": error_summary(form)}, status=status)


@staff_verified_required
def staff_attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A file of a feedback, to the staff who may open the feedback; always a download, never sniffed."""
    try:
        attachment = selectors.feedback_attachment_for_staff(user=request.user, code=code, pk=pk)
    except NotFound:
        raise Http404 from None
    stored = attachment.stored_file
    try:
        content = stored_file_read(stored)
    except FileIntegrityError:
        return HttpResponse(_("The stored file no longer matches its fingerprint; it cannot be served."), status=500)
    response = HttpResponse(content, content_type=stored.mime)
    response["Content-Disposition"] = content_disposition_header(True, attachment.original_name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


ACTION_FORMS: dict[str, type] = {
    "reject": ReasonForm,
    "request_info": ReasonForm,
    "info_received": NoteForm,
    "forward": ForwardForm,
    "answer": AnswerForm,
}


@staff_verified_required
def staff_detail(
    request: HttpRequest, code: str, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    try:
        item = selectors.feedback_get_for_staff(user=request.user, code=code)
    except NotFound:
        raise Http404 from None
    bound = forms or {}
    context = {
        "item": item,
        "attachments": item.attachments.select_related("stored_file"),
        "events": item.events.select_related("actor"),
        "moves": {a: item.status in allowed for a, (allowed, _to) in fb.MOVES.items()},
        "forms": {name: bound.get(name) or form(prefix=name) for name, form in ACTION_FORMS.items()},
        "errors": error_summary(*bound.values()),
    }
    return render(request, "feedback/staff_detail.html", context, status=status)


@require_POST
@staff_verified_required
def staff_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in fb.MOVES:
        raise Http404
    role = selectors.PUBLISH_ROLES if action == "publish" else None
    try:
        item = selectors.feedback_get_for_staff(user=request.user, code=code, role=role)
    except NotFound:
        raise Http404 from None
    form = ACTION_FORMS[action](request.POST, prefix=action) if action in ACTION_FORMS else None
    if form is not None and not form.is_valid():
        return staff_detail(request, code, forms={action: form}, status=422)
    try:
        _act(item, action, request.user, form.cleaned_data if form else {})
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("feedback:staff-detail", code=item.code)
    messages.success(request, _("Done."))
    return redirect("feedback:staff-detail", code=item.code)


def _act(item: Any, action: str, officer: Any, data: dict[str, Any]) -> None:
    if action == "reject":
        fb.feedback_reject(feedback=item, officer=officer, reason=data["text"])
    elif action == "request_info":
        fb.feedback_request_info(feedback=item, officer=officer, reason=data["text"])
    elif action == "info_received":
        fb.feedback_info_received(feedback=item, officer=officer, note=data["text"])
    elif action == "forward":
        fb.feedback_forward(feedback=item, officer=officer, unit=data["unit"])
    elif action == "answer":
        fb.feedback_answer(feedback=item, officer=officer, answer=data["text"])
    else:
        fb.feedback_publish(feedback=item, officer=officer)
