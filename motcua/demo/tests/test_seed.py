import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.catalog.models import Offering, Procedure
from motcua.organizations.codes import validate_unit_code
from motcua.organizations.models import Counter, Membership, Unit

pytestmark = pytest.mark.django_db

REQUIRED_PROCEDURES = {"1.001193", "1.000894", "1.000656", "2.000815", "2.000884", "1.001612"}


def _counts():
    return (
        Unit.objects.count(),
        Counter.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Procedure.objects.count(),
        Offering.objects.count(),
    )


def test_seed_demo_loads_the_province_and_is_idempotent(capsys):
    call_command("seed_demo", no_history=True)
    first = _counts()
    call_command("seed_demo", no_history=True)

    assert _counts() == first
    output = capsys.readouterr().out
    assert "demo-counter" in output
    assert "MotCua-demo-counter-2026" in output


def test_demo_province_has_valid_codes_communes_and_counters():
    call_command("seed_demo", no_history=True)

    for code in Unit.objects.values_list("code", flat=True):
        validate_unit_code(code)
    assert Unit.objects.filter(kind="commune").count() >= 8
    assert Counter.objects.filter(unit__kind="commune").count() >= 8


def test_demo_catalog_holds_the_required_procedures_with_components():
    call_command("seed_demo", no_history=True)

    assert set(Procedure.objects.values_list("code", flat=True)) >= REQUIRED_PROCEDURES
    birth = Procedure.objects.get(code="1.001193").current_version
    assert birth.components.exists()
    assert Offering.objects.filter(procedure__code="2.000815", unit__code="000.00.21.H99", receives=True).exists()


def test_every_demo_user_can_log_in_with_the_printed_password():
    call_command("seed_demo", no_history=True)

    for username in ("demo-admin", "demo-counter", "demo-specialist", "demo-leader", "demo-controller", "demo-citizen"):
        assert User.objects.get(username=username).check_password(f"MotCua-{username}-2026")
