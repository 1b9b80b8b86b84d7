from django.urls import path

from . import views

urlpatterns = [
    path("benchmarks/", views.benchmark_list, name="benchmark-list"),
    path("benchmarks/submit/", views.submit_guide, name="benchmark-submit"),
    path("benchmarks/kit/", views.kit_page, name="benchmark-kit"),
    path("benchmarks/kit/virtcompare_bench.py", views.kit_download, name="benchmark-kit-file"),
    path("benchmarks/hosts/<int:pk>/", views.host_detail, name="benchmark-host"),
    path(
        "benchmarks/hosts/fingerprint/<slug:fingerprint>/",
        views.host_by_fingerprint,
        name="benchmark-host-fingerprint",
    ),
    path("benchmarks/<slug:slug>/", views.benchmark_detail, name="benchmark-detail"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/raw", views.run_raw, name="run-raw"),
]
