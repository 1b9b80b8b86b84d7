import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the static icon."""
    response = HttpResponseRedirect(static("img/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def healthz(request):
    """For load balancers: the database answers and every migration is applied."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    if pending:
        return JsonResponse(
            {"status": "error", "migrations": f"{len(pending)} not applied"}, status=503
        )
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    """JSON in the API's error shape under /api/, the site's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "errors": {}}, status=404)
    return TemplateResponse(request, "404.html", status=404).render()


# How long clients should wait when the database is briefly away (a restart, a failover).
DATABASE_RETRY_AFTER = 5


def server_error(request):
    """500, or 503 with Retry-After when the database is unreachable: that is temporary,
    and clients and load balancers should retry rather than give up."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = "Database unavailable, retry shortly." if unavailable else "Server error."
        response = JsonResponse({"detail": detail, "errors": {}}, status=status)
    else:
        response = TemplateResponse(request, "500.html", {"unavailable": unavailable})
        response.status_code = status
        response.render()
    if unavailable:
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


@require_GET
@never_cache
def switch_language(request):
    """The language switcher's links: remember the choice in the language cookie and go
    back to the page. Links, not a POST form, so pages carry no CSRF token and a cached page
    is the same bytes for everyone (compressed once, not on every request); choosing a
    language changes nothing but the visitor's own preference."""
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        return HttpResponseBadRequest(f"Unknown language; choose one of: {codes}.")
    next_url = request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
