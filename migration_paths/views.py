import csv
import io

from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from comparisons.conditional import catalog_conditional
from portal.downloads import csv_response

from . import paths, selectors
from .forms import KIND_FILTERS, MODE_FILTERS, parse_grid_query


@require_GET
@vary_on_headers("HX-Request")
@catalog_conditional
def migrate_grid(request):
    query, errors = parse_grid_query(request.GET, selectors.platform_slugs())
    page = selectors.grid_page(query=query)
    context = {
        "page": page,
        "grid": page.grid,
        "query": query,
        "errors": errors,
        "modes": MODE_FILTERS,
        "kinds": KIND_FILTERS,
        "querystring": query.querystring(),
    }
    template = "migration_paths/grid.html"
    if request.htmx and not request.htmx.boosted:
        template += "#grid"
    response = TemplateResponse(request, template, context, status=400 if errors else 200)
    if request.htmx:
        canonical = reverse("migrate")
        response["HX-Push-Url"] = (
            f"{canonical}?{query.querystring()}" if query.querystring() else canonical
        )
    return response


@require_GET
@catalog_conditional
def migrate_export(request, fmt: str):
    if fmt not in {"csv", "json"}:
        raise Http404("Export as .csv or .json.")
    query, errors = parse_grid_query(request.GET, selectors.platform_slugs())
    if errors:
        return JsonResponse({"detail": " ".join(errors)}, status=400)
    rows = paths.grid_to_json(selectors.grid_page(query=query).grid)
    if fmt == "json":
        response = JsonResponse({"pairs": rows}, json_dumps_params={"indent": 1})
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["from", "to", "best_mode", "methods", "sources", "kinds", "url"])
        for row in rows:
            url = request.build_absolute_uri(reverse("migrate-pair", args=[row["from"], row["to"]]))
            writer.writerow(
                [
                    row["from"],
                    row["to"],
                    row["best_mode"] or "",
                    row["methods"],
                    row["sources"],
                    " ".join(row["kinds"]),
                    url,
                ]
            )
        response = csv_response(buffer.getvalue(), f"virtcompare-migration-paths.{fmt}")
    response["Content-Disposition"] = f'attachment; filename="virtcompare-migration-paths.{fmt}"'
    return response


@require_GET
@vary_on_headers("HX-Request")
@catalog_conditional
def migrate_pair(request, source: str, target: str):
    try:
        page = selectors.pair_page(source=source, target=target)
    except selectors.UnknownPlatform as exc:
        raise Http404(str(exc)) from exc
    template = "migration_paths/pair.html"
    if request.htmx and not request.htmx.boosted:
        template += "#methods"
    return TemplateResponse(request, template, {"page": page, "pair": page.pair})
