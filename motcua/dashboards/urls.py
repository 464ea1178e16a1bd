"""Dashboards, mounted at /chi-so/ (Vietnamese paths, English names)."""

from django.urls import path

from motcua.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.public_index, name="public-index"),
    path("don-vi/<str:code>/", views.public_unit, name="public-unit"),
    path("can-bo-tre-han/", views.public_officials, name="public-officials"),
    path("noi-bo/", views.dashboard, name="dashboard"),
    path("noi-bo/ho-so/<str:code>/<str:part>/", views.drilldown, name="drilldown"),
    path("noi-bo/tre-han/", views.late_list, name="late"),
    path("noi-bo/can-bo-tre-han/", views.officials_list, name="officials"),
    path("noi-bo/thu-xin-loi/", views.apology_list, name="apologies"),
    path("noi-bo/phan-anh-qua-han/", views.feedback_overdue_list, name="feedback-overdue"),
    path("noi-bo/danh-gia-tt01/", views.tt01_unit, name="tt01"),
    path("noi-bo/danh-gia-tt01/can-bo/", views.tt01_officers, name="tt01-officers"),
]
