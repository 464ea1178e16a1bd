import copy
import json
from pathlib import Path

import pytest
from django.conf import settings

from motcua.catalog.services import procedure_import

SAMPLE = Path(__file__).parent / "data" / "procedures_sample.json"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data" / "procedures.json"


@pytest.fixture
def sample_records():
    """Four real records (1.001193, 1.000894, 2.000815, 1.010038), a fresh copy per test."""
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def shared_records():
    """The 30 records of shared/data/procedures.json; skipped where shared/ is not beside the repo."""
    if not SHARED.exists():
        pytest.skip("shared/data/procedures.json is not beside the repository")
    return json.loads(SHARED.read_text(encoding="utf-8"))


@pytest.fixture
def imported(db, sample_records):
    """The sample records imported once."""
    procedure_import(records=copy.deepcopy(sample_records))
    return sample_records
