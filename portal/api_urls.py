from django.urls import path
from rest_framework.routers import DefaultRouter

from benchmarks.api import BenchmarkViewSet, RunViewSet
from comparisons.api import (
    ClaimViewSet,
    FeatureViewSet,
    MatrixView,
    PlatformViewSet,
    ScenarioViewSet,
    SourceViewSet,
)
from migration_paths.api import MigrationGridView, MigrationPairView

router = DefaultRouter()
router.register("platforms", PlatformViewSet, basename="api-platform")
router.register("features", FeatureViewSet, basename="api-feature")
router.register("sources", SourceViewSet, basename="api-source")
router.register("claims", ClaimViewSet, basename="api-claim")
router.register("benchmarks", BenchmarkViewSet, basename="api-benchmark")
router.register("runs", RunViewSet, basename="api-run")
router.register("scenarios", ScenarioViewSet, basename="api-scenario")

urlpatterns = [
    path("matrix/", MatrixView.as_view(), name="api-matrix"),
    path("migration-paths/", MigrationGridView.as_view(), name="api-migration-paths"),
    path(
        "migration-paths/<slug:source>/<slug:target>/",
        MigrationPairView.as_view(),
        name="api-migration-pair",
    ),
    *router.urls,
]
