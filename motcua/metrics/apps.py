from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "motcua.metrics"
    label = "metrics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Ratings and feedback change a dossier's 5.4 inputs without a dossier event: the feedback
        # app (below us) calls this so that the next refresh rebuilds the dossier's facts.
        from motcua.feedback.hooks import on_dossier_inputs_changed

        on_dossier_inputs_changed(_mark_dirty)


def _mark_dirty(dossier_ids: list[int]) -> None:
    from motcua.metrics.aggregates import metrics_mark_dirty

    metrics_mark_dirty(dossier_ids=dossier_ids)
