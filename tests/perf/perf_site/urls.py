from django.urls import path

from portal.urls import handler404, handler500, urlpatterns  # noqa: F401

from . import views

urlpatterns = [
    path("perf/static-page/", views.static_page),
    path("perf/constant-list/", views.ConstantList.as_view()),
    path("perf/minimal-insert/", views.MinimalInsert.as_view()),
    *urlpatterns,
]
