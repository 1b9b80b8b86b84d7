"""The rendered matrix, cached per catalogue version.

The catalogue version changes with every curated edit and every benchmark change
(signals, imports, admin actions), so a new version means new keys: nothing is deleted,
stale entries are simply never read again and expire. The cached HTML holds only the
page's own content; the CSRF token and the language switcher live in base.html and are
rendered per request.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TEMPLATE = "comparisons/compare_body.html"


@dataclass(frozen=True)
class RenderedMatrix:
    title: str
    body: str
    status: int


def cache_key(version: int, query: str, *, fragment: bool) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return f"matrix:v{version}:{get_language()}:{'fragment' if fragment else 'page'}:{digest}"


def rendered_matrix(request, version: int, query: str, build_context, *, fragment: bool):
    """The page body (or only its #matrix region) for a canonical query, rendered at most
    once per catalogue version; `build_context()` runs only on a miss."""
    key = cache_key(version, query, fragment=fragment)
    cached = cache.get(key)
    if cached is not None:
        title, body, status = cached
        return RenderedMatrix(mark_safe(title), mark_safe(body), status)
    context, status = build_context()
    body = render_to_string(TEMPLATE + ("#matrix" if fragment else ""), context, request)
    title = "" if fragment else render_to_string(TEMPLATE + "#title", context, request)
    cache.set(key, (title, body, status), settings.MATRIX_CACHE_SECONDS)
    return RenderedMatrix(mark_safe(title), mark_safe(body), status)
