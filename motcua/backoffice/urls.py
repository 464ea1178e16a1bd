"""Back-office URLs, mounted by the project at /can-bo/ (Vietnamese paths, English names)."""

from django.urls import include, path

from motcua.backoffice.views import documents, dossier, inbox, search

app_name = "backoffice"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("chuyen-tiep/", inbox.bulk_forward, name="bulk-forward"),
    path("tim-kiem/", search.dossier_search, name="search"),
    path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/so-hoa/", documents.digitization, name="dossier-digitization"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.dossier_action, name="dossier-action"),
    path("quay/", include("motcua.backoffice.urls_counter")),
]
