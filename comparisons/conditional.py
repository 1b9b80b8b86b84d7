"""ETag / Last-Modified for catalogue reads, from the one-row catalogue version."""

import functools
import hashlib

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from .models import CatalogVersion

# Browsers and proxies may reuse a catalogue page briefly, then revalidate cheaply (304).
CATALOG_MAX_AGE = 60


def catalog_version(request) -> CatalogVersion:
    # Memoized on the request: the etag and last-modified functions share one query.
    if not hasattr(request, "_catalog_version"):
        request._catalog_version = CatalogVersion.current()
    return request._catalog_version


def catalog_etag(request, *args, **kwargs) -> str:
    version = catalog_version(request)
    variant = "|".join(
        [
            str(version.version),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            request.headers.get("Accept", ""),
            getattr(request, "LANGUAGE_CODE", ""),  # from the cookie or Accept-Language
        ]
    )
    return hashlib.sha256(variant.encode()).hexdigest()[:32]


def catalog_last_modified(request, *args, **kwargs):
    return catalog_version(request).changed_at


def catalog_conditional(view):
    """Answer 304 when the catalogue has not changed; otherwise tag the response."""
    conditional = condition(etag_func=catalog_etag, last_modified_func=catalog_last_modified)(view)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
            patch_vary_headers(response, ["HX-Request", "Accept", "Accept-Language", "Cookie"])
        return response

    return wrapper
