"""Load the province table from data/provinces.json and fold existing unit names for search.

Idempotent: rows are matched by code, so running it again (or `manage.py load_provinces`) only
updates names. Provinces are never deleted here: units point at them with PROTECT.
"""

from django.db import migrations

from motcua.core.text import fold
from motcua.organizations.provinces import read_province_table


def load_provinces(apps, schema_editor):
    Province = apps.get_model("organizations", "Province")
    for row in read_province_table():
        Province.objects.update_or_create(code=row.code, defaults={"name": row.name, "is_demo": row.is_demo})


def fold_unit_names(apps, schema_editor):
    Unit = apps.get_model("organizations", "Unit")
    for unit in Unit.objects.filter(name_folded="").only("pk", "name", "short_name"):
        Unit.objects.filter(pk=unit.pk).update(name_folded=fold(f"{unit.name} {unit.short_name}"))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_province_is_demo_unit_name_folded"),
    ]

    operations = [
        migrations.RunPython(load_provinces, migrations.RunPython.noop),
        migrations.RunPython(fold_unit_names, migrations.RunPython.noop),
    ]
