"""The import and export commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.tests.conftest import SAMPLE

pytestmark = pytest.mark.django_db


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_prints_a_summary_and_a_second_run_finds_everything_unchanged():
    assert "created: 4, new versions: 0, unchanged: 0" in _run("import_procedures", str(SAMPLE))
    assert "created: 0, new versions: 0, unchanged: 4" in _run("import_procedures", str(SAMPLE))


def test_export_then_import_in_both_formats_changes_nothing(tmp_path):
    _run("import_procedures", str(SAMPLE))
    for name, fmt in (("catalog.json", "json"), ("catalog.xlsx", "xlsx")):
        path = tmp_path / name
        assert "exported: 4" in _run("export_procedures", str(path), "--format", fmt)
        assert "unchanged: 4" in _run("import_procedures", str(path))
    assert ProcedureVersion.objects.count() == 4


def test_a_malformed_file_fails_with_the_record_and_field_and_writes_nothing(tmp_path):
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    del records[1]["MATTHC"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(records), encoding="utf-8")

    with pytest.raises(CommandError, match=r"Record 1, MATTHC: is required"), translation.override("en"):
        _run("import_procedures", str(path))

    assert Procedure.objects.count() == 0


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        _run("import_procedures", str(tmp_path / "missing.json"))
