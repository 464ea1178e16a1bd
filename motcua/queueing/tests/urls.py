"""The site, plus the queue API router mounted at /api/v1/queue until the lead wires it into `motcua.api.api`."""

from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as site_urlpatterns
from motcua.api.errors import install_error_handlers
from motcua.api.routers.queue import router

urlpatterns = list(site_urlpatterns)
if getattr(router, "api", None) is None:  # not wired yet
    api = NinjaAPI(urls_namespace="queue-test-api", docs_url=None, openapi_url=None)
    install_error_handlers(api)
    api.add_router("/queue", router)
    urlpatterns.insert(0, path("api/v1/", api.urls))
