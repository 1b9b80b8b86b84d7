from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from comparisons.conditional import catalog_conditional

from . import rules, selectors
from .forms import DEFAULTS, CostForm


def item_json(item: rules.LineItem) -> dict:
    price = item.price
    return {
        "label": item.label,
        "quantity": item.quantity,
        "amount": None if item.amount is None else f"{item.amount:.2f}",
        "currency": item.currency,
        "one_off": item.one_off,
        "owned": item.owned,
        "applied": item.applied,
        "unknown": item.unknown,
        "price": {
            "key": price.key,
            "product": price.product,
            "amount": None if price.amount is None else f"{price.amount:.2f}",
            "unit": price.unit,
            "kind": price.kind,
            "status": price.status,
            "confidence": price.confidence,
            "source_url": price.source_url,
            "source_title": price.source_title,
            "checked": price.checked,
            "disputed_by": [url for url, _title in price.disputed_by],
        },
    }


def estimate_json(result: rules.Estimate) -> dict:
    estate = result.estate
    return {
        "estate": {
            "hosts": estate.hosts,
            "sockets": estate.sockets,
            "cores": estate.cores,
            "windows_vms": estate.windows_vms,
            "linux_vms": estate.linux_vms,
            "years": estate.years,
            "support": estate.support,
            "owned": sorted(estate.owned),
            "vmware_edition": estate.vmware_edition,
        },
        "currencies": list(result.currencies),
        "platforms": [
            {
                "platform": cost.platform,
                "name": cost.name,
                "total": {c: f"{v:.2f}" for c, v in sorted(cost.totals.items())},
                "total_label": rules.total_label(cost),
                "per_year": [{c: f"{v:.2f}" for c, v in sorted(y.items())} for y in cost.by_year],
                "unknown_count": cost.unknown_count,
                "items": [item_json(i) for i in cost.items],
            }
            for cost in result.platforms
        ],
    }


def _int(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, int, description=f"{description} (default {DEFAULTS[name]}).")


@method_decorator(catalog_conditional, name="dispatch")
class CostView(APIView):
    @extend_schema(
        parameters=[
            _int("hosts", "Physical hosts"),
            _int("sockets", "CPU sockets per host"),
            _int("cores", "Cores per socket"),
            _int("windows_vms", "Windows Server VMs"),
            _int("linux_vms", "Linux VMs"),
            _int("years", "Years"),
            OpenApiParameter("support", str, enum=list(rules.SUPPORT_TIERS)),
            OpenApiParameter("vmware", str, enum=list(rules.VMWARE_EDITIONS)),
            OpenApiParameter("owned", str, many=True, enum=list(rules.OWNED_CHOICES)),
        ],
        responses={
            200: OpenApiResponse(
                description="Per platform: line items (each with its price point and source), "
                "totals per currency over the term and per year, and how many prices are unknown."
            ),
            400: None,
        },
    )
    def get(self, request):
        form = CostForm.from_params(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        result, _rows = selectors.estimate(form.query())
        return Response(estimate_json(result))
