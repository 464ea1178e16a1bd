from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    default_auto_field = "django.db.models.BigAutoField"
