from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import matrix, scoring, selectors, snapshot
from .conditional import catalog_and_results_conditional, catalog_conditional
from .filters import ClaimFilter, FeatureFilter
from .forms import CompareForm, ScenarioWeightsForm
from .models import (
    Citation,
    Claim,
    Feature,
    Platform,
    Release,
    Scenario,
    Source,
    best_first_order,
)
from .selectors import recommend_for
from .serializers import (
    ClaimSerializer,
    FeatureSerializer,
    PlatformSerializer,
    ScenarioSerializer,
    SourceSerializer,
)


@method_decorator(catalog_conditional, name="dispatch")
class PlatformViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlatformSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        return Platform.objects.select_related("vendor").prefetch_related(
            Prefetch("releases", queryset=Release.objects.order_by("position")), "editions"
        )


@method_decorator(catalog_conditional, name="dispatch")
class FeatureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FeatureSerializer
    lookup_field = "slug"
    filterset_class = FeatureFilter

    def get_queryset(self):
        return Feature.objects.select_related("category").order_by("category__position", "position")


@method_decorator(catalog_conditional, name="dispatch")
class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SourceSerializer
    lookup_field = "key"
    filterset_fields = ["kind", "publisher"]

    def get_queryset(self):
        return Source.objects.order_by("key")


def _claims_with_citations():
    return Claim.objects.select_related(
        "platform", "feature__category", "release_from", "release_until", "edition"
    ).prefetch_related(
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source").order_by(*best_first_order()),
        )
    )


def _serialized_claims() -> dict[int, dict]:
    """Every claim as the API shows it, in the active language: once per snapshot."""
    return {row["id"]: row for row in ClaimSerializer(_claims_with_citations(), many=True).data}


@method_decorator(catalog_conditional, name="dispatch")
class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering = ("platform__position", "feature__category__position", "feature__position", "pk")

    def get_queryset(self):
        return _claims_with_citations().order_by(*self.ordering)

    def list(self, request, *args, **kwargs):
        # The filters choose the ids in SQL, all of them in one query (a catalogue has a few
        # thousand claims: the page and the count come from that list, not a second COUNT);
        # the claims themselves come serialized from the snapshot.
        claims = self.filter_queryset(Claim.objects.order_by(*self.ordering))
        ids = list(claims.values_list("pk", flat=True))
        page = self.paginate_queryset(ids)
        rows = snapshot.get().derive("api-claims", _serialized_claims)
        found = [rows[pk] for pk in (ids if page is None else page) if pk in rows]
        return self.get_paginated_response(found) if page is not None else Response(found)


@method_decorator(catalog_conditional, name="dispatch")
class MatrixView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "platforms", str, required=True, description="2 to 8 slugs, slug@release allowed."
            ),
            OpenApiParameter("category", str, many=True),
            OpenApiParameter("q", str, description="Search names, descriptions, aliases."),
            OpenApiParameter("diff", str, enum=["1"], description="Differences only."),
            OpenApiParameter("hide_unknown", str, enum=["1"]),
        ],
        responses={200: OpenApiResponse(description="The feature matrix."), 400: None},
    )
    def get(self, request):
        query = selectors.without_aliases(CompareForm(request.query_params).query())
        page = selectors.matrix_page(query) if query.platforms else None
        if page is None or page.matrix is None:
            errors = list(page.errors if page else ()) or ["Choose 2 to 8 platforms."]
            raise ValidationError({"platforms": errors})
        return Response(matrix.to_json(page.matrix))


def recommendation_json(result: scoring.Recommendation) -> dict:
    def reason(r: scoring.Reason) -> dict:
        return {
            "feature": r.feature,
            "support": r.support,
            "impact": r.impact,
            "claim": r.claim_id,
            "source_url": r.source_url,
            "detail": r.detail,
        }

    return {
        "scenario": result.scenario,
        "too_thin": result.too_thin,
        "message": result.message,
        "ranked": [
            {
                "platform": p.platform,
                "score": p.score,
                "coverage": p.coverage,
                "cost": p.cost,
                "performance": p.performance,
                "by_category": dict(p.by_category),
                "helped": [reason(r) for r in p.helped],
                "hurt": [reason(r) for r in p.hurt],
                "unknown_count": p.unknown_count,
            }
            for p in result.ranked
        ],
        "excluded": [{"platform": e.platform, "reasons": list(e.reasons)} for e in result.excluded],
        "robustness": None
        if result.robustness is None
        else {
            "winner_kept": result.robustness.winner_kept,
            "trials": result.robustness.trials,
            "seed": result.robustness.seed,
            "swap_change": result.robustness.swap_change,
            "swap_category": result.robustness.swap_category,
            "statement": result.robustness.statement,
        },
    }


# Recommendations weigh measured performance too.
@method_decorator(catalog_and_results_conditional, name="dispatch")
class ScenarioViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScenarioSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self):
        return Scenario.objects.order_by("position")

    @extend_schema(
        parameters=[
            OpenApiParameter("w-<category>", float, description="Override a category weight."),
            OpenApiParameter("musts", str, enum=["1"], description="Use the must list given."),
            OpenApiParameter("must", str, many=True, description="Must-have feature slugs."),
            OpenApiParameter("unknown", str, enum=list(scoring.UNKNOWN_POLICIES)),
        ],
        responses={200: OpenApiResponse(description="Ranked platforms with reasons.")},
    )
    @action(detail=True)
    def recommendation(self, request, slug=None):
        _, result, _, _ = recommend_for(
            self.get_object(), ScenarioWeightsForm(request.query_params).query()
        )
        return Response(recommendation_json(result))
