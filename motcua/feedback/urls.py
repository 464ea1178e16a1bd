"""/y-kien/: ratings and feedback (SPEC §3.8)."""

from django.urls import path

from motcua.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.published, name="published"),
    path("gui/", views.feedback_new, name="new"),
    path("da-gui/<str:code>/", views.feedback_sent, name="sent"),
    path("tra-loi/<str:code>/binh-chon/", views.vote, name="vote"),
    path("danh-gia/<str:code>/", views.rate, name="rate"),
    path("may-tinh-bang/<str:code>/", views.tablet, name="tablet"),
    path("cam-on/", views.thanks, name="thanks"),
    path("can-bo/", views.staff_list, name="staff-list"),
    path("can-bo/ghi-nhan/", views.staff_record, name="staff-record"),  # before the <code> patterns
    path("can-bo/<str:code>/", views.staff_detail, name="staff-detail"),
    path("can-bo/<str:code>/tep/<int:pk>/", views.staff_attachment, name="staff-attachment"),
    path("can-bo/<str:code>/<str:action>/", views.staff_act, name="staff-act"),
]
