"""Reads from the procedure catalog: search, one procedure's current version, records for export."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext as _

from motcua.catalog.laythutuc import (
    KNOWN_KEYS,
    Channel,
    Document,
    DocumentGroup,
    FeeLine,
    Named,
    ProcedureRecord,
    TimeRow,
)
from motcua.catalog.models import Component, Fee, Field, Procedure, ProcedureVersion, ResultType
from motcua.core.errors import NotFound
from motcua.core.text import fold

PUBLISHED = ProcedureVersion.Status.PUBLISHED


@dataclass(frozen=True)
class SearchPage:
    """One page of search results with the total count."""

    items: list[Procedure]
    count: int
    page: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def procedure_search(
    *,
    q: str = "",
    field: str | None = None,
    level: str | None = None,
    unit: str | None = None,
    online_level: str | None = None,
) -> QuerySet[Procedure]:
    """Procedures with a published current version matching every word of `q`, ignoring case and diacritics.

    Each folded word must occur in the folded search text (name, code, field name), so "dang ky khai
    sinh" finds "Thủ tục đăng ký khai sinh". An exact code ranks first, then names starting with the query.
    """
    procedures = Procedure.objects.filter(current_version__status=PUBLISHED).select_related(
        "current_version", "current_version__field"
    )
    folded = fold(q)
    for word in folded.split():
        # `contains` is LIKE '%word%': the pg_trgm GIN index serves it on PostgreSQL (migration 0003).
        procedures = procedures.filter(current_version__search_text__contains=word)
    if field:
        procedures = procedures.filter(current_version__field__code=field)
    if level:
        procedures = procedures.filter(current_version__level_codes__contains=f"|{level}|")
    if unit:
        procedures = procedures.filter(offerings__unit__code=unit)
    if online_level:
        procedures = procedures.filter(current_version__online_level=online_level)
    return procedures.annotate(rank=_rank(code=q.strip(), folded=folded)).order_by(
        "rank", "current_version__search_text", "code"
    )


def _rank(*, code: str, folded: str) -> Case:
    if not folded:
        return Case(default=Value(2), output_field=IntegerField())
    return Case(
        When(code=code, then=Value(0)),
        When(current_version__search_text__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def procedure_search_page(
    *,
    q: str = "",
    field: str | None = None,
    level: str | None = None,
    unit: str | None = None,
    online_level: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """One page of `procedure_search`; a page past the end is empty, not an error."""
    procedures = procedure_search(q=q, field=field, level=level, unit=unit, online_level=online_level)
    count = procedures.count()
    start = (max(page, 1) - 1) * per_page
    items = list(procedures[start : start + per_page]) if start < count else []
    return SearchPage(items=items, count=count, page=max(page, 1), per_page=per_page)


def procedure_version_get(*, code: str, number: int | None = None) -> ProcedureVersion:
    """A procedure's current published version (or version `number`) with components, fees and results."""
    versions = ProcedureVersion.objects.select_related("procedure", "field").prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("order")),
        Prefetch("fees", queryset=Fee.objects.order_by("order")),
        Prefetch("result_types", queryset=ResultType.objects.order_by("order")),
    )
    if number is None:
        versions = versions.filter(procedure__current_version=F("pk"), status=PUBLISHED)
    else:
        versions = versions.filter(number=number)
    version = versions.filter(procedure__code=code).first()
    if version is None:
        raise NotFound(_("No procedure with code %(code)s.") % {"code": code}, code="procedure_not_found")
    return version


def field_list() -> QuerySet[Field]:
    """Fields that have at least one published procedure, for search filters."""
    return Field.objects.filter(versions__status=PUBLISHED).distinct().order_by("name")


def procedure_records(*, codes: list[str] | None = None) -> list[ProcedureRecord]:
    """The current versions as LayThuTuc records, ordered by code, for export."""
    versions = (
        ProcedureVersion.objects.filter(procedure__current_version=F("pk"))
        .select_related("procedure", "field")
        .prefetch_related("components", "fees", "result_types")
        .order_by("procedure__code")
    )
    if codes is not None:
        versions = versions.filter(procedure__code__in=codes)
    return [procedure_version_record(version=v) for v in versions]


def procedure_version_record(*, version: ProcedureVersion) -> ProcedureRecord:
    """A stored version back as the record it was made from (its canonical form; see `laythutuc`)."""
    field = version.field
    return ProcedureRecord(
        code=version.procedure.code,
        name=version.name,
        field_name=field.name if field else "",
        field_code=field.code if field and not field.is_local else "",
        levels=tuple(version.levels),
        bodies=tuple(Named(name=b.get("name", ""), code=b.get("code", "")) for b in version.competent_bodies),
        channels=_channels(version),
        groups=_groups(version),
        results=tuple(
            Named(name=r.name, code="" if r.is_local_code else r.code)
            for r in sorted(version.result_types.all(), key=lambda r: r.order)
        ),
        legal_basis=tuple(Named(name=d.get("name", ""), code=d.get("number", "")) for d in version.legal_basis),
        requirements=version.requirements,
        subjects=version.subjects,
        extra={k: v for k, v in (version.source or {}).items() if k not in KNOWN_KEYS},
        raw=version.source or {},
    )


def _channels(version: ProcedureVersion) -> tuple[Channel, ...]:
    fees: dict[int, list[FeeLine]] = defaultdict(list)
    for fee in sorted(version.fees.all(), key=lambda f: f.order):
        fees[fee.time_row].append(
            FeeLine(amount=fee.amount, currency=fee.currency, description=fee.description, code=fee.code, name=fee.name)
        )
    return tuple(
        Channel(kind=channel["channel"], times=tuple(_time_row(t, fees[t["row"]]) for t in channel["times"]))
        for channel in version.channels
    )


def _time_row(stored: dict[str, Any], fees: list[FeeLine]) -> TimeRow:
    value = stored.get("value")
    return TimeRow(
        value=None if value is None else Decimal(str(value)),
        unit_text=stored.get("unit_text", ""),
        description=stored.get("description", ""),
        fees=tuple(fees),
    )


def _groups(version: ProcedureVersion) -> tuple[DocumentGroup, ...]:
    groups: list[DocumentGroup] = []
    for component in sorted(version.components.all(), key=lambda c: c.order):
        doc = Document(
            name=component.name,
            originals=component.originals,
            copies=component.copies,
            code=component.national_code,
            template_name=component.form_template_name,
            template_url=component.form_template_url,
        )
        # Consecutive documents with one case label form one THANHPHANHOSO group.
        if groups and groups[-1].case == component.case:
            groups[-1] = DocumentGroup(component.case, (*groups[-1].documents, doc))
        else:
            groups.append(DocumentGroup(component.case, (doc,)))
    return tuple(groups)
