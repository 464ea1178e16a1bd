"""The site's URLs, plus the feedback API routers until the lead wires them into motcua/api/api.py."""

from django.urls import path
from ninja import NinjaAPI

from config.urls import urlpatterns as site_urlpatterns
from motcua.api.errors import install_error_handlers
from motcua.api.routers import feedback

if getattr(feedback.router, "api", None) is None:  # not wired into the site's API yet
    api = NinjaAPI(urls_namespace="feedback_test_api", docs_url=None, openapi_url=None)
    install_error_handlers(api)
    api.add_router("/ratings", feedback.ratings_router)
    api.add_router("/feedback", feedback.router)
    urlpatterns = [path("api/v1/", api.urls), *site_urlpatterns]
else:
    urlpatterns = list(site_urlpatterns)
