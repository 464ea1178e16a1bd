"""Every demo procedure, walked through every path of its lifecycle through the HTTP API.

The demo province and catalog are seeded once for the module (without the year of history) and
rolled back at its end; each test runs in its own transaction on top. Each test registers dossiers
with `POST /api/v1/dossiers` and moves them with `POST /api/v1/dossiers/{code}/actions/{action}`
as the user whose role the action needs, and checks statuses, due times, the event chain and that
moves the lifecycle or the roles forbid are refused without changing anything.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.tokens import api_token_create
from motcua.catalog.models import Offering, Procedure, ProcedureVersion
from motcua.core.clock import VIETNAM
from motcua.demo import province as demo
from motcua.demo.seed import catalog_file, seed_all
from motcua.dossiers import codes
from motcua.dossiers.factories import ID_NUMBER, staff
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.services.due import processing_due
from motcua.dossiers.services.verification import audit_verify
from motcua.organizations.models import Unit, UnitKind
from motcua.workcalendar.services import compute_due, working_hours_between
from motcua.workflow.models import ProcessDefinition, StepDefinition
from motcua.workflow.routing import StepKind, UnitRelation
from motcua.workflow.services import version_total_hours

# Tuesday 9 September 2025, 09:00 in the demo province: an ordinary working morning.
START = datetime(2025, 9, 9, 9, 0, tzinfo=VIETNAM)
CODES = sorted(record["MATTHC"] for record in json.loads(catalog_file().read_text(encoding="utf-8")))
CONSULTED = ("000.00.04.H99", "000.00.03.H99")  # Sở Tư pháp, or Sở Nội vụ when Tư pháp handles it


@pytest.fixture(scope="module")
def province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo province, catalog, offerings and staff for every unit that receives or handles."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        seed_all(lambda _text: None, history=False)
        center = Unit.objects.get(code=demo.SERVICE_CENTER)
        staff(center, Role.COUNTER_OFFICER, counter=center.counters.first(), username="t-counter-01")
        for spec in demo.UNITS:
            if spec.kind == UnitKind.DEPARTMENT:
                unit = Unit.objects.get(code=spec.code)
                staff(unit, Role.SPECIALIST, username=f"t-specialist-{spec.code[7:9]}")
                staff(unit, Role.UNIT_LEADER, username=f"t-leader-{spec.code[7:9]}")
        yield
        transaction.set_rollback(True)


@dataclass
class Case:
    """One procedure: where it is received and handled, and who acts there."""

    procedure: Procedure
    version: ProcedureVersion
    receiving: Unit
    handling: Unit
    officer: User
    specialist: User
    leader: User
    citizen: User
    outsider: User  # the counter officer of another commune
    consultee: User  # a specialist of the consulted department
    consulted: Unit

    @property
    def online(self) -> bool:
        return self.version.online_level != "none"


def case_for(code: str) -> Case:
    procedure = Procedure.objects.select_related("current_version").get(code=code)
    version = procedure.current_version
    assert version is not None
    offered = Offering.objects.filter(procedure=procedure).select_related("unit")
    if offered.filter(unit__code=demo.DEMO_COMMUNE, receives=True, handles=True).exists():
        receiving = handling = Unit.objects.get(code=demo.DEMO_COMMUNE)
        officer, specialist, leader = (
            User.objects.get(username=f"demo-{r}") for r in ("counter", "specialist", "leader")
        )
    else:
        receiving = Unit.objects.get(code=demo.SERVICE_CENTER)
        handling = offered.get(handles=True).unit
        officer = User.objects.get(username="t-counter-01")
        specialist = User.objects.get(username=f"t-specialist-{handling.code[7:9]}")
        leader = User.objects.get(username=f"t-leader-{handling.code[7:9]}")
    consulted = Unit.objects.get(code=next(c for c in CONSULTED if c != handling.code))
    return Case(
        procedure=procedure,
        version=version,
        receiving=receiving,
        handling=handling,
        officer=officer,
        specialist=specialist,
        leader=leader,
        citizen=User.objects.get(username="demo-citizen"),
        outsider=User.objects.get(username="canbo01"),
        consultee=User.objects.get(username=f"t-specialist-{consulted.code[7:9]}"),
        consulted=consulted,
    )


def _json(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


class Api:
    """The API as each user sees it (one bearer token per user)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.tokens: dict[int, str] = {}

    def _auth(self, user: User) -> dict[str, str]:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = api_token_create(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}

    def get(self, user: User, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self._auth(user))

    def post(self, user: User, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {}, default=_json)
        return self.client.post(f"/api/v1{path}", data=data, content_type="application/json", **self._auth(user))

    def act(self, user: User, code: str, action: str, **body: Any) -> Any:
        return self.post(user, f"/dossiers/{code}/actions/{action}", body)

    def detail(self, user: User, code: str) -> dict[str, Any]:
        response = self.get(user, f"/dossiers/{code}")
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def api(client: Any, province: None, db: Any) -> Iterator[Api]:
    with time_machine.travel(START, tick=False):
        yield Api(client)


def body(case: Case, channel: str) -> dict[str, Any]:
    return {
        "procedure": case.procedure.code,
        "channel": channel,
        "receiving_unit": case.receiving.code,
        "handling_unit": case.handling.code,
        "applicant": {
            "kind": "person",
            "full_name": "Đỗ Thị Mai",
            "id_number": ID_NUMBER,
            "date_of_birth": "1990-05-17",
            "address": "Số 12 đường Lê Lợi, phường Hòa Bình",
            "email": "mai.do@example.vn",
        },
        "components": [
            {"code": c.code, "originals": 1, "files": [f"file-{c.code}"]} for c in case.version.components.all()
        ],
    }


def iso(instant: datetime | None) -> str | None:
    return instant.astimezone(VIETNAM).isoformat() if instant else None


def parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def expected_due(case: Case, channel: int, start: datetime) -> str | None:
    return iso(processing_due(version=case.version, channel=channel, start=start).due_at)


def register(api: Api, case: Case, user: User, channel: str) -> dict[str, Any]:
    response = api.post(user, "/dossiers", body(case, channel))
    assert response.status_code == 201, response.content
    created = response.json()
    parsed = codes.parse_code(created["code"])
    assert parsed is not None
    assert parsed.day == START.date()
    return created


def ok(response: Any, status: str) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    return response.json()


def refused(api: Api, user: User, code: str, action: str, http: int, **params: Any) -> None:
    """The move is refused with `http` and leaves the dossier, its events and its steps as they were."""
    dossier = Dossier.objects.get(code=code)
    before = (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        DossierEvent.objects.filter(dossier=dossier).count(),
        list(DossierStep.objects.filter(dossier=dossier).values().order_by("pk")),
    )
    response = api.act(user, code, action, **params)
    assert response.status_code == http, (action, response.content)
    assert response.json()["error"]["message"]
    after = (
        Dossier.objects.filter(pk=dossier.pk).values().get(),
        DossierEvent.objects.filter(dossier=dossier).count(),
        list(DossierStep.objects.filter(dossier=dossier).values().order_by("pk")),
    )
    assert after == before


def events(api: Api, user: User, code: str) -> list[str]:
    """The actions of the dossier's events, after checking the hash chain is intact."""
    checked, broken = audit_verify(dossiers=[Dossier.objects.get(code=code)])
    assert (checked, broken) == (1, None)
    items = api.get(user, f"/dossiers/{code}/events").json()["items"]
    assert [e["sequence"] for e in items] == list(range(1, len(items) + 1))
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in itertools.pairwise(items))
    return [e["action"] for e in items]


def open_step(api: Api, user: User, code: str) -> dict[str, Any] | None:
    steps = [s for s in api.detail(user, code)["steps"] if s["finished_at"] is None]
    assert len(steps) <= 1
    return steps[0] if steps else None


@pytest.mark.parametrize("code", CODES)
def test_counter_intake_consult_payment_apology_approve_return(api: Api, code: str) -> None:
    case = case_for(code)
    created = register(api, case, case.officer, "direct")
    number, due = created["code"], created["due_at"]
    assert created["status"] == "processing"
    assert due == expected_due(case, 1, START)
    # Others do not see it; staff without the role may not act; the lifecycle refuses what does not fit.
    assert api.get(case.citizen, f"/dossiers/{number}").status_code == 404
    assert api.act(case.outsider, number, "stop", reason="x").status_code == 404
    refused(api, case.specialist, number, "accept", 403)
    refused(api, case.officer, number, "resolve", 403, outcome="approved")
    refused(api, case.officer, number, "accept", 409)
    refused(api, case.officer, number, "submit_supplement", 409)
    allowed = api.detail(case.specialist, number)["allowed_actions"]
    assert {"forward", "consult", "request_supplement", "request_payment"} <= set(allowed)
    assert "accept" not in allowed
    assert "answer_consult" not in allowed
    assert "send_back" not in allowed  # appraisal is the first processing step

    # Consult another agency, which answers once.
    refused(api, case.specialist, number, "consult", 400, units=[case.consulted.code], question="Ý kiến?")
    asked = api.act(
        case.specialist,
        number,
        "consult",
        units=[case.consulted.code],
        question="Ý kiến?",
        due_at=START + timedelta(days=2),
    )
    ok(asked, "processing")
    assert "answer_consult" in api.detail(case.consultee, number)["allowed_actions"]
    ok(api.act(case.consultee, number, "answer_consult", answer="Đồng ý"), "processing")
    refused(api, case.consultee, number, "answer_consult", 409, answer="Lần nữa")
    assert "answer_consult" not in api.detail(case.consultee, number)["allowed_actions"]

    # A financial obligation pauses the clock; paid two days later, it resumes with what was left.
    ok(api.act(case.specialist, number, "request_payment", amount="10000", note="Lệ phí"), "awaiting_payment")
    refused(api, case.leader, number, "resolve", 409, outcome="approved")
    left = working_hours_between(start=START, end=parse(due)) if due else None
    with time_machine.travel(START + timedelta(days=2), tick=False):
        resumed = ok(api.act(case.officer, number, "confirm_payment", method="cash"), "processing")
        paid_at = START + timedelta(days=2)
        if left:
            assert resumed["due_at"] == iso(compute_due(start=paid_at, amount=left, unit="working_hours").due_at)
            assert parse(resumed["due_at"]) > parse(due)
        else:
            assert resumed["due_at"] == due
        due = resumed["due_at"]

        # Forward to the leader's step, then apologize (allowed only a working day ahead) and approve.
        ok(api.act(case.specialist, number, "forward", comment="Đủ điều kiện"), "processing")
        step = open_step(api, case.leader, number)
        assert step is not None
        assert step["role"] == "unit_leader"
        assert step["unit"] == case.handling.code
        refused(api, case.specialist, number, "forward", 403)
        allowed = api.detail(case.leader, number)["allowed_actions"]
        assert {"send_back", "resolve", "stop"} <= set(allowed)
        assert "forward" not in allowed  # the last processing step: only resolving moves on
        new_due = parse(due) + timedelta(days=3) if due else paid_at + timedelta(days=3)
        apology = api.act(case.leader, number, "apologize", reason="Cần xác minh thêm", new_due_at=new_due.isoformat())
        if due and working_hours_between(start=paid_at, end=parse(due)) >= 8:
            assert ok(apology, "processing")["due_at"] == iso(new_due)
            refused(
                api, case.leader, number, "apologize", 409, reason="Lần hai", new_due_at=new_due + timedelta(days=1)
            )
            detail = api.detail(case.leader, number)
            assert detail["due_at_before_apology"] == due
            assert "apologize" not in detail["allowed_actions"]  # once per dossier
        else:
            assert apology.status_code == 409
        refused(api, case.leader, number, "resolve", 400, outcome="maybe")
        resolved = ok(api.act(case.leader, number, "resolve", outcome="approved", note="Cấp"), "resolved")
        assert resolved["outcome"] == "approved"
        refused(api, case.leader, number, "return_result", 403)
        ok(api.act(case.officer, number, "return_result", receiver_name="Đỗ Thị Mai"), "returned")
        refused(api, case.officer, number, "stop", 409, reason="Quá muộn")
        assert api.detail(case.officer, number)["allowed_actions"] == []

    apologized = ["apologize"] if "apologize" in events(api, case.officer, number) else []
    assert events(api, case.officer, number) == [
        "submit",
        "accept",
        "consult",
        "answer_consult",
        "request_payment",
        "confirm_payment",
        "forward",
        *apologized,
        "resolve",
        "return_result",
    ]


@pytest.mark.parametrize("code", CODES)
def test_supplement_restarts_the_clock_then_denial(api: Api, code: str) -> None:
    case = case_for(code)
    if case.online:
        created = register(api, case, case.citizen, "online")
        number = created["code"]
        assert (created["status"], created["due_at"]) == ("submitted", None)
        refused(api, case.citizen, number, "accept", 403)
        accepted = ok(api.act(case.officer, number, "accept"), "processing")
        assert accepted["due_at"] == expected_due(case, 2, START)
        applicant, channel = case.citizen, 2
    else:
        response = api.post(case.citizen, "/dossiers", body(case, "online"))
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "channel"
        assert not Dossier.objects.filter(procedure=case.procedure).exists()
        number = register(api, case, case.officer, "direct")["code"]
        applicant, channel = case.officer, 1  # the counter records the paper supplement
    due_before = api.detail(case.officer, number)["due_at"]

    refused(api, case.specialist, number, "request_supplement", 400, missing=[])
    ok(api.act(case.specialist, number, "request_supplement", missing=["Bản sao giấy tờ"]), "awaiting_supplement")
    refused(api, case.leader, number, "resolve", 409, outcome="approved")
    refused(api, case.specialist, number, "forward", 409)
    later = START + timedelta(days=6)  # the following Monday
    with time_machine.travel(later, tick=False):
        restarted = ok(api.act(applicant, number, "submit_supplement", note="Đã bổ sung"), "processing")
        assert restarted["due_at"] == expected_due(case, channel, later)
        if due_before:
            assert parse(restarted["due_at"]) > parse(due_before)
        detail = api.detail(case.officer, number)
        assert detail["supplement_count"] == 1
        assert detail["clock_paused_at"] is None
        ok(api.act(case.specialist, number, "forward"), "processing")
        refused(api, case.leader, number, "resolve", 400, outcome="denied", reason=" ")
        denied = ok(api.act(case.leader, number, "resolve", outcome="denied", reason="Không đủ điều kiện"), "resolved")
        assert denied["outcome"] == "denied"
        ok(api.act(case.officer, number, "return_result"), "returned")
    assert events(api, case.officer, number)[-6:] == [
        "accept",
        "request_supplement",
        "submit_supplement",
        "forward",
        "resolve",
        "return_result",
    ]


@pytest.mark.parametrize("code", CODES)
def test_refuse_withdraw_and_stop(api: Api, code: str) -> None:
    case = case_for(code)
    # Refused at reception (only a dossier waiting for acceptance can be refused).
    if case.online:
        number = register(api, case, case.citizen, "online")["code"]
        refused(api, case.officer, number, "refuse", 400, reason="")
        refused(api, case.specialist, number, "refuse", 403, reason="Thiếu")
        ok(api.act(case.officer, number, "refuse", reason="Không thuộc thẩm quyền"), "refused")
        refused(api, case.officer, number, "accept", 409)
        assert events(api, case.officer, number) == ["submit", "refuse"]
    counter = register(api, case, case.officer, "direct")["code"]
    refused(api, case.officer, counter, "refuse", 409, reason="Đã tiếp nhận")

    # Withdrawn at the applicant's request: online by the applicant, on paper through the counter.
    if case.online:
        online = register(api, case, case.citizen, "online")["code"]
        ok(api.act(case.officer, online, "accept"), "processing")
        ok(api.act(case.citizen, online, "withdraw", reason="Không còn nhu cầu"), "withdrawn")
        assert events(api, case.citizen, online) == ["submit", "accept", "withdraw"]
    refused(api, case.specialist, counter, "withdraw", 403, reason="x")
    ok(api.act(case.officer, counter, "withdraw", reason="Công dân xin rút"), "withdrawn")
    refused(api, case.officer, counter, "stop", 409, reason="x")

    # Stopped by the competent unit's leader, with a reason.
    stopped = register(api, case, case.officer, "direct")["code"]
    refused(api, case.leader, stopped, "stop", 400, reason="")
    refused(api, case.specialist, stopped, "stop", 403, reason="x")
    ok(api.act(case.leader, stopped, "stop", reason="Công dân đề nghị dừng"), "stopped")
    refused(api, case.leader, stopped, "resolve", 409, outcome="approved")
    assert open_step(api, case.leader, stopped) is None
    assert events(api, case.leader, stopped) == ["submit", "accept", "stop"]


def _inter_agency_definition(case: Case, partner: Unit) -> ProcessDefinition:
    """Appraisal at the competent unit, then the partner agency's own step, then approval."""
    total = version_total_hours(case.version) or Decimal(8)
    partner_hours = (total / 4).quantize(Decimal("0.01"))
    definition = ProcessDefinition.objects.create(procedure=case.procedure, unit=case.handling, version=9)
    steps = [
        (StepKind.RECEPTION, "Tiếp nhận", Role.COUNTER_OFFICER, UnitRelation.RECEIVING, None, Decimal(0)),
        (StepKind.PROCESSING, "Thẩm định", Role.SPECIALIST, UnitRelation.HANDLING, None, total / 2),
        (StepKind.PROCESSING, "Xử lý liên thông", Role.SPECIALIST, UnitRelation.ABSOLUTE, partner, partner_hours),
        (StepKind.PROCESSING, "Phê duyệt", Role.UNIT_LEADER, UnitRelation.HANDLING, None, Decimal(1)),
        (StepKind.RETURN, "Trả kết quả", Role.COUNTER_OFFICER, UnitRelation.RECEIVING, None, Decimal(0)),
    ]
    for order, (kind, name, role, relation, unit, hours) in enumerate(steps, start=1):
        StepDefinition.objects.create(
            definition=definition,
            order=order,
            name=name,
            kind=kind,
            role=role,
            unit_relation=relation,
            unit=unit,
            allotted_hours=hours,
        )
    return definition


@pytest.mark.parametrize("code", CODES)
def test_inter_agency_sequence_with_the_partner_agencys_own_deadline(api: Api, code: str) -> None:
    case = case_for(code)
    definition = _inter_agency_definition(case, case.consulted)
    number = register(api, case, case.officer, "direct")["code"]
    partner = case.consultee
    assert api.get(partner, f"/dossiers/{number}").status_code == 404  # not involved yet

    with time_machine.travel(START + timedelta(hours=1), tick=False):
        ok(api.act(case.specialist, number, "forward", comment="Chuyển liên thông"), "processing")
        step = open_step(api, partner, number)
        hours = definition.steps.get(order=3).allotted_hours
        assert step is not None
        assert step["unit"] == case.consulted.code
        assert step["name"] == "Xử lý liên thông"
        step_due = iso(compute_due(start=START + timedelta(hours=1), amount=hours, unit="working_hours").due_at)
        assert step["due_at"] == step_due
        refused(api, case.specialist, number, "forward", 403)  # the partner holds it now
        assert "forward" in api.detail(partner, number)["allowed_actions"]
    with time_machine.travel(START + timedelta(days=1), tick=False):
        ok(api.act(partner, number, "forward", comment="Đã xử lý phần liên thông"), "processing")
        step = open_step(api, case.leader, number)
        assert step is not None
        assert step["unit"] == case.handling.code
        assert step["role"] == "unit_leader"
        refused(api, partner, number, "forward", 403)
        ok(api.act(case.leader, number, "resolve", outcome="approved"), "resolved")
        ok(api.act(case.officer, number, "return_result"), "returned")
    steps = api.detail(case.officer, number)["steps"]
    assert [s["unit"] for s in steps] == [
        case.receiving.code,
        case.handling.code,
        case.consulted.code,
        case.handling.code,
        case.receiving.code,
    ]
    assert events(api, case.officer, number) == ["submit", "accept", "forward", "forward", "resolve", "return_result"]
    # Each agency of the sequence has its own deadline: its stage's hours from when it got the dossier.
    agencies = api.detail(case.officer, number)["agencies"]
    assert [(a["unit"], a["steps"]) for a in agencies] == [
        (case.handling.code, [2]),
        (case.consulted.code, [3]),
        (case.handling.code, [4]),
    ]
    partner_stage = agencies[1]
    assert parse(partner_stage["started_at"]) == START + timedelta(hours=1)
    assert partner_stage["due_at"] == step_due
    assert parse(partner_stage["finished_at"]) == START + timedelta(days=1)
    assert partner_stage["late"] is (START + timedelta(days=1) > parse(step_due))
