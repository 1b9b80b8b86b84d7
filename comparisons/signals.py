"""Every change to curated data bumps the catalogue version (ETags, caches)."""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import (
    CatalogVersion,
    Category,
    Citation,
    Claim,
    Edition,
    FactCheck,
    Feature,
    Platform,
    Release,
    Scenario,
    Source,
    Vendor,
)

CURATED = (Vendor, Platform, Release, Edition, Category, Feature, Source, Claim, Citation)
CURATED += (FactCheck, Scenario)


_paused = threading.local()


@contextmanager
def one_bump():
    """Bulk writes (the catalogue loader) bump the version once, at the end, not per row."""
    _paused.active = True
    try:
        yield
    finally:
        _paused.active = False
    CatalogVersion.bump()


def _bump(sender, **kwargs) -> None:
    if not getattr(_paused, "active", False):
        CatalogVersion.bump()


for model in CURATED:
    post_save.connect(_bump, sender=model, dispatch_uid=f"catalog-save-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"catalog-delete-{model.__name__}")


@receiver(m2m_changed, sender=FactCheck.sources.through, dispatch_uid="catalog-m2m")
def _bump_m2m(sender, **kwargs) -> None:
    _bump(sender)
