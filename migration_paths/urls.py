from django.urls import path

from . import feeds, views

urlpatterns = [
    path("migrate/", views.migrate_grid, name="migrate"),
    path("migrate/export.<str:fmt>", views.migrate_export, name="migrate-export"),
    path("migrate/changes.atom", feeds.MigrationChangesFeed(), name="migrate-feed"),
    path("migrate/<slug:source>/<slug:target>/", views.migrate_pair, name="migrate-pair"),
    path(
        "migrate/<slug:source>/<slug:target>/changes.atom",
        feeds.pair_feed,
        name="migrate-pair-feed",
    ),
]
