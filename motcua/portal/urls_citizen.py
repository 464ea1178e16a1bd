"""Citizen pages, included by portal/urls.py inside the `portal` namespace (so no app_name here).

`tracking` and `verify` each name two URLs: without an argument the form, with one the answer.
The QR printed on forms opens `/tra-cuu/<code>` without the final slash: it is served as it is.
"""

from django.urls import path, re_path

from motcua.portal.views import filing, my_dossiers, tracking, verify

urlpatterns = [
    path("tra-cuu/", tracking.tracking_search, name="tracking"),
    path("tra-cuu/<str:code>/", tracking.tracking_result, name="tracking"),
    re_path(r"^tra-cuu/(?P<code>[^/]+)$", tracking.tracking_result),  # as printed in the QR, no redirect
    path("nop-ho-so/<str:procedure_code>/", filing.filing_start, name="filing-start"),
    path("nop-ho-so/<str:procedure_code>/nguoi-nop/", filing.filing_applicant, name="filing-applicant"),
    path("nop-ho-so/<str:procedure_code>/giay-to/", filing.filing_components, name="filing-components"),
    path("nop-ho-so/<str:procedure_code>/xac-nhan/", filing.filing_review, name="filing-review"),
    path("ho-so-cua-toi/", my_dossiers.my_dossiers, name="my-dossiers"),
    path("ho-so-cua-toi/<str:code>/", my_dossiers.my_dossier, name="my-dossier"),
    path("ho-so-cua-toi/<str:code>/bien-nhan/", filing.filing_receipt, name="filing-receipt"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", my_dossiers.supplement, name="supplement"),
    path("xac-thuc-ket-qua/", verify.verify_upload, name="verify"),
    path("xac-thuc-ket-qua/<str:result_code>/", verify.verify_result, name="verify"),
]
