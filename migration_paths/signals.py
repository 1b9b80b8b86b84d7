"""Edits to migration paths are catalogue edits: they bump the same version (ETags, caches)."""

from django.db.models.signals import post_delete, post_save

from comparisons import signals as catalog_signals

from .models import MigrationMethod, MigrationPath, MigrationStatement, StatementCitation

for model in (MigrationPath, MigrationMethod, MigrationStatement, StatementCitation):
    post_save.connect(
        catalog_signals._bump, sender=model, dispatch_uid=f"catalog-save-{model.__name__}"
    )
    post_delete.connect(
        catalog_signals._bump, sender=model, dispatch_uid=f"catalog-delete-{model.__name__}"
    )
