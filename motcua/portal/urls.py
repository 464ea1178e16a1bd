from django.urls import include, path

from motcua.portal.views import home

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("thu-tuc/", include("motcua.portal.urls_catalog")),
    path("co-quan/", include("motcua.portal.urls_directory")),
    path("", include("motcua.portal.urls_citizen")),
]
