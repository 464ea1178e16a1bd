"""What the catalog derives from a LayThuTuc record: time units, flags, level and field codes (pure).

The national record carries text where MotCua needs values: "Ngày làm việc" is a unit of the
due-date arithmetic, "Ngay sau khi nhận đủ giấy tờ" means an immediate result (Decree 61/2018
Art. 17.4: no receipt needed). The rules here are deliberately conservative: when the text is
not clearly one thing, the value stays blank and the text is kept for a person to read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.laythutuc import Channel, ProcedureRecord, TimeRow
from motcua.core.text import fold

# Values of motcua.catalog.models.TimeUnit / OnlineLevel / Level / FeeKind (pure: no model import).
WORKING_DAYS, WORKING_HOURS, DAYS = "working_days", "working_hours", "days"
_UNITS = {
    "ngay lam viec": WORKING_DAYS,
    "gio lam viec": WORKING_HOURS,
    "gio": WORKING_HOURS,
    "ngay": DAYS,
    "ngay le": DAYS,
}
_LEVELS = {"cap bo": "ministry", "cap tinh": "province", "cap huyen": "district", "cap xa": "commune"}
# "ngay" without a tone mark means "immediately"; "ngày" (day) has one, so the text is matched unfolded.
# Only a time text that *opens* with "Ngay sau khi …" / "Ngay trong ngày …" counts: "Tiếp nhận ngay khi …"
# (2.001159) is about reception, not the result.
_IMMEDIATE = re.compile(r"^\W*ngay\s+(?:sau\s+khi|trong\s+ngày)(?!\w)|trả\s+kết\s+quả\s+ngay(?!\w)", re.IGNORECASE)
_AFTER_15H = re.compile(r"\bsau 15 gio\b")
_DECISION = re.compile(r"quyết định công bố[^:\n]*:\s*(\S+)", re.IGNORECASE)
_DIRECT, _ONLINE, _POSTAL = 1, 2, 3
FIELD_CODE_MAX = 40


@dataclass(frozen=True)
class Derived:
    """The values a procedure version stores beside the record's own content."""

    processing_time: Decimal | None
    processing_time_unit: str
    online_processing_time: Decimal | None
    online_processing_time_unit: str
    time_description: str
    online_level: str
    postal_allowed: bool
    immediate_result: bool
    next_day_after_15h: bool
    level_codes: str
    decision_number: str


def time_unit(text: str) -> str:
    """The TimeUnit for the portal's DONVITINH word, or "" when it is missing or not understood."""
    return _UNITS.get(fold(text), "")


def level_code(text: str) -> str:
    """The Level for a CAPTHUCHIEN text ("Cấp xã" → commune); anything else is "other"."""
    return _LEVELS.get(fold(text), "other")


def level_codes(levels: tuple[str, ...]) -> str:
    """Level codes as "|commune|province|", so one LIKE filters by level on any database."""
    codes = sorted({level_code(text) for text in levels})
    return f"|{'|'.join(codes)}|" if codes else ""


def local_field_code(name: str) -> str:
    """A stable code for a field the source gave no MALINHVUC for: "Hộ tịch" → "LOCAL-HO-TICH"."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-").upper()
    code = f"LOCAL-{slug}"
    if len(code) <= FIELD_CODE_MAX:
        return code
    # Too long for the column: keep whole words and add a digest so two long names never collide.
    digest = hashlib.sha256(slug.encode()).hexdigest()[:6].upper()
    head = code[: FIELD_CODE_MAX - len(digest) - 1]
    return f"{head.rsplit('-', 1)[0]}-{digest}"


def fee_kind(description: str, name: str = "") -> str:
    """phí or lệ phí from the fee's own words; lệ phí (a state charge) when the text does not say."""
    words = fold(f"{name} {description}")
    if "le phi" in words:
        return "le_phi"
    return "phi" if re.search(r"\bphi\b", words) else "le_phi"


def document_required(name: str) -> bool:
    """False for documents the text itself makes conditional ("Trường hợp …", "(nếu có)")."""
    words = fold(name)
    return not (words.startswith("truong hop") or "(neu co)" in words)


def is_immediate(row: TimeRow | None) -> bool:
    """True when the primary time text says the result is given at once ("Ngay sau khi nhận đủ giấy tờ")."""
    if row is None or (row.value is not None and row.value > 1):
        return False
    return bool(_IMMEDIATE.search(unicodedata.normalize("NFC", row.description)))


def derive(record: ProcedureRecord) -> Derived:
    """Processing times, online level and flags of a record (see the module docstring for the caution)."""
    primary = _primary_row(_channel(record, _DIRECT) or (record.channels[0] if record.channels else None))
    online = _primary_row(_channel(record, _ONLINE))
    kinds = {c.kind for c in record.channels}
    return Derived(
        processing_time=primary.value if primary else None,
        processing_time_unit=time_unit(primary.unit_text) if primary else "",
        online_processing_time=online.value if online else None,
        online_processing_time_unit=time_unit(online.unit_text) if online else "",
        time_description=_time_description(record),
        # The feed does not say "toàn trình" or "một phần"; an online channel is at least partial.
        online_level="partial" if _ONLINE in kinds else "none",
        postal_allowed=_POSTAL in kinds,
        immediate_result=is_immediate(primary),
        next_day_after_15h=fold(record.field_name) == "chung thuc"
        or bool(primary and _AFTER_15H.search(fold(primary.description))),
        level_codes=level_codes(record.levels),
        decision_number=decision_number(record),
    )


def decision_number(record: ProcedureRecord) -> str:
    """The publishing decision (e.g. 163/QĐ-BTP) when a source note names it, else ""."""
    sources = record.extra.get("NGUON")
    for source in sources if isinstance(sources, list) else []:
        note = source.get("GHICHU") if isinstance(source, dict) else None
        if not isinstance(note, str):
            continue
        match = _DECISION.search(unicodedata.normalize("NFC", note))
        if match:
            return match.group(1).rstrip(".,;")[:100]
    return ""


def _channel(record: ProcedureRecord, kind: int) -> Channel | None:
    return next((c for c in record.channels if c.kind == kind), None)


def _primary_row(channel: Channel | None) -> TimeRow | None:
    if channel is None or not channel.times:
        return None
    return next((row for row in channel.times if row.value is not None), channel.times[0])


def _time_description(record: ProcedureRecord) -> str:
    seen: list[str] = []
    for channel in record.channels:
        for row in channel.times:
            if row.description and row.description not in seen:
                seen.append(row.description)
    return "\n".join(seen)


def search_text(*, name: str, code: str, field_name: str = "") -> str:
    """The folded text a procedure is searched by (SPEC §5.1): name, national code and field name."""
    return fold(" ".join(part for part in (name, code, field_name) if part))


# Group headings of the national catalog that apply to every applicant ("Hồ sơ", "Giấy tờ phải nộp").
_GENERIC_CASES = ("ho so", "giay to phai nop", "giay to phai xuat trinh", "nguoi yeu cau")
# Headings that make a group apply only in a situation ("Trường hợp ủy quyền…", "a) Đối với trường hợp…").
_CONDITIONAL_CASE = re.compile(r"^(?:[a-zđ]\)\s*|\(\d+(?:\.\d+)*\)\s*)?(?:truong hop|doi voi)\b")


def unconditional_cases(cases: list[str]) -> set[str]:
    """The component groups (TRUONGHOP) whose required documents every applicant must bring.

    A generic heading always applies; a "Trường hợp …" / "Đối với …" group only in its situation;
    other named groups are alternatives of one another (residence registration variants) unless
    the procedure has just one of them, which then applies to everyone.
    """
    always = {case for case in cases if not case or fold(case).startswith(_GENERIC_CASES)}
    named = {case for case in cases if case not in always and not _CONDITIONAL_CASE.match(fold(case))}
    if len(named) == 1:
        always |= named
    return always


# A paper the text ties to a situation in its first sentence: "Văn bản ủy quyền … trong trường hợp ủy
# quyền …", "… đối với trường hợp đăng ký giám hộ đương nhiên". Alternatives that follow a required
# paper ("Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì …") say neither, and stay required.
_SITUATION = re.compile(r"\b(?:trong|doi voi) truong hop\b")
# A paper asked only of paper filings: "Tờ khai … (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức
# trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)": online, the declaration is the filing itself.
_PAPER_FILINGS_ONLY = re.compile(r"\(neu [^)]*(?:truc tiep|buu chinh)")


def document_situational(name: str) -> bool:
    """True for a paper its own text asks for only in a situation the applicant may not be in."""
    words = fold(name)
    first = words.split(". ", 1)[0]
    return not document_required(name) or bool(_SITUATION.search(first))


def document_for_paper_filings_only(name: str) -> bool:
    """True for a paper the text asks of counter and postal filings only (a declaration online is the form)."""
    return bool(_PAPER_FILINGS_ONLY.search(fold(name)))


def components_always_required(components: list, *, channel: int | None = None) -> list:
    """The required components of a version that every applicant filing by `channel` must bring.

    Not those of a situational group ("Trường hợp …"), nor a paper whose own text names its situation
    (`document_situational`), nor, online, a paper asked of paper filings only. The officer still sees
    them all and can ask for one in a supplement request. `channel` None: as a paper filing.
    """
    always = unconditional_cases([c.case for c in components])
    online = channel == _ONLINE  # the national KenhThucHien numbers, as dossiers.models.Channel
    return [
        c
        for c in components
        if c.required
        and c.case in always
        and not document_situational(c.name)
        and not (online and document_for_paper_filings_only(c.name))
    ]


def steps_text(value: object) -> str:
    """The procedure's steps (LayThuTuc `TRINHTUTHUCHIEN`, a list of cases with their text) as plain text.

    766 metric 1.3 needs to know the steps were published; the national shape nests them as
    `[{"TRUONGHOP": ..., "TRINHTU": [{"TENTRINHTU": ...}]}]`, so every string inside is kept, in order.
    """
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return "\n".join(text for text in (steps_text(item) for item in value.values()) if text)
    if isinstance(value, list):
        return "\n".join(text for text in (steps_text(item) for item in value) if text)
    return ""
