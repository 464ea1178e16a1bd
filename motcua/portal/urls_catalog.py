"""Public catalog pages, mounted by the portal under /thu-tuc/."""

from django.urls import path

from motcua.portal.views import catalog

app_name = "catalog_pages"

urlpatterns = [
    path("", catalog.procedure_list, name="list"),
    path("<str:code>/", catalog.procedure_detail, name="detail"),
]
