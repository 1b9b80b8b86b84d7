import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache


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
