"""What the citizen pages share: who may use them, attaching uploads, and how events read to an applicant."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.catalog.models import Component
from motcua.core.errors import InvalidInput, NotFound
from motcua.documents.models import StoredFile
from motcua.documents.services import stored_file_create
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get_for

View = Callable[..., HttpResponse]
APPLICANT_KINDS = (AccountKind.CITIZEN, AccountKind.ORGANIZATION)

# What each action means to the applicant, in the past tense of a timeline.
EVENT_LABELS: dict[str, Any] = {
    Action.SUBMIT: gettext_lazy("Dossier submitted"),
    "pay_fees": gettext_lazy("Fees paid at the counter"),  # a record, not a status change (services/fees.py)
    Action.ACCEPT: gettext_lazy("Dossier accepted"),
    Action.REFUSE: gettext_lazy("Dossier not accepted"),
    Action.REQUEST_SUPPLEMENT: gettext_lazy("Supplement requested"),
    Action.SUBMIT_SUPPLEMENT: gettext_lazy("Supplement submitted"),
    Action.FORWARD: gettext_lazy("Moved to the next processing step"),
    Action.SEND_BACK: gettext_lazy("Sent back to an earlier processing step"),
    Action.CONSULT: gettext_lazy("Other agencies consulted"),
    Action.ANSWER_CONSULT: gettext_lazy("Consultation answered"),
    Action.REQUEST_PAYMENT: gettext_lazy("Financial obligation requested"),
    Action.CONFIRM_PAYMENT: gettext_lazy("Payment confirmed"),
    Action.APOLOGIZE: gettext_lazy("Apology sent with a new return date"),
    Action.RESOLVE: gettext_lazy("Dossier resolved"),
    Action.RETURN_RESULT: gettext_lazy("Result returned"),
    Action.WITHDRAW: gettext_lazy("Dossier withdrawn"),
    Action.STOP: gettext_lazy("Processing stopped"),
}
# Event details written for the applicant; comments between officers stay internal.
PUBLIC_EVENT_DATA: dict[str, tuple[str, ...]] = {
    Action.REFUSE: ("reason",),
    Action.REQUEST_SUPPLEMENT: ("missing", "note"),
}


def applicant_required(view: View) -> View:
    """Let through citizens and organizations; send visitors to log in; refuse staff with 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.kind not in APPLICANT_KINDS:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def event_details(action: str, data: dict[str, Any]) -> dict[str, Any]:
    """What the applicant may read of the event's data: the reason for a refusal, what is missing."""
    keys = PUBLIC_EVENT_DATA.get(action, ())
    return {key: data[key] for key in keys if data.get(key)}


def uploads_apply(
    *, request: HttpRequest, components: Iterable[Component], files: dict[str, list[int]]
) -> dict[str, str]:
    """Attach the files posted as `file-<n>` to the n-th component (in `files`, updated in place).

    Each file is validated on its own: a refused one gives its component an error (returned, by
    component code) and the others stay attached. `remove` lists file ids to detach first.
    """
    removed = {int(value) for value in request.POST.getlist("remove") if value.isdigit()}
    for code, ids in list(files.items()):
        files[code] = [i for i in ids if i not in removed]
    errors: dict[str, str] = {}
    user: Any = request.user
    for index, component in enumerate(components):
        for upload in request.FILES.getlist(f"file-{index}"):
            try:
                stored = _store(upload, user)
            except InvalidInput as exc:
                earlier = errors.get(component.code)
                errors[component.code] = f"{earlier + '; ' if earlier else ''}{upload.name}: {exc.message}"
                continue
            files.setdefault(component.code, []).append(stored.pk)
    return errors


def _store(upload: UploadedFile, user: User) -> StoredFile:
    # Refuse an oversized file before reading it into memory; documents checks everything else.
    if upload.size is not None and upload.size > settings.DOCUMENTS_MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is too large; the limit is %(limit).1f MB.")
            % {"limit": settings.DOCUMENTS_MAX_UPLOAD_BYTES / 2**20}
        )
    return stored_file_create(content=upload.read(), filename=upload.name or "", uploaded_by=user)


def file_names(ids: Iterable[int | str]) -> dict[str, str]:
    """Stored file id (as text) → the name it was uploaded under; references that are not stored files are left out."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    rows = StoredFile.objects.filter(pk__in=wanted).values_list("pk", "original_filename")
    return {str(pk): name or str(pk) for pk, name in rows}


def attached(components: Iterable[Component], files: dict[str, list[int]], errors: dict[str, str]) -> list[dict]:
    """Rows for the upload partial: each component with its attached files and its upload error."""
    names = file_names(i for ids in files.values() for i in ids)
    return [
        {
            "index": index,
            "component": component,
            "files": [(i, names.get(str(i), str(i))) for i in files.get(component.code, [])],
            "error": errors.get(component.code, ""),
        }
        for index, component in enumerate(components)
    ]


def upload_summary(rows: list[dict]) -> list[tuple[str, str]]:
    """Error-summary links to the file inputs whose upload was refused."""
    return [
        (f"#file-{row['index']}", f"{Truncator(row['component'].name).chars(60)} — {row['error']}")
        for row in rows
        if row["error"]
    ]


def dossier_or_404(request: HttpRequest, code: str) -> Dossier:
    """The applicant's own dossier; anyone else's is a 404, exactly as a code that does not exist."""
    try:
        return dossier_get_for(user=request.user, code=code)  # type: ignore[arg-type]
    except NotFound:
        raise Http404(code) from None
