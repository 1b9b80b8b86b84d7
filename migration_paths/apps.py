from django.apps import AppConfig


class MigrationPathsConfig(AppConfig):
    name = "migration_paths"
    verbose_name = "Migration paths"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (edits bump the catalogue version)
