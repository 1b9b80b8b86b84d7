"""Price edits bump the catalogue version: recommendations weigh prices, and their ETags and
caches follow that version."""

from django.db.models.signals import post_delete, post_save

from comparisons.signals import _bump

from .models import PriceCitation, PricePoint, ScenarioEstate

for model in (PricePoint, PriceCitation, ScenarioEstate):
    post_save.connect(_bump, sender=model, dispatch_uid=f"price-save-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"price-delete-{model.__name__}")
