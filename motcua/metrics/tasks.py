"""Background work of the metrics (django-tasks): the periodic refresh of the maintained aggregates."""

from __future__ import annotations

from django_tasks import task

from motcua.metrics.aggregates import metrics_refresh


@task()
def refresh_metrics() -> dict[str, int]:
    report = metrics_refresh()
    return {"dossiers": report.dossiers, "event_id": report.event_id}
