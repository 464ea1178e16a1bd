"""Test URLs: the project's URLs with the citizen pages mounted as the portal will mount them.

The lead adds `path("", include("motcua.portal.urls_citizen"))` to portal/urls.py; until then this
module adds it (and the catalog pages) inside the `portal` namespace, so tests see the final names.
"""

from django.urls import URLResolver, include, path

from config.urls import urlpatterns as project_patterns
from motcua.portal import urls as portal_urls
from motcua.portal import urls_citizen

_portal = list(portal_urls.urlpatterns)
if not any(isinstance(p, URLResolver) and p.urlconf_name is urls_citizen for p in _portal):
    _portal.append(path("", include("motcua.portal.urls_citizen")))
if not any(isinstance(p, URLResolver) and p.namespace == "catalog_pages" for p in _portal):
    _portal.append(path("thu-tuc/", include("motcua.portal.urls_catalog")))

urlpatterns = [p for p in project_patterns if not (isinstance(p, URLResolver) and p.namespace == "portal")] + [
    path("", include((_portal, "portal")))
]
