"""Catalogue reads: ETag / Last-Modified from the one-row catalogue version, and the
rendered response cached per version.

The version changes with every curated edit (signals), its results counter with every
benchmark change (submissions, imports, admin decisions); a read depends on the first or on
both. A new version means new cache keys: nothing is ever invalidated by
hand, stale entries are simply never read again and expire. Entries hold the body and its
gzip compression, made once: compressing a 260 KB page took 3.5 ms, three times the rest
of a cached request. That is safe because these pages hold no secret (no CSRF token, no
per-visitor data), which is what BREACH-style attacks on compression need.
"""

import functools
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .models import CatalogVersion

# Browsers and proxies may reuse a catalogue page briefly, then revalidate cheaply (304).
CATALOG_MAX_AGE = 60
# Smaller bodies are sent as they are (GZipMiddleware's threshold).
MIN_COMPRESSED_LENGTH = 200


def catalog_version(request) -> CatalogVersion:
    # Memoized on the request: the etag, last-modified and cache key share one lookup.
    if not hasattr(request, "_catalog_version"):
        request._catalog_version = CatalogVersion.current()
    return request._catalog_version


def _variant(request) -> str:
    """Everything a catalogue response depends on besides the data."""
    return "|".join(
        [
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Boosted", ""),
            request.headers.get("Accept", ""),
            get_language() or "",  # from the cookie or Accept-Language
        ]
    )


def _data_state(request, with_results: bool) -> str:
    """The data a response shows: the curated catalogue, and benchmark results if it shows
    them. The time as well as the number: after restoring a backup the number repeats, the
    pair does not (one state of the data)."""
    version = catalog_version(request)
    state = f"{version.version}|{version.changed_at.isoformat()}"
    if with_results:
        state += f"|{version.results_version}|{version.results_changed_at.isoformat()}"
    return state


def catalog_etag(request, *, with_results: bool = False) -> str:
    # Memoized: it is both the ETag and the cache key.
    if not hasattr(request, "_catalog_etag"):
        variant = f"{_data_state(request, with_results)}|{_variant(request)}"
        request._catalog_etag = hashlib.sha256(variant.encode()).hexdigest()[:32]
    return request._catalog_etag


def catalog_last_modified(request, *, with_results: bool = False):
    version = catalog_version(request)
    if with_results:
        return max(version.changed_at, version.results_changed_at)
    return version.changed_at


class _RecentEntries:
    """The last few cache entries of this process. Safe because entries never change (the
    version is in the key); it spares fetching and unpickling a 300 KB entry from Redis."""

    def __init__(self, size: int = 32):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()

    def put(self, key, entry) -> None:
        with self.lock:
            self.entries[key] = entry
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


recent_entries = _RecentEntries()


def _entry(response) -> tuple[dict, bytes, bytes | None]:
    content = response.content
    compressed = compress_string(content) if len(content) >= MIN_COMPRESSED_LENGTH else None
    return dict(response.items()), content, compressed


def _from_entry(entry, request, etag: str) -> HttpResponse:
    headers, content, compressed = entry
    if compressed is not None and re_accepts_gzip.search(
        request.headers.get("Accept-Encoding", "")
    ):
        response = HttpResponse(compressed, headers=headers)
        response["Content-Encoding"] = "gzip"
        # Another representation of the same data: a weak validator, as GZipMiddleware makes.
        response["ETag"] = f'W/"{etag}"'
    else:
        response = HttpResponse(content, headers=headers)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def cached_per_version(view, *, with_results: bool = False):
    """Serve GETs from the cache while the data they show is unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        etag = catalog_etag(request, with_results=with_results)
        key = f"catalog-read:v2:{etag}"
        entry = recent_entries.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                recent_entries.put(key, entry)
        if entry is not None:
            return _from_entry(entry, request, etag)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        if response.streaming or response.status_code != 200 or response.cookies:
            return response
        entry = _entry(response)
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        recent_entries.put(key, entry)
        return _from_entry(entry, request, etag)

    return wrapper


def _conditional(view, *, with_results: bool):
    """Answer 304 when the data has not changed, else the cached or fresh response."""

    def etag(request, *args, **kwargs):
        return catalog_etag(request, with_results=with_results)

    def last_modified(request, *args, **kwargs):
        return catalog_last_modified(request, with_results=with_results)

    conditional = condition(etag_func=etag, last_modified_func=last_modified)(
        cached_per_version(view, with_results=with_results)
    )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
            patch_vary_headers(response, ["HX-Request", "Accept", "Accept-Language", "Cookie"])
        return response

    return wrapper


def catalog_conditional(view):
    """For reads of the curated catalogue only: submissions leave them cached."""
    return _conditional(view, with_results=False)


def catalog_and_results_conditional(view):
    """For reads that also show benchmark results (the compare page's performance section,
    recommendations)."""
    return _conditional(view, with_results=True)
