"""Bulk import: each submission is validated by the API's serializer (one Lookups for all)
and stored in batches by benchmarks.services.store_batch."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from .lookups import Lookups
from .serializers import RunSubmissionSerializer
from .services import ImportReport, store_batch
from .submission import PreparedRun, SubmissionInvalid


def import_submissions(
    items: Iterable[tuple[str, Any]],
    *,
    user: AbstractBaseUser | None = None,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and store many (where, submission) items, one transaction per batch.

    A batch is stored whole or not at all, so an import killed half-way can simply be
    started again; a refused submission is reported with where it came from."""
    report = ImportReport()
    # One serializer validates every item (as a ListSerializer's child does): building one
    # per item would cost more than the checks.
    serializer = RunSubmissionSerializer(context={"lookups": Lookups()})
    batch: list[PreparedRun] = []
    for index, (where, data) in enumerate(items, start=1):
        try:
            batch.append(serializer.run_validation(data))
        except SubmissionInvalid as exc:
            report.rejected.append((where, str(exc)))
        if len(batch) >= batch_size:
            store_batch(batch, user, report)
            batch = []
        if progress:
            progress(index)
    if batch:
        store_batch(batch, user, report)
    return report
