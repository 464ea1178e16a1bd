"""The reads behind the pages, where SQL must agree with the services."""

from __future__ import annotations

import pytest

from motcua.backoffice.selectors import with_urgency
from motcua.dossiers.factories import register
from motcua.dossiers.models import DossierStep
from motcua.dossiers.services.due import urgency

from .conftest import local

pytestmark = pytest.mark.django_db

# Wednesday 07:30: four working hours later is 11:30, a closing time, and nothing counts until 13:30.
NOW = local(2025, 9, 10, 7, 30)


@pytest.mark.parametrize(
    "due",
    [
        local(2025, 9, 10, 7, 29),
        NOW,
        local(2025, 9, 10, 11, 29),
        local(2025, 9, 10, 11, 30),
        local(2025, 9, 10, 12, 0),
        local(2025, 9, 10, 13, 30),
        local(2025, 9, 10, 13, 31),
        local(2025, 9, 11, 9, 0),
        None,
    ],
)
def test_the_inbox_urgency_in_sql_is_the_services_urgency(world, due):
    step = register(world.officer, world.procedure).steps.get(finished_at__isnull=True)
    DossierStep.objects.filter(pk=step.pk).update(due_at=due)

    annotated = with_urgency(DossierStep.objects.filter(pk=step.pk), NOW).get()

    assert annotated.urgency == urgency(due, NOW)
