from rest_framework.routers import DefaultRouter

from benchmarks.api import BenchmarkViewSet, RunViewSet

router = DefaultRouter()
router.register("benchmarks", BenchmarkViewSet, basename="api-benchmark")
router.register("runs", RunViewSet, basename="api-run")

urlpatterns = router.urls
