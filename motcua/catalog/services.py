"""Writes to the procedure catalog: importing LayThuTuc records into procedures and their versions.

A version is what a dossier pins, so a version's content is never changed after it is written:
new content makes a new version and the previous one is marked superseded (SPEC §3.2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from motcua.catalog import rules
from motcua.catalog.laythutuc import ProcedureRecord, content_hash, number_out, records_parse, records_unwrap
from motcua.catalog.models import Component, Fee, Field, Procedure, ProcedureVersion, ResultType
from motcua.core.text import fold

ProgressCallback = Callable[[int, int], None]
"""Called as progress(done, total) after each record is written."""


@dataclass(frozen=True)
class ImportSummary:
    """What one import did: procedures created, new versions of known ones, records already up to date."""

    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    changed_codes: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.created + self.new_versions + self.unchanged

    def __str__(self) -> str:
        return f"created: {self.created}, new versions: {self.new_versions}, unchanged: {self.unchanged}"


def procedure_import(
    *, records: Sequence[Any] | dict[str, Any], progress: ProgressCallback | None = None
) -> ImportSummary:
    """Import raw LayThuTuc records all-or-nothing: validate every one first, then write all in one transaction.

    `records` is a list of records, one record, or a national API answer such as {"data": [...]}.
    Raises `InvalidRecords` (naming record index and field) before anything is written.
    """
    parsed = records_parse(records_unwrap(records))
    return _records_write(records=parsed, progress=progress)


@transaction.atomic
def _records_write(*, records: list[ProcedureRecord], progress: ProgressCallback | None) -> ImportSummary:
    codes = [r.code for r in records]
    # Lock the known procedures so a concurrent import cannot give two versions the same number.
    existing = {p.code: p for p in Procedure.objects.select_for_update(of=("self",)).filter(code__in=codes)}
    current_hashes = dict(
        ProcedureVersion.objects.filter(procedure__code__in=codes, procedure__current_version=F("pk")).values_list(
            "procedure__code", "content_hash"
        )
    )
    counts = {"created": 0, "new_versions": 0, "unchanged": 0}
    changed: list[str] = []
    for done, record in enumerate(records, start=1):
        digest = content_hash(record)
        procedure = existing.get(record.code)
        if procedure is not None and current_hashes.get(record.code) == digest:
            counts["unchanged"] += 1
        else:
            counts["created" if procedure is None else "new_versions"] += 1
            procedure = procedure or Procedure.objects.create(code=record.code)
            procedure_version_create(procedure=procedure, record=record, digest=digest)
            changed.append(record.code)
        if progress:
            progress(done, len(records))
    return ImportSummary(**counts, changed_codes=tuple(changed))


@transaction.atomic
def procedure_version_create(*, procedure: Procedure, record: ProcedureRecord, digest: str = "") -> ProcedureVersion:
    """Write `record` as the procedure's next version, supersede the current one and make the new one current."""
    derived = rules.derive(record)
    field = field_ensure(name=record.field_name, code=record.field_code) if record.field_name else None
    number = (procedure.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=record.name,
        search_text=rules.search_text(name=record.name, code=record.code, field_name=field.name if field else ""),
        field=field,
        levels=list(record.levels),
        competent_bodies=[{"name": b.name, "code": b.code} for b in record.bodies],
        channels=_channels_json(record),
        requirements=record.requirements,
        subjects=record.subjects,
        legal_basis=[{"number": d.code, "name": d.name} for d in record.legal_basis],
        source=record.raw,
        steps=rules.steps_text(record.raw.get("TRINHTUTHUCHIEN")),
        content_hash=digest or content_hash(record),
        **_derived_fields(derived),
    )
    Component.objects.bulk_create(_components(version=version, procedure=procedure, record=record))
    Fee.objects.bulk_create(_fees(version=version, record=record))
    ResultType.objects.bulk_create(_results(version=version, record=record))
    ProcedureVersion.objects.filter(procedure=procedure).exclude(pk=version.pk).filter(
        status=ProcedureVersion.Status.PUBLISHED
    ).update(status=ProcedureVersion.Status.SUPERSEDED, updated_at=timezone.now())
    procedure.current_version = version
    procedure.save(update_fields=["current_version", "updated_at"])
    return version


def _derived_fields(derived: rules.Derived) -> dict[str, Any]:
    return {
        "processing_time": derived.processing_time,
        "processing_time_unit": derived.processing_time_unit,
        "online_processing_time": derived.online_processing_time,
        "online_processing_time_unit": derived.online_processing_time_unit,
        "time_description": derived.time_description,
        "online_level": derived.online_level,
        "postal_allowed": derived.postal_allowed,
        "immediate_result": derived.immediate_result,
        "next_day_after_15h": derived.next_day_after_15h,
        "level_codes": derived.level_codes,
        "decision_number": derived.decision_number,
    }


def _channels_json(record: ProcedureRecord) -> list[dict[str, Any]]:
    # `row` numbers every time row of the record; Fee.time_row points at it.
    out: list[dict[str, Any]] = []
    row = 0
    for channel in record.channels:
        times = []
        for time in channel.times:
            times.append(
                {
                    "row": row,
                    "value": number_out(time.value),
                    "unit": rules.time_unit(time.unit_text),
                    "unit_text": time.unit_text,
                    "description": time.description,
                }
            )
            row += 1
        out.append({"channel": channel.kind, "times": times})
    return out


def _fees(*, version: ProcedureVersion, record: ProcedureRecord) -> list[Fee]:
    fees: list[Fee] = []
    row = 0
    for channel in record.channels:
        for time in channel.times:
            for line in time.fees:
                fees.append(
                    Fee(
                        version=version,
                        code=line.code,
                        name=line.name,
                        amount=line.amount,
                        currency=line.currency,
                        kind=rules.fee_kind(line.description, line.name),
                        channel=channel.kind,
                        time_row=row,
                        description=line.description,
                        order=len(fees),
                    )
                )
            row += 1
    return fees


def _results(*, version: ProcedureVersion, record: ProcedureRecord) -> list[ResultType]:
    return [
        ResultType(
            version=version,
            code=result.code or f"{record.code}.KQ{n}",
            is_local_code=not result.code,
            name=result.name,
            order=n,
        )
        for n, result in enumerate(record.results, start=1)
    ]


def _components(*, version: ProcedureVersion, procedure: Procedure, record: ProcedureRecord) -> list[Component]:
    codes = _ComponentCodes(procedure)
    components: list[Component] = []
    for group in record.groups:
        for doc in group.documents:
            code, local = codes.assign(case=group.case, name=doc.name, national=doc.code)
            components.append(
                Component(
                    version=version,
                    code=code,
                    national_code=doc.code,
                    is_local_code=local,
                    case=group.case,
                    name=doc.name,
                    required=rules.document_required(doc.name),
                    originals=doc.originals,
                    copies=doc.copies,
                    form_template_name=doc.template_name,
                    form_template_url=doc.template_url,
                    order=len(components),
                )
            )
    return components


class _ComponentCodes:
    """Component codes for a new version: the national MAGIAYTO, else a local `<MATTHC>.TP<n>`.

    A document that an earlier version already had (same case and name) keeps its local code, so
    dossiers and integrations can refer to it across versions; new documents get the next number.
    """

    def __init__(self, procedure: Procedure) -> None:
        earlier = Component.objects.filter(version__procedure=procedure, is_local_code=True)
        self.known = {(fold(c.case), fold(c.name)): c.code for c in earlier}
        pattern = re.compile(rf"^{re.escape(procedure.code)}\.TP(\d+)$")
        numbers = [int(m.group(1)) for code in self.known.values() if (m := pattern.match(code))]
        self.next_number = max(numbers, default=0) + 1
        self.prefix = procedure.code
        self.taken: set[str] = set()

    def assign(self, *, case: str, name: str, national: str) -> tuple[str, bool]:
        if national and national not in self.taken:
            self.taken.add(national)
            return national, False
        code = self.known.get((fold(case), fold(name)))
        if code is None or code in self.taken:
            code = f"{self.prefix}.TP{self.next_number}"
            self.next_number += 1
        self.taken.add(code)
        return code, True


def field_ensure(*, name: str, code: str = "") -> Field:
    """The field by its national code, or by a local code derived from the name when the source has none."""
    local = not code
    code = code or rules.local_field_code(name)
    field, created = Field.objects.get_or_create(
        code=code, defaults={"name": name, "name_folded": fold(name), "is_local": local}
    )
    if not created and not local and field.name != name:
        # The national database renamed the field; procedures are searched by the field's name too.
        field.name, field.name_folded = name, fold(name)
        field.save(update_fields=["name", "name_folded"])
        _search_text_refresh(field=field)
    return field


def _search_text_refresh(*, field: Field) -> None:
    versions = list(ProcedureVersion.objects.filter(field=field).select_related("procedure"))
    for version in versions:
        version.search_text = rules.search_text(name=version.name, code=version.procedure.code, field_name=field.name)
    ProcedureVersion.objects.bulk_update(versions, ["search_text"])
