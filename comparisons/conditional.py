"""Catalogue reads: ETag / Last-Modified from the catalogue version, 304 when unchanged,
and a repeated request answered from this process's memo of rendered responses.

The version changes with every curated edit (signals), its results counter with every
benchmark change (submissions, imports, admin decisions); a read depends on the first or on
both. Both come from CatalogVersion.current(), which costs no I/O within a second, so
neither a 304 nor a memoized answer touches the database or the cache server. The memo
is emptied when the data's version changes; nothing is invalidated by hand. These pages
hold no secret (no CSRF token, no per-visitor data), so sharing a rendered answer between
visitors is safe.
"""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from . import snapshot
from .models import CatalogVersion

# Browsers and proxies may reuse a catalogue page briefly, then revalidate cheaply (304).
CATALOG_MAX_AGE = 60
# Rendered answers (headers, body) by ETag, for the current state of the data.
responses = snapshot.ByDataVersion(size=64)


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


def catalog_etag(request, *, with_results: bool = False) -> str:
    """The ETag, also the memo's key: computed once per request (for each kind of read)."""
    etags = request.__dict__.setdefault("_catalog_etags", {})
    if with_results not in etags:
        version = CatalogVersion.current()
        state = version.catalog_key + (f"|{version.results_key}" if with_results else "")
        etags[with_results] = hashlib.sha256(f"{state}|{_variant(request)}".encode()).hexdigest()[
            :32
        ]
    return etags[with_results]


def catalog_last_modified(request, *, with_results: bool = False):
    version = CatalogVersion.current()
    if with_results:
        return max(version.changed_at, version.results_changed_at)
    return version.changed_at


def _remembered(view, with_results: bool):
    """Answer a GET seen before (same data, same variant) without rendering it again."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not settings.PAGE_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = catalog_etag(request, with_results=with_results)
        state, entry = responses.lookup(key)
        if entry is not None:
            headers, content = entry
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        if not response.streaming and response.status_code == 200 and not response.cookies:
            responses.put(state, key, (dict(response.items()), response.content))
        return response

    return wrapper


def _conditional(view, *, with_results: bool):
    def etag(request, *args, **kwargs):
        return catalog_etag(request, with_results=with_results)

    def last_modified(request, *args, **kwargs):
        return catalog_last_modified(request, with_results=with_results)

    conditional = condition(etag_func=etag, last_modified_func=last_modified)(
        _remembered(view, with_results)
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
