from django.db import DatabaseError, connection
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


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error.", "errors": {}}, status=500)
    return TemplateResponse(request, "500.html", status=500).render()
