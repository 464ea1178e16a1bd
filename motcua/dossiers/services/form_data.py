"""What a dossier's legal forms print (SPEC §4.5): the dossier, its event and its actor → `forms.data`.

Reads only. Each builder takes the event that triggered the form (the acceptance for Mẫu 01,
the supplement request for Mẫu 02, …) so a form printed again later says what was true then.
Forms are legal texts in Vietnamese: the strings here are not translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from typing import Final

from django.conf import settings

from motcua.accounts.models import User
from motcua.catalog.models import ProcedureVersion
from motcua.core import clock
from motcua.dossiers.forms import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    ControlStep,
    FormData,
    FormKind,
    Issuer,
    Party,
    ReceiptData,
    RefusalData,
    Signer,
    StepPhase,
    StopNoticeData,
    StopReason,
    SupplementRequestData,
    Timeliness,
    profile_for,
)
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent, DossierStep, ReturnMethod
from motcua.organizations.models import Unit
from motcua.workflow.routing import StepKind

RECEIVER = "NGƯỜI TIẾP NHẬN HỒ SƠ"
HEAD = "THỦ TRƯỞNG CƠ QUAN"
SEAL_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
TIME_UNITS: Final = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "days": "ngày"}
RETURN_PLACES: Final = {
    ReturnMethod.POST: "Qua dịch vụ bưu chính công ích",
    ReturnMethod.ELECTRONIC: "Trực tuyến, trên Cổng Dịch vụ công",
}


def issuing_unit(dossier: Dossier, kind: FormKind) -> Unit:
    """The unit that issues (and signs) the form: the competent unit apologizes and stops, the counter the rest."""
    return dossier.handling_unit if kind in (FormKind.APOLOGY, FormKind.STOP_NOTICE) else dossier.receiving_unit


def form_data_for(*, dossier: Dossier, kind: FormKind, event: DossierEvent, actor: User | None) -> FormData:
    """The data of form `kind` for `dossier`, as of `event` (the action that called for the form)."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ValueError(f"{kind} is not a form of one dossier")
    return builder(dossier, event, actor)


def _issuer(unit: Unit) -> Issuer:
    return Issuer(
        name=unit.name,
        parent_name=unit.parent.name if unit.parent else "",
        place=_place(unit),
        short_name=unit.short_name,
    )


def _place(unit: Unit) -> str:
    """'An Lạc' from 'Tỉnh An Lạc (mô phỏng)': the place in the date line."""
    if unit.province is None:
        return ""
    name = re.sub(r"\s*\(.*?\)", "", unit.province.name)
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", name).strip()


def _applicant(dossier: Dossier) -> Party:
    organization = dossier.applicant_kind == ApplicantKind.ORGANIZATION
    return Party(
        name=dossier.applicant_display_name,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        id_number=dossier.organization_tax_code if organization else dossier.applicant_id_number,
    )


def _name(user: User | None) -> str:
    return (user.full_name or user.username) if user else ""


def _common(dossier: Dossier, kind: FormKind, event: DossierEvent) -> dict[str, object]:
    """Fields every dossier form has: issuer, tracking base URL, code, profile, procedure name."""
    return {
        "issuer": _issuer(issuing_unit(dossier, kind)),
        "base_url": settings.PUBLIC_BASE_URL,
        "code": dossier.code or "",
        "issued_at": event.at,
        "procedure_name": dossier.procedure_version.name,
        "profile": profile_for(dossier.accepted_at or dossier.submitted_at or event.at),
    }


def _components(dossier: Dossier) -> tuple[ComponentLine, ...]:
    # "copies" at the counter are copies with legal value (bản sao/bản chứng thực), not photocopies.
    items = dossier.components.select_related("component").order_by("component__order", "pk")
    return tuple(ComponentLine(item.component.name, item.originals, certified_copies=item.copies) for item in items)


def processing_time_text(version: ProcedureVersion) -> str:
    """'15 ngày làm việc', as the catalog states it."""
    if version.immediate_result:
        return "Trả kết quả ngay trong ngày"
    if version.processing_time is None:
        return version.time_description[:200]
    amount = f"{version.processing_time.normalize():f}".replace(".", ",")
    return f"{amount} {TIME_UNITS.get(version.processing_time_unit, '')}".strip()


def money_text(amount: Decimal) -> str:
    """'50.000 đồng'."""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def _fees(dossier: Dossier) -> str:
    lines = list(dossier.fee_lines.all())
    if not lines:
        return ""
    return "; ".join(f"{line.name}: {money_text(line.amount)}" for line in lines)


def _return_place(dossier: Dossier) -> str:
    if dossier.return_method in RETURN_PLACES:
        return RETURN_PLACES[ReturnMethod(dossier.return_method)]
    counter = dossier.receiving_counter
    if counter is None:
        return dossier.receiving_unit.name
    return f"{counter.name}, {counter.address}" if counter.address else counter.name


def _help_contact(dossier: Dossier) -> str:
    counter = dossier.receiving_counter
    phone = (counter.phone if counter else "") or dossier.receiving_unit.phone
    name = counter.name if counter else dossier.receiving_unit.name
    return f"{name}, điện thoại {phone}" if phone else name


def _receipt(dossier: Dossier, event: DossierEvent, actor: User | None) -> ReceiptData:
    return ReceiptData(
        **_common(dossier, FormKind.RECEIPT, event),  # type: ignore[arg-type]
        applicant=_applicant(dossier),
        received_at=dossier.submitted_at or event.at,
        due_at=dossier.due_at or event.at,
        processing_time=processing_time_text(dossier.procedure_version),
        receiver=Signer(role=RECEIVER, name=_name(actor)),
        components=_components(dossier),
        return_place=_return_place(dossier),
        fees=_fees(dossier),
    )


def _supplement(dossier: Dossier, event: DossierEvent, actor: User | None) -> SupplementRequestData:
    missing = [str(item) for item in event.data.get("missing", [])]
    note = str(event.data.get("note") or "")
    return SupplementRequestData(
        **_common(dossier, FormKind.SUPPLEMENT_REQUEST, event),  # type: ignore[arg-type]
        applicant=_applicant(dossier),
        items=tuple(ComponentLine(name) for name in missing),
        reason=note or "Hồ sơ chưa đầy đủ thành phần hoặc chưa đúng quy định.",
        guide=Signer(role="NGƯỜI HƯỚNG DẪN", name=_name(actor)),
        received_at=dossier.submitted_at,
        help_contact=_help_contact(dossier),
    )


def _refusal(dossier: Dossier, event: DossierEvent, actor: User | None) -> RefusalData:
    return RefusalData(
        **_common(dossier, FormKind.REFUSAL, event),  # type: ignore[arg-type]
        applicant=_applicant(dossier),
        reason=str(event.data.get("reason") or ""),
        receiver=Signer(role=RECEIVER, name=_name(actor)),
        received_at=dossier.submitted_at,
        help_contact=_help_contact(dossier),
    )


def _apology(dossier: Dossier, event: DossierEvent, actor: User | None) -> ApologyData:
    data = event.data
    return ApologyData(
        **_common(dossier, FormKind.APOLOGY, event),  # type: ignore[arg-type]
        recipient=_applicant(dossier),
        received_at=dossier.accepted_at or dossier.submitted_at or event.at,
        original_due_at=_instant(data.get("old_due_at")) or dossier.due_at_before_apology or event.at,
        new_due_at=_instant(data.get("new_due_at")) or dossier.due_at or event.at,
        reason=str(data.get("reason") or ""),
        signer=Signer(role=HEAD, hint=SEAL_HINT),
        lead_unit_name=dossier.handling_unit.name if dossier.handling_unit_id != dossier.receiving_unit_id else "",
        return_place=_return_place(dossier),
    )


def _stop_notice(dossier: Dossier, event: DossierEvent, actor: User | None) -> StopNoticeData:
    asked = dossier.supplement_requests.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    on_request = event.action == Action.WITHDRAW or asked is None
    return StopNoticeData(
        **_common(dossier, FormKind.STOP_NOTICE, event),  # type: ignore[arg-type]
        recipient=_applicant(dossier),
        received_at=dossier.accepted_at or dossier.submitted_at or event.at,
        stopped_at=event.at,
        reason=StopReason.APPLICANT_REQUEST if on_request else StopReason.SUPPLEMENT_NOT_RECEIVED,
        signer=Signer(role=HEAD, hint=SEAL_HINT),
        requested_at=event.at if on_request else None,
        supplement_requested_at=None if on_request or asked is None else asked.requested_at,
        detail=str(event.data.get("reason") or ""),
    )


def _control_slip(dossier: Dossier, event: DossierEvent, actor: User | None) -> ControlSlipData:
    steps = list(dossier.steps.select_related("unit", "assignee", "finished_by").order_by("started_at", "pk"))
    return ControlSlipData(
        **_common(dossier, FormKind.CONTROL_SLIP, event),  # type: ignore[arg-type]
        applicant=_applicant(dossier),
        received_at=dossier.accepted_at or dossier.submitted_at or event.at,
        due_at=dossier.due_at or event.at,
        processing_time=processing_time_text(dossier.procedure_version),
        steps=tuple(_handovers(steps)),
        lead_unit_name=dossier.handling_unit.name,
        components=_components(dossier),
    )


def _handovers(steps: list[DossierStep]) -> list[ControlStep]:
    """Each finished step hands the dossier to the next one; the last hand-overs carry the result back."""
    handovers = []
    for done, following in pairwise(steps):
        phase = StepPhase.RESULT if following.kind == StepKind.RETURN else StepPhase.HANDOVER
        handovers.append(
            ControlStep(
                phase,
                from_unit=done.unit.name,
                to_unit=following.unit.name,
                from_officer=_name(done.finished_by or done.assignee),
                to_officer=_name(following.assignee),
                handed_over_at=done.finished_at,
                outcome=_timeliness(done),
                sender_signed=done.finished_at is not None,
            )
        )
    return handovers


def _timeliness(step: DossierStep) -> Timeliness | None:
    if step.finished_at is None or step.due_at is None:
        return None
    return Timeliness.ON_TIME if step.finished_at <= step.due_at else Timeliness.LATE


def _instant(value: object) -> datetime | None:
    """An instant stored in event data (ISO text once normalized for the hash chain)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.VIETNAM)
    return None


BUILDERS: Final[dict[FormKind, Callable[[Dossier, DossierEvent, User | None], FormData]]] = {
    FormKind.RECEIPT: _receipt,
    FormKind.SUPPLEMENT_REQUEST: _supplement,
    FormKind.REFUSAL: _refusal,
    FormKind.APOLOGY: _apology,
    FormKind.STOP_NOTICE: _stop_notice,
    FormKind.CONTROL_SLIP: _control_slip,
}
