from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (connects the catalogue-version receivers)
        from .roles import ensure_curators_group

        # After every app (benchmarks included) has created its permissions.
        post_migrate.connect(ensure_curators_group, dispatch_uid="curators")
