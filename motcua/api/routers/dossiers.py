"""/api/v1/dossiers (SPEC §8): register, list, read, act, events, documents. HTTP only: the
selectors scope, the services decide. Times are answered in Vietnam time (+07:00).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from motcua.accounts.models import User
from motcua.api.auth import AUTHENTICATED
from motcua.core.clock import VIETNAM
from motcua.core.errors import PermissionDenied
from motcua.documents.models import Document
from motcua.documents.selectors import stored_file_read
from motcua.documents.storage import FileIntegrityError
from motcua.dossiers import lifecycle, selectors
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services import permissions
from motcua.dossiers.services.actions import ActionParams, dossier_act
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput, dossier_intake
from motcua.dossiers.services.privacy import personal_data_access_log
from motcua.dossiers.services.steps import AgencyDeadline, agency_deadlines

router = Router(auth=AUTHENTICATED, tags=["dossiers"])


def local(instant: datetime | None) -> datetime | None:
    return instant.astimezone(VIETNAM) if instant else None


class ApplicantIn(Schema):
    kind: str = "person"
    full_name: str = ""
    id_number: str = ""
    date_of_birth: date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    name: str = ""
    tax_code: str = ""
    representative: str = ""


class ComponentIn(Schema):
    code: str
    originals: int = Field(0, ge=0)
    copies: int = Field(0, ge=0)
    files: list[str] = []
    vault_document: int | None = None


class DossierIn(Schema):
    procedure: str
    channel: str | None = None
    receiving_unit: str | None = None
    handling_unit: str | None = None
    return_method: str = "counter"
    applicant: ApplicantIn
    components: list[ComponentIn] = []
    form_data: dict[str, Any] = {}


class CreatedOut(Schema):
    id: int
    code: str | None
    status: str
    due_at: datetime | None
    warnings: list[str]


class UnitRef(Schema):
    code: str
    name: str


class SummaryOut(Schema):
    id: int
    code: str | None
    procedure: str
    procedure_name: str
    status: str
    status_label: str
    channel: str
    receiving_unit: str
    handling_unit: str
    applicant_name: str
    submitted_at: datetime | None
    due_at: datetime | None


class ListOut(Schema):
    items: list[SummaryOut]
    count: int


class ComponentOut(Schema):
    code: str
    name: str
    originals: int
    copies: int
    files: list[str]
    vault_document: int | None
    reused: bool
    digitized: bool


class FeeOut(Schema):
    code: str
    name: str
    amount: Decimal
    kind: str
    paid_at: datetime | None
    method: str


class StepOut(Schema):
    order: int
    name: str
    unit: str
    role: str
    assignee: str | None
    started_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    outcome: str


class AgencyOut(Schema):
    """One agency's share of an inter-agency sequence and its own deadline (SPEC §3.4)."""

    unit: str
    steps: list[int]
    allotted_hours: Decimal
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    late: bool


class DossierOut(SummaryOut):
    national_status: int | None
    outcome: str | None
    procedure_version: int
    receiving_unit_detail: UnitRef
    receiving_counter: str | None
    handling_unit_detail: UnitRef
    return_method: str
    applicant: ApplicantIn
    accepted_at: datetime | None
    due_at_before_apology: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    clock_paused_at: datetime | None
    supplement_count: int
    due_explanation: list[dict[str, Any]]
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut]
    agencies: list[AgencyOut]
    form_data: dict[str, Any]
    allowed_actions: list[str]


class ActionIn(Schema):
    """Whatever the action needs; see SPEC §8 (`comment`, `missing`, `units`, `new_due_at`, …)."""

    comment: str = ""
    reason: str = ""
    note: str = ""
    missing: list[str] = []
    files: dict[str, list[str]] = {}
    units: list[str] = []
    question: str = ""
    due_at: datetime | None = None
    answer: str = ""
    consultation: int | None = None
    new_due_at: datetime | None = None
    outcome: str = ""
    assignee: str | None = None
    amount: Decimal | None = None
    method: str = ""
    reference: str = ""
    receiver_name: str = ""
    receiver_id_number: str = ""


class ActionOut(Schema):
    code: str | None
    status: str
    status_label: str
    outcome: str | None
    due_at: datetime | None


class EventOut(Schema):
    sequence: int
    action: str
    from_status: str = Field(..., serialization_alias="from")
    to_status: str = Field(..., serialization_alias="to")
    actor: str | None
    at: datetime
    data: dict[str, Any]
    prev_hash: str
    hash: str


class EventListOut(Schema):
    items: list[EventOut]


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    sha256: str
    signed: bool
    url: str


class DocumentListOut(Schema):
    items: list[DocumentOut]


class ListFilters(Schema):
    status: str | None = None
    procedure: str | None = None
    unit: str | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def _intake_input(body: DossierIn) -> IntakeInput:
    return IntakeInput(
        procedure=body.procedure,
        channel=body.channel,
        receiving_unit=body.receiving_unit,
        handling_unit=body.handling_unit,
        return_method=body.return_method,
        applicant=ApplicantInput(**body.applicant.dict()),
        components=[ComponentInput(**item.dict()) for item in body.components],
        form_data=body.form_data,
    )


@router.post("", response={201: CreatedOut}, summary="Register a dossier")
def create_dossier(
    request: HttpRequest, body: DossierIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
) -> Status[CreatedOut]:
    result = dossier_intake(caller=_user(request), data=_intake_input(body), idempotency_key=idempotency_key)
    dossier = result.dossier
    out = CreatedOut(
        id=dossier.pk, code=dossier.code, status=dossier.status, due_at=local(dossier.due_at), warnings=result.warnings
    )
    return Status(201, out)


@router.get("", response=ListOut, summary="Dossiers in your scope")
def list_dossiers(request: HttpRequest, filters: Query[ListFilters]) -> ListOut:
    dossiers = selectors.dossier_list_for(
        user=_user(request), status=filters.status, procedure=filters.procedure, unit=filters.unit
    )
    page = dossiers[filters.offset : filters.offset + filters.limit]
    return ListOut(items=[_summary(d) for d in page], count=dossiers.count())


@router.get("/{code}", response=DossierOut, summary="One dossier (owner or scoped staff)")
def get_dossier(request: HttpRequest, code: str) -> DossierOut:
    user = _user(request)
    dossier = selectors.dossier_get_for(user=user, code=code)
    personal_data_access_log(user=user, dossier=dossier, purpose="api: dossier detail")
    return _detail(dossier, user)


@router.post("/{code}/actions/{action}", response=ActionOut, summary="Act on a dossier")
def act_on_dossier(request: HttpRequest, code: str, action: str, body: ActionIn | None = None) -> ActionOut:
    user = _user(request)
    dossier = selectors.dossier_get_for(user=user, code=code)
    params = ActionParams(**(body.dict() if body else {}))
    dossier = dossier_act(dossier=dossier, actor=user, action=action, params=params)
    return ActionOut(
        code=dossier.code,
        status=dossier.status,
        status_label=lifecycle.status_label(dossier.status),
        outcome=dossier.outcome,
        due_at=local(dossier.due_at),
    )


@router.get("/{code}/events", response=EventListOut, by_alias=True, summary="Event log with hashes")
def list_events(request: HttpRequest, code: str) -> EventListOut:
    dossier = selectors.dossier_get_for(user=_user(request), code=code)
    items = [
        EventOut(
            sequence=e.sequence,
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            actor=e.actor.username if e.actor else None,
            at=e.at.astimezone(VIETNAM),
            data=e.data,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in selectors.dossier_events(dossier=dossier)
    ]
    return EventListOut(items=items)


@router.get("/{code}/documents", response=DocumentListOut, summary="Files of the dossier")
def list_documents(request: HttpRequest, code: str) -> DocumentListOut:
    dossier = selectors.dossier_get_for(user=_user(request), code=code)
    items = [
        DocumentOut(
            id=document.pk,
            kind=document.kind,
            name=document.name,
            sha256=document.stored_file.sha256,
            signed=document.signed,
            url=request.build_absolute_uri(
                reverse("api:dossier_document", kwargs={"code": dossier.code, "document_id": document.pk})
            ),
        )
        for document in selectors.dossier_documents(dossier=dossier)
    ]
    return DocumentListOut(items=items)


@router.get(
    "/{code}/documents/{document_id}",
    response={200: None},
    url_name="dossier_document",
    summary="One file of the dossier (PDF opens inline)",
)
def download_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    user = _user(request)
    dossier = selectors.dossier_get_for(user=user, code=code)
    document = selectors.dossier_document_get(dossier=dossier, document_id=document_id)
    try:
        content = stored_file_read(document.stored_file)
    except FileIntegrityError:
        # Never serve bytes that are not the ones recorded: damage or tampering in the store.
        raise HttpError(500, _("The stored file no longer matches its fingerprint; it cannot be served.")) from None
    personal_data_access_log(user=user, dossier=dossier, purpose="api: document download")
    return document_response(document, content)


def document_response(document: Document, content: bytes) -> HttpResponse:
    """The bytes with their type; shown inline (a PDF opens in the browser), never sniffed."""
    response = HttpResponse(content, content_type=document.stored_file.mime)
    filename = document.stored_file.original_filename or f"{document.pk}"
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # AUTHENTICATED lets only real users through
        raise PermissionDenied(_("Authentication required."))
    return user


def _summary_fields(dossier: Dossier) -> dict[str, Any]:
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "procedure_name": dossier.procedure_version.name,
        "status": dossier.status,
        "status_label": lifecycle.status_label(dossier.status),
        "channel": Channel(dossier.channel).name.lower(),
        "receiving_unit": dossier.receiving_unit.code,
        "handling_unit": dossier.handling_unit.code,
        "applicant_name": dossier.applicant_display_name,
        "submitted_at": local(dossier.submitted_at),
        "due_at": local(dossier.due_at),
    }


def _summary(dossier: Dossier) -> SummaryOut:
    return SummaryOut(**_summary_fields(dossier))


def _applicant(dossier: Dossier) -> ApplicantIn:
    return ApplicantIn(
        kind=dossier.applicant_kind,
        full_name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        date_of_birth=dossier.applicant_date_of_birth,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        name=dossier.organization_name,
        tax_code=dossier.organization_tax_code,
        representative=dossier.organization_representative,
    )


def _detail(dossier: Dossier, user: User) -> DossierOut:
    steps = list(selectors.dossier_steps(dossier=dossier))
    return DossierOut(
        **_summary_fields(dossier),
        national_status=lifecycle.national_status(dossier.status),
        outcome=dossier.outcome,
        procedure_version=dossier.procedure_version.number,
        receiving_unit_detail=UnitRef(code=dossier.receiving_unit.code, name=dossier.receiving_unit.name),
        receiving_counter=dossier.receiving_counter.name if dossier.receiving_counter else None,
        handling_unit_detail=UnitRef(code=dossier.handling_unit.code, name=dossier.handling_unit.name),
        return_method=dossier.return_method,
        applicant=_applicant(dossier),
        accepted_at=local(dossier.accepted_at),
        due_at_before_apology=local(dossier.due_at_before_apology),
        finished_at=local(dossier.finished_at),
        returned_at=local(dossier.returned_at),
        clock_paused_at=local(dossier.clock_paused_at),
        supplement_count=dossier.supplement_count,
        due_explanation=dossier.due_explanation,
        components=[_component(item) for item in dossier.components.select_related("component")],
        fees=[_fee(fee) for fee in dossier.fee_lines.all()],
        steps=[_step(step) for step in steps],
        agencies=[_agency(item) for item in agency_deadlines(dossier, steps)] if steps else [],
        form_data=dossier.form_data,
        allowed_actions=[str(action) for action in permissions.available_actions(user, dossier)],
    )


def _component(item: Any) -> ComponentOut:
    return ComponentOut(
        code=item.component.code,
        name=item.component.name,
        originals=item.originals,
        copies=item.copies,
        files=[str(f) for f in item.files],
        vault_document=item.vault_document,
        reused=item.reused,
        digitized=item.digitized,
    )


def _fee(fee: Any) -> FeeOut:
    return FeeOut(
        code=fee.code, name=fee.name, amount=fee.amount, kind=fee.kind, paid_at=local(fee.paid_at), method=fee.method
    )


def _agency(item: AgencyDeadline) -> AgencyOut:
    return AgencyOut(
        unit=item.unit.code,
        steps=list(item.step_orders),
        allotted_hours=item.hours,
        started_at=local(item.started_at),
        due_at=local(item.due_at),
        finished_at=local(item.finished_at),
        late=item.late,
    )


def _step(step: Any) -> StepOut:
    return StepOut(
        order=step.order,
        name=step.name,
        unit=step.unit.code,
        role=step.role,
        assignee=step.assignee.username if step.assignee else None,
        started_at=step.started_at.astimezone(VIETNAM),
        due_at=local(step.due_at),
        finished_at=local(step.finished_at),
        outcome=step.outcome,
    )
