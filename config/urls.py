from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from motcua.api.api import api
from motcua.api.fallback import api_not_found

# The Django admin is a fallback for data fixes; staff reach it only after the TOTP step.
admin.site.__class__ = OTPAdminSite

urlpatterns: list = [
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", api_not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/django/", admin.site.urls),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("can-bo/quan-tri/", include("motcua.administration.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("xep-hang/", include("motcua.queueing.urls")),
    path("chi-so/", include("motcua.dashboards.urls")),
    path("y-kien/", include("motcua.feedback.urls")),
    path("", include("motcua.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
