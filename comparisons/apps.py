from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the catalogue-version receivers)
