"""The test province of the metrics tests (two communes, staff per role, a citizen, a frozen clock)."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Dossier
from motcua.metrics.tests.conftest import Province, province, travel, vn

__all__ = ["Province", "province", "travel", "vn"]


def returned(p: Province, *, online: bool = True) -> Dossier:
    """A dossier of commune An Bình resolved and returned: filed online by the citizen, or at the counter."""
    dossier = p.online() if online else p.direct()
    if online:
        dossier = p.accept(dossier)
    p.resolve(dossier)
    return p.return_result(Dossier.objects.get(pk=dossier.pk))


@pytest.fixture
def returned_dossier(province: Province) -> Dossier:
    return returned(province)
