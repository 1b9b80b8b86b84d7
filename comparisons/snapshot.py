"""The published catalogue as one immutable in-memory snapshot per process.

Every catalogue read (pages, exports, API) is computed from it instead of SQL. It is built
once per catalogue version from a handful of queries, shared through the cache (Redis in
production) as one pickled blob so another process loads it instead of rebuilding it, and
replaced when the version changes. The version itself is re-read at most once per second
per process (CatalogVersion.MAX_STALENESS), so a catalogue request costs no I/O at all
until an edit: the bound on staleness across instances is that second.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from portal.localized import translated

from . import matrix
from .models import (
    CatalogVersion,
    Citation,
    Claim,
    Feature,
    Platform,
    Release,
)

CACHE_PREFIX = "catalog-snapshot:v1:"
T = TypeVar("T")
# A shared blob is read by processes that start while its version is current.
SHARED_SECONDS = 24 * 3600


def _features(language: str) -> tuple[matrix.FeatureInfo, ...]:
    rows = (
        Feature.objects.order_by("category__position", "position")
        .annotate(
            local_name=translated("name", language),
            local_description=translated("description", language),
            local_category=translated("category__name", language),
        )
        .values_list(
            "slug",
            "local_name",
            "local_description",
            "aliases",
            "kind",
            "unit",
            "better",
            "category__slug",
            "local_category",
            "name_en",
            "description_en",
            "importance",
        )
    )
    # The columns are in FeatureInfo's order, then the English name and description (so
    # English terms match in any language) and the importance; the aliases arrive as a list.
    return tuple(
        matrix.FeatureInfo(
            *row[:3], tuple(row[3]), *row[4:9], english=" ".join(row[9:11]), importance=row[11]
        )
        for row in rows
    )


def _citations() -> dict[int, tuple[matrix.CitationInfo, ...]]:
    by_claim: dict[int, list[matrix.CitationInfo]] = {}
    for claim_id, *fields in Citation.objects.order_by("position", "pk").values_list(
        "claim_id",
        "source__url",
        "source__title",
        "source__publisher",
        "source__checked",
        "stance",
    ):
        by_claim.setdefault(claim_id, []).append(matrix.CitationInfo(*fields))  # type: ignore[arg-type]
    return {claim_id: tuple(found) for claim_id, found in by_claim.items()}


def _claims(
    language: str, citations: dict[int, tuple[matrix.CitationInfo, ...]]
) -> tuple[matrix.ClaimInfo, ...]:
    """Every claim, whatever its status (pages show the visible ones, the API filters), as
    plain rows: notes, quotes and locators stay in the database (only the claim page shows
    them)."""
    rows = Claim.objects.order_by(
        "platform__position", "feature__category__position", "feature__position", "pk"
    ).values_list(  # in the order of ClaimInfo's fields
        "pk",
        "platform__slug",
        "feature__slug",
        "release_from__position",
        "release_until__position",
        Coalesce("edition__name", Value("")),
        Coalesce("edition__position", Value(0)),
        "support",
        "value",
        translated("text", language),
        "status",
        "confidence",
    )
    return tuple(
        matrix.ClaimInfo(*row, citations=citations.get(row[0], ()))  # type: ignore[misc]
        for row in rows
    )


@dataclass(frozen=True, eq=False)
class Snapshot:
    key: str
    platforms: tuple[Platform, ...]  # with their releases (by position) and vendor
    features: dict[str, tuple[matrix.FeatureInfo, ...]]  # by language code
    claims: dict[str, tuple[matrix.ClaimInfo, ...]]  # by language code
    derived: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False, compare=False)

    def in_language(self, table: dict[str, T]) -> T:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return table.get(language) or table[settings.LANGUAGE_CODE]

    def derive(self, name: str, compute: Callable[[], T]) -> T:
        """A figure computed from this snapshot once per language, on first use."""
        key = (name, translation.get_language() or settings.LANGUAGE_CODE)
        if key not in self.derived:
            self.derived[key] = compute()
        return self.derived[key]  # type: ignore[no-any-return]

    def __getstate__(self) -> dict[str, Any]:
        # Derived figures are per process: the shared blob holds only the data.
        return {**self.__dict__, "derived": {}}


def build(key: str) -> Snapshot:
    """The snapshot from SQL: 4 queries, plus 2 per language."""
    platforms = tuple(
        Platform.objects.select_related("vendor").prefetch_related(
            Prefetch("releases", queryset=Release.objects.order_by("position"))
        )
    )
    citations = _citations()
    languages = [code for code, _ in settings.LANGUAGES]
    return Snapshot(
        key=key,
        platforms=platforms,
        features={code: _features(code) for code in languages},
        claims={code: _claims(code, citations) for code in languages},
    )


class _Current:
    """This process's snapshot, replaced when the catalogue version changes."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.lock = threading.Lock()

    def get(self) -> Snapshot:
        key = CatalogVersion.current().catalog_key
        found = self.snapshot
        if found is not None and found.key == key:
            return found
        with self.lock:  # one build per process, not one per thread
            found = self.snapshot
            if found is None or found.key != key:
                found = self.snapshot = self._load(key)
        return found

    @staticmethod
    def _load(key: str) -> Snapshot:
        shared = cache.get(CACHE_PREFIX + key)
        if isinstance(shared, Snapshot):
            return shared
        fresh = build(key)
        cache.set(CACHE_PREFIX + key, fresh, SHARED_SECONDS)
        return fresh

    def forget(self) -> None:
        self.snapshot = None


current = _Current()


def get() -> Snapshot:
    return current.get()


class ByDataVersion:
    """Values computed from one state of the data (the catalogue and results versions),
    kept in this process until either changes: nothing is invalidated by hand, and a
    bounded number is kept."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.state: tuple[str, str] | None = None
        self.values: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def lookup(self, key: Hashable) -> tuple[tuple[str, str], Any]:
        """(the data's state, the value kept for it or None)."""
        version = CatalogVersion.current()
        state = (version.catalog_key, version.results_key)
        with self.lock:
            if state != self.state:
                self.state, self.values = state, OrderedDict()
            return state, self.values.get(key)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        state, found = self.lookup(key)
        if found is None:
            found = compute()
            self.put(state, key, found)
        return found  # type: ignore[no-any-return]

    def put(self, state: tuple[str, str], key: Hashable, value: object) -> None:
        with self.lock:
            if state == self.state:
                self.values[key] = value
                while len(self.values) > self.size:
                    self.values.popitem(last=False)
