"""The project's URLs, the back office at /can-bo/ and the counter pages at /can-bo/quay/, as the lead mounts them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from motcua.backoffice import urls as backoffice_urls
from motcua.backoffice import urls_counter

_backoffice = [path("quay/", include(urls_counter)), *backoffice_urls.urlpatterns]
urlpatterns = [
    path("can-bo/", include((_backoffice, "backoffice"))),
    *(pattern for pattern in project_urlpatterns if getattr(pattern, "namespace", None) != "backoffice"),
]
