"""Catalogue reads: ETag / Last-Modified from the one-row catalogue version, and the
rendered response cached per version.

The version changes with every curated edit and every benchmark change (signals, imports,
admin actions), so a new version means new cache keys: nothing is ever invalidated by
hand, stale entries are simply never read again and expire. Cached pages hold a
placeholder where the CSRF token goes; each visitor gets their own token on the way out.
"""

import functools
import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .models import CatalogVersion

# Browsers and proxies may reuse a catalogue page briefly, then revalidate cheaply (304).
CATALOG_MAX_AGE = 60
CSRF_PLACEHOLDER = "csrf-token-placeholder-c1b3f0e2"
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()


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


def catalog_etag(request, *args, **kwargs) -> str:
    # Memoized: it is both the ETag and the cache key. The time as well as the number:
    # after restoring a backup the number repeats, the pair does not (one state of the data).
    if not hasattr(request, "_catalog_etag"):
        version = catalog_version(request)
        variant = f"{version.version}|{version.changed_at.isoformat()}|{_variant(request)}"
        request._catalog_etag = hashlib.sha256(variant.encode()).hexdigest()[:32]
    return request._catalog_etag


def catalog_last_modified(request, *args, **kwargs):
    return catalog_version(request).changed_at


class _RecentEntries:
    """The last few cache entries of this process. Safe because entries never change (the
    version is in the key); it spares fetching and unpickling a 400 KB page from Redis."""

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


def _with_csrf_token(parts: list[bytes], request) -> bytes:
    """The page with this visitor's token where the placeholder was. Entries are stored
    split at the placeholder: joining is a copy, where replacing meant scanning 260 KB."""
    if len(parts) == 1:
        return parts[0]
    return get_token(request).encode().join(parts)


def cached_per_version(view):
    """Serve GETs from the cache while the catalogue version is unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = f"catalog-read:{catalog_etag(request)}"
        hit = recent_entries.get(key)
        if hit is None:
            hit = cache.get(key)
            if hit is not None:
                recent_entries.put(key, hit)
        if hit is not None:
            headers, parts = hit
            return HttpResponse(_with_csrf_token(parts, request), headers=headers)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            if isinstance(response.context_data, dict):
                response.context_data["csrf_token"] = CSRF_PLACEHOLDER
            response.render()
        if response.streaming:
            return response
        if response.status_code == 200 and not response.cookies:
            entry = (dict(response.items()), response.content.split(_PLACEHOLDER))
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            recent_entries.put(key, entry)
            response.content = _with_csrf_token(entry[1], request)
        else:
            response.content = _with_csrf_token(response.content.split(_PLACEHOLDER), request)
        return response

    return wrapper


def catalog_conditional(view):
    """Answer 304 when the catalogue has not changed, else the cached or fresh response."""
    conditional = condition(etag_func=catalog_etag, last_modified_func=catalog_last_modified)(
        cached_per_version(view)
    )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
            patch_vary_headers(response, ["HX-Request", "Accept", "Accept-Language", "Cookie"])
        return response

    return wrapper
