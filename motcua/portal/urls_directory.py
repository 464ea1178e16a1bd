"""Public directory of units and counters; included under /co-quan/."""

from django.urls import path

from motcua.portal.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.directory_index, name="index"),
    path("quay/<int:pk>/", directory.counter_detail, name="counter"),
]
