from django.urls import path

from motcua.queueing import views

app_name = "queueing"

urlpatterns = [
    path("quay/", views.console_home, name="console-home"),
    path("quay/<int:counter_id>/", views.console, name="console"),
    path("quay/<int:counter_id>/<slug:action>/", views.console_action, name="console-action"),
    path("thong-ke/", views.stats, name="stats"),
    path("<str:unit_code>/kiosk/", views.kiosk, name="kiosk"),
    path("<str:unit_code>/kiosk/so/<int:pk>/", views.ticket, name="ticket"),
    path("<str:unit_code>/bang/", views.board, name="board"),
    path("<str:unit_code>/bang/noi-dung/", views.board_content, name="board-content"),
]
