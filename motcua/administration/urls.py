from django.urls import path

from motcua.administration.views import calendar, catalog, home, processes, service_areas, signing, units, users

app_name = "administration"

urlpatterns = [
    path("", home.home, name="home"),
    path("nhat-ky/", home.change_log, name="changes"),
    path("don-vi/", units.unit_tree, name="units"),
    path("don-vi/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("don-vi/<int:pk>/don-vi-con/them/", units.unit_child_create, name="unit-child-create"),
    path("don-vi/<int:pk>/<str:what>/", units.unit_change, name="unit-change"),
    path("don-vi/<int:pk>/quay/them/", units.counter_create, name="counter-create"),
    path("quay/<int:pk>/", units.counter_edit, name="counter-edit"),
    path("quay/<int:pk>/dong/", units.counter_close, name="counter-close"),
    path("don-vi/<int:pk>/khu-vuc/them/", service_areas.area_create, name="service-area-create"),
    path("khu-vuc/<int:pk>/", service_areas.area_edit, name="service-area-edit"),
    path("khu-vuc/<int:pk>/ngung/", service_areas.area_deactivate, name="service-area-deactivate"),
    path("khu-vuc/<int:pk>/xoa/", service_areas.area_delete, name="service-area-delete"),
    path("nguoi-dung/", users.user_list, name="users"),
    path("nguoi-dung/them/", users.user_create, name="user-create"),
    path("nguoi-dung/<int:pk>/", users.user_detail, name="user-detail"),
    path("nguoi-dung/<int:pk>/vai-tro/", users.user_grant, name="user-grant"),
    path("nguoi-dung/<int:pk>/<str:what>/", users.user_action, name="user-action"),
    path("vai-tro/<int:pk>/ket-thuc/", users.membership_end, name="membership-end"),
    path("thu-tuc/", catalog.procedure_list, name="catalog"),
    path("thu-tuc/nhap/", catalog.catalog_import, name="catalog-import"),
    path("thu-tuc/xuat.<str:fmt>", catalog.catalog_export, name="catalog-export"),
    path("thu-tuc/<str:code>/", catalog.procedure_detail, name="procedure-detail"),
    path("quy-trinh/", processes.process_list, name="processes"),
    path("quy-trinh/sao-chep/", processes.process_copy, name="process-copy"),
    path("quy-trinh/<int:pk>/", processes.process_edit, name="process-edit"),
    path("lich/", calendar.override_list, name="calendar"),
    path("lich/<int:pk>/xoa/", calendar.override_delete, name="calendar-delete"),
    path("chu-ky-so/", signing.identity_list, name="signing"),
    path("chu-ky-so/pkcs12/", signing.identity_pkcs12, name="signing-pkcs12"),
    path("chu-ky-so/pkcs11/", signing.identity_pkcs11, name="signing-pkcs11"),
    path("chu-ky-so/<int:pk>/<str:what>/", signing.identity_toggle, name="signing-toggle"),
]
