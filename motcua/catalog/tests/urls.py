"""Test URLs: the project's URLs with the catalog pages mounted as the portal will mount them.

The portal's urls.py gets `path("thu-tuc/", include("motcua.portal.urls_catalog"))` from the lead;
until then this module adds it, inside the `portal` namespace, so tests see the final URL names.
"""

from django.urls import URLResolver, include, path

from config.urls import urlpatterns as project_patterns
from motcua.portal import urls as portal_urls

_portal = list(portal_urls.urlpatterns)
if not any(isinstance(p, URLResolver) and p.namespace == "catalog_pages" for p in _portal):
    _portal.append(path("thu-tuc/", include("motcua.portal.urls_catalog")))

urlpatterns = [p for p in project_patterns if not (isinstance(p, URLResolver) and p.namespace == "portal")] + [
    path("", include((_portal, "portal")))
]
