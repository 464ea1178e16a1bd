"""Background work of the integrations: the outbox delivery (enqueued on commit by `outbox_enqueue`)."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.outbox import outbox_deliver_due


@task()
def deliver_outbox() -> dict[str, int]:
    report = outbox_deliver_due()
    return {"delivered": report.delivered, "retried": report.retried, "failed": report.failed}
