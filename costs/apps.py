from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = "Costs"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (price edits bump the catalogue version)
