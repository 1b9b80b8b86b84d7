"""Benchmark and metric edits change what pages showing results say (names, units, which
direction is better), so they bump the results counter of the catalogue version, as new
runs do. (Runs are written in bulk and bump it explicitly.)"""

from django.db.models.signals import post_delete, post_save

from comparisons.models import CatalogVersion

from .models import Benchmark, Metric


def _bump_results(sender, **kwargs) -> None:
    CatalogVersion.bump(results=True)


for model in (Benchmark, Metric):
    post_save.connect(_bump_results, sender=model, dispatch_uid=f"results-save-{model.__name__}")
    post_delete.connect(
        _bump_results, sender=model, dispatch_uid=f"results-delete-{model.__name__}"
    )
