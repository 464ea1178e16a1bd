"""Fees paid at the counter: lines marked paid with method and receipt number, refusals change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FeeLine
from motcua.dossiers.services.fees import FEES_PAID, fee_lines_pay
from motcua.dossiers.services.pauses import dossier_confirm_payment, dossier_request_payment
from motcua.dossiers.services.verification import audit_verify
from motcua.dossiers.tests.conftest import snapshot
from motcua.integrations.models import OutboxKind, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(world) -> Dossier:
    dossier = register(world.officer, world.procedure)
    dossier.fee_lines.all().delete()  # the procedure's own fees, replaced by two known lines
    FeeLine.objects.create(dossier=dossier, code="LP1", name="Lệ phí cấp bản sao", amount=Decimal(8000))
    FeeLine.objects.create(dossier=dossier, code="LP2", name="Phí thẩm định", amount=Decimal(50000))
    return dossier


def lines(dossier: Dossier) -> list[FeeLine]:
    return list(dossier.fee_lines.order_by("pk"))


def state(dossier: Dossier) -> tuple[object, ...]:
    """The dossier, its events and outbox, and every fee line's payment fields."""
    fees = list(FeeLine.objects.order_by("pk").values_list("pk", "paid_at", "method", "receipt_number", "paid_by"))
    return (*snapshot(dossier), fees)


def test_cash_payment_marks_the_lines_paid_with_the_receipt(world, dossier):
    first, second = lines(dossier)

    paid = fee_lines_pay(
        dossier=dossier,
        officer=world.officer,
        line_ids=[first.pk, second.pk],
        method="cash",
        receipt_number=" BL-0042 ",
    )

    assert [line.pk for line in paid] == [first.pk, second.pk]
    for line in lines(dossier):
        assert line.paid_at is not None
        assert (line.method, line.receipt_number, line.paid_by) == ("cash", "BL-0042", world.officer)
    event = dossier.events.order_by("sequence").last()
    assert event.action == FEES_PAID
    assert event.from_status == event.to_status == Status.PROCESSING
    assert event.actor == world.officer
    assert Decimal(event.data["amount"]) == Decimal(58000)
    assert event.data["method"] == "cash"
    assert event.data["receipt_number"] == "BL-0042"
    assert [row["id"] for row in event.data["lines"]] == [first.pk, second.pk]
    assert audit_verify(dossiers=[dossier]) == (1, None)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_some_lines_can_be_paid_and_the_rest_later(world, dossier):
    first, second = lines(dossier)

    fee_lines_pay(dossier=dossier, officer=world.officer, line_ids=[first.pk], method="transfer", receipt_number="")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.method, first.receipt_number) == ("transfer", "")
    assert first.paid_at is not None
    assert second.paid_at is None


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("wrong_unit", PermissionDenied),
        ("specialist", PermissionDenied),
        ("already_paid", Conflict),
        ("foreign_line", InvalidInput),
        ("missing_receipt", InvalidInput),
        ("unknown_method", InvalidInput),
        ("no_line", InvalidInput),
        ("receipt_too_long", InvalidInput),
    ],
)
def test_refusals_change_nothing(world, dossier, case, error):
    first, second = lines(dossier)
    officer, ids, method, receipt = world.officer, [first.pk, second.pk], "cash", "BL-1"
    if case == "wrong_unit":
        officer = world.outsider
    elif case == "specialist":
        officer = world.specialist
    elif case == "already_paid":
        fee_lines_pay(dossier=dossier, officer=world.officer, line_ids=[first.pk], method="cash", receipt_number="BL-0")
    elif case == "foreign_line":
        other = register(world.officer, world.procedure)
        ids = [first.pk, FeeLine.objects.create(dossier=other, name="Lệ phí", amount=Decimal(1000)).pk]
    elif case == "missing_receipt":
        receipt = "  "
    elif case == "unknown_method":
        method = "bitcoin"
    elif case == "no_line":
        ids = []
    elif case == "receipt_too_long":
        receipt = "9" * 61
    before = state(dossier)

    with pytest.raises(error):
        fee_lines_pay(dossier=dossier, officer=officer, line_ids=ids, method=method, receipt_number=receipt)

    assert state(dossier) == before


def test_no_fee_is_collected_on_a_withdrawn_dossier(world, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.WITHDRAWN)
    before = state(dossier)

    with pytest.raises(Conflict):
        fee_lines_pay(
            dossier=dossier, officer=world.officer, line_ids=[lines(dossier)[0].pk], method="cash", receipt_number="1"
        )

    assert state(dossier) == before


def test_confirming_a_payment_writes_its_reference_on_the_lines_it_settles(world, dossier):
    first = lines(dossier)[0]
    fee_lines_pay(dossier=dossier, officer=world.officer, line_ids=[first.pk], method="cash", receipt_number="BL-1")
    dossier_request_payment(dossier=dossier, officer=world.specialist, amount=Decimal(100000), note="Thuế")

    dossier_confirm_payment(dossier=dossier, actor=world.officer, method="cash", reference="BL-0099")

    settled = {line.code or line.name: line for line in lines(dossier)}
    assert settled["LP1"].receipt_number == "BL-1"  # paid before: untouched
    assert settled["LP2"].receipt_number == "BL-0099"
    assert settled["Thuế"].receipt_number == "BL-0099"
    assert settled["Thuế"].paid_by == world.officer
    assert settled["Thuế"].method == "cash"


def test_collecting_the_obligation_at_the_counter_resumes_the_paused_clock(world, dossier):
    dossier_request_payment(dossier=dossier, officer=world.specialist, amount=Decimal(100000), note="Thuế")
    dossier.refresh_from_db()
    paused_due = dossier.due_at
    obligation = dossier.fee_lines.get(kind="obligation")
    ordinary = lines(dossier)[0]

    # An ordinary fee first: the pause waits for the obligation, nothing moves.
    fee_lines_pay(dossier=dossier, officer=world.officer, line_ids=[ordinary.pk], method="cash", receipt_number="BL-7")
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_PAYMENT

    fee_lines_pay(
        dossier=dossier, officer=world.officer, line_ids=[obligation.pk], method="cash", receipt_number="BL-8"
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.clock_paused_at is None
    assert dossier.due_at >= paused_due
    actions = list(dossier.events.order_by("sequence").values_list("action", flat=True))
    assert actions[-3:] == [FEES_PAID, FEES_PAID, "confirm_payment"]
    confirm = dossier.events.order_by("sequence").last()
    assert confirm.data["reference"] == "BL-8"
    obligation.refresh_from_db()
    assert (obligation.receipt_number, obligation.method) == ("BL-8", "cash")
    assert audit_verify(dossiers=[dossier]) == (1, None)


def test_a_collection_is_synced_to_the_national_portal_with_the_dossier(world, dossier):
    first = lines(dossier)[0]

    fee_lines_pay(dossier=dossier, officer=world.officer, line_ids=[first.pk], method="cash", receipt_number="BL-3")

    event = dossier.events.order_by("sequence").last()
    message = OutboxMessage.objects.get(idempotency_key=f"dvcqg:{dossier.pk}:{event.sequence}")
    assert message.kind == OutboxKind.DVCQG_SYNC
    assert message.reference == dossier.code
    record = message.payload["data"][0]
    assert message.payload["service"] == "DongBoHoSoMC"
    assert [(fee["MaPhiLePhi"], fee["HinhThucThu"]) for fee in record["DanhSachLePhi"]] == [
        ("LP1", "cash"),
        ("LP2", ""),
    ]
