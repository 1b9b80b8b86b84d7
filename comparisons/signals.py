"""Every change to curated data bumps the catalogue version (ETags, caches)."""

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


def _bump(sender, **kwargs) -> None:
    CatalogVersion.bump()


for model in CURATED:
    post_save.connect(_bump, sender=model, dispatch_uid=f"catalog-save-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"catalog-delete-{model.__name__}")


@receiver(m2m_changed, sender=FactCheck.sources.through, dispatch_uid="catalog-m2m")
def _bump_m2m(sender, **kwargs) -> None:
    CatalogVersion.bump()
