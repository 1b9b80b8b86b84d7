import csv
import io

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from comparisons.conditional import catalog_conditional
from portal.downloads import csv_response

from . import selectors
from .forms import CostForm

CSV_COLUMNS = [
    "platform",
    "item",
    "quantity",
    "amount",
    "currency",
    "one_off",
    "owned",
    "applied",
    "price_key",
    "status",
    "confidence",
    "source_url",
    "checked",
]


def _csv(page) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for cost in page.result.platforms:
        for item in cost.items:
            writer.writerow(
                [
                    cost.platform,
                    item.label,
                    item.quantity,
                    "" if item.amount is None else f"{item.amount:.2f}",
                    item.currency,
                    int(item.one_off),
                    int(item.owned),
                    int(item.applied),
                    item.price.key,
                    item.price.status,
                    item.price.confidence,
                    item.price.source_url,
                    item.price.checked,
                ]
            )
    return csv_response(out.getvalue(), "virtcompare-cost.csv")


@require_GET
@vary_on_headers("HX-Request")
@catalog_conditional  # prices are curated data: their edits bump the catalogue version
def cost(request):
    form = CostForm.from_params(request.GET)
    if not form.is_valid():
        return TemplateResponse(
            request, "costs/cost.html", {"form": form, "page": None}, status=400
        )
    page = selectors.cost_page(query=form.query())
    if request.GET.get("format") == "csv":
        return _csv(page)
    template = "costs/cost.html#result" if request.htmx else "costs/cost.html"
    return TemplateResponse(request, template, {"form": form, "page": page})
