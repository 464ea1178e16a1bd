"""Procedure catalog API (SPEC §8): search and one procedure's current version."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from motcua.catalog.models import Level, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_search_page, procedure_version_get

router = Router()


class FieldOut(Schema):
    code: str
    name: str
    is_local: bool


class ProcedureItemOut(Schema):
    code: str
    name: str
    field: FieldOut | None
    levels: list[str]
    processing_time: float | None
    processing_time_unit: str
    online_level: str
    immediate_result: bool
    postal_allowed: bool
    version: int


class ProcedureListOut(Schema):
    items: list[ProcedureItemOut]
    count: int
    page: int
    pages: int


class ComponentOut(Schema):
    code: str
    is_local_code: bool
    case: str
    name: str
    required: bool
    originals: int
    copies: int
    form_schema: dict[str, Any] | None
    form_template_name: str
    form_template_url: str


class FeeOut(Schema):
    code: str
    name: str
    kind: str
    amount: float
    currency: str
    channel: int | None
    description: str


class ResultOut(Schema):
    code: str
    is_local_code: bool
    name: str
    electronic_required: bool


class LegalDocOut(Schema):
    number: str
    name: str


class ProcedureOut(ProcedureItemOut):
    version_status: str
    decision_number: str
    effective_from: str | None
    online_processing_time: float | None
    online_processing_time_unit: str
    time_description: str
    channels: list[int]
    competent_bodies: list[str]
    non_geographic: bool
    inter_agency: bool
    next_day_after_15h: bool
    requirements: str
    subjects: str
    legal_basis: list[LegalDocOut]
    components: list[ComponentOut]
    fees: list[FeeOut]
    results: list[ResultOut]


class SearchQuery(Schema):
    q: str = Field("", max_length=200, description="words to find; case and diacritics are ignored")
    field: str | None = Field(None, max_length=40, description="field code")
    unit: str | None = Field(None, max_length=35, description="code of a unit offering the procedure")
    level: Level | None = None
    online_level: OnlineLevel | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("", response=ProcedureListOut, summary="Search procedures (diacritics-insensitive)")
def procedure_list(request: HttpRequest, filters: Query[SearchQuery]) -> dict[str, Any]:
    result = procedure_search_page(
        q=filters.q,
        field=filters.field,
        unit=filters.unit,
        level=filters.level,
        online_level=filters.online_level,
        page=filters.page,
        per_page=filters.page_size,
    )
    items = [_item(p.current_version, p) for p in result.items if p.current_version]
    return {"items": items, "count": result.count, "page": result.page, "pages": result.num_pages}


@router.get("/{code}", response=ProcedureOut, summary="One procedure's current version")
def procedure_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    version = procedure_version_get(code=code)
    return {**_item(version, version.procedure), **_detail(version)}


def _item(version: ProcedureVersion, procedure: Procedure) -> dict[str, Any]:
    return {
        "code": procedure.code,
        "name": version.name,
        "field": version.field,
        "levels": version.levels,
        "processing_time": version.processing_time,
        "processing_time_unit": version.processing_time_unit,
        "online_level": version.online_level,
        "immediate_result": version.immediate_result,
        "postal_allowed": version.postal_allowed,
        "version": version.number,
    }


def _detail(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "version_status": version.status,
        "decision_number": version.decision_number,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "online_processing_time": version.online_processing_time,
        "online_processing_time_unit": version.online_processing_time_unit,
        "time_description": version.time_description,
        "channels": [c["channel"] for c in version.channels],
        "competent_bodies": [b.get("name", "") for b in version.competent_bodies],
        "non_geographic": version.non_geographic,
        "inter_agency": version.inter_agency,
        "next_day_after_15h": version.next_day_after_15h,
        "requirements": version.requirements,
        "subjects": version.subjects,
        "legal_basis": version.legal_basis,
        "components": list(version.components.all()),
        "fees": list(version.fees.all()),
        "results": list(version.result_types.all()),
    }
