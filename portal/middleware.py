"""Security headers the settings cannot express (the Content Security Policy), and load
shedding."""

import threading

from django.conf import settings
from django.http import HttpResponse, JsonResponse

# Only our own origin for scripts, styles, images and connections: htmx and plotly.js are
# served from our static files and chart data travels in JSON islands, so no inline script.
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin and the API explorers (Swagger UI, Redoc) set inline styles of their own; their
# scripts still come only from our origin.
INLINE_STYLES = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + (
    "; worker-src 'self' blob:"  # Redoc's search index runs in a worker built from a blob
)
INLINE_STYLE_PREFIXES = ("/admin/", "/api/docs/", "/api/redoc/")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(INLINE_STYLE_PREFIXES)
            response["Content-Security-Policy"] = INLINE_STYLES if relaxed else STRICT
        return response


class LoadSheddingMiddleware:
    """Bounded work per process: at most `MAX_IN_FLIGHT` requests run at once; one that
    cannot start within `QUEUE_WAIT` seconds gets a fast 503 with Retry-After instead of
    waiting in a growing queue. Under overload the site answers quickly (some requests
    refused) rather than slowly for everyone, and recovers as soon as the load drops.
    Needs a threaded worker (gunicorn gthread, see gunicorn.conf.py) so that excess
    requests reach this check instead of queueing in the socket."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.slots = threading.BoundedSemaphore(settings.MAX_IN_FLIGHT)
        self.wait = settings.QUEUE_WAIT

    def __call__(self, request):
        if request.path == "/healthz" or request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)  # cheap, and load balancers need the truth
        if not self.slots.acquire(timeout=self.wait):
            return self.refuse(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    @staticmethod
    def refuse(request):
        response = _plain_or_json(request, "Too busy, retry shortly.", 503)
        response["Retry-After"] = "1"
        return response


def _plain_or_json(request, detail: str, status: int, errors: dict | None = None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": errors or {}}, status=status)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


class QueryTextMiddleware:
    """Query parameters are text that ends up in SQL: a NUL character made PostgreSQL fail
    (500) on every filtered page and API list. Refused here once, for every URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if any("\x00" in text for text in (key, *values)):
                name = key.replace("\x00", "\\0")
                detail = f"Query parameter {name!r} contains a NUL character."
                return _plain_or_json(request, detail, 400, {name: [detail]})
        return self.get_response(request)
