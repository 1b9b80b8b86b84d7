from django.urls import path

from . import views

urlpatterns = [
    path("migrate/", views.migrate_grid, name="migrate"),
    path("migrate/export.<str:fmt>", views.migrate_export, name="migrate-export"),
    path("migrate/<slug:source>/<slug:target>/", views.migrate_pair, name="migrate-pair"),
]
