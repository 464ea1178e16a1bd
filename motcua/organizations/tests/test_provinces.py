import json

import pytest
from django.core.management import call_command

from motcua.organizations.models import Province
from motcua.organizations.provinces import PROVINCES_FILE, read_province_table


def test_the_bundled_table_is_well_formed_and_marks_only_h99_as_demo():
    rows = read_province_table()

    assert [row.code for row in rows if row.is_demo] == ["H99"]
    assert all(item.get("evidence") for item in json.loads(PROVINCES_FILE.read_text())["provinces"])


def test_a_malformed_code_in_the_file_is_refused(tmp_path):
    bad = tmp_path / "provinces.json"
    bad.write_text(json.dumps({"provinces": [{"code": "Z01", "name": "?"}]}))

    with pytest.raises(ValueError, match="not a level-1 code"):
        read_province_table(bad)


@pytest.mark.django_db
def test_the_migration_loaded_the_table():
    assert set(Province.objects.values_list("code", flat=True)) >= {row.code for row in read_province_table()}
    assert Province.objects.get(code="H99").is_demo


@pytest.mark.django_db
def test_loading_again_updates_names_without_duplicating(tmp_path):
    corrected = tmp_path / "provinces.json"
    corrected.write_text(json.dumps({"provinces": [{"code": "H99", "name": "Tỉnh Mẫu mới", "demo": True}]}))
    before = Province.objects.count()

    call_command("load_provinces", str(corrected), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_provinces", str(corrected), stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Province.objects.count() == before
    assert Province.objects.get(code="H99").name == "Tỉnh Mẫu mới"
