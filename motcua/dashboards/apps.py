from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "motcua.dashboards"
    label = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"
