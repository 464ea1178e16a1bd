"""The project's URLs plus the back office at /can-bo/, unless the project already mounts it."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(pattern, "namespace", None) == "backoffice" for pattern in project_urlpatterns)
urlpatterns = (
    list(project_urlpatterns)
    if _mounted
    else [path("can-bo/", include("motcua.backoffice.urls")), *project_urlpatterns]
)
