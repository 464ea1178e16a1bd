"""Counter pages; the project includes them inside the `backoffice` namespace at /can-bo/quay/."""

from django.urls import path

from motcua.backoffice.views import certification, counter

urlpatterns = [
    path("", counter.counter_home, name="counter"),
    path("tiep-nhan/<str:procedure_code>/", counter.intake, name="counter-intake"),
    path("ho-so/<str:code>/", counter.dossier_forms, name="counter-dossier"),
    path("ho-so/<str:code>/in/<str:kind>/", counter.form_print, name="counter-form-print"),
    path("ho-so/<str:code>/le-phi/", counter.fees_collect, name="counter-fees"),
    path("tra-ket-qua/", counter.return_find, name="counter-return"),
    path("tra-ket-qua/<str:code>/", counter.return_result, name="counter-return-result"),
    path("chung-thuc/", certification.certification, name="counter-certification"),
    path("chung-thuc/<int:pk>/", certification.certification_entry, name="counter-certification-entry"),
    path("chung-thuc/<int:pk>/tai-ve/", certification.certification_download, name="counter-certification-download"),
]
