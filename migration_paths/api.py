from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from comparisons.conditional import catalog_conditional

from . import paths, selectors
from .forms import KIND_FILTERS, MODE_FILTERS, parse_grid_query

MODES = ["live", "warm", "cold", "unknown"]


def _one_of(values) -> serializers.CharField:
    # Plain strings, not ChoiceFields: enum components named "kind" or "confidence" would
    # collide with the catalogue's own and rename them in the schema.
    return serializers.CharField(help_text="One of: " + ", ".join(values))


class PairSummarySerializer(serializers.Serializer):
    to = serializers.CharField()
    has_entry = serializers.BooleanField()
    best_mode = serializers.CharField(
        allow_null=True, help_text="Best mode among published methods: " + ", ".join(MODES)
    )
    methods = serializers.IntegerField(help_text="Published methods.")
    sources = serializers.IntegerField(help_text="Distinct sources their statements cite.")
    kinds = serializers.ListField(child=_one_of(KIND_FILTERS))


# "from" is a Python keyword: declared under its JSON name, first.
PairSummarySerializer._declared_fields = {
    "from": serializers.CharField(),
    **PairSummarySerializer._declared_fields,
}


class GridSerializer(serializers.Serializer):
    pairs = PairSummarySerializer(many=True)


class CitationOutSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    checked = serializers.DateField()
    locator = serializers.CharField()
    quote = serializers.CharField()
    stance = _one_of(["supports", "contradicts"])


class StatementOutSerializer(serializers.Serializer):
    topic = _one_of(["mode", "converts", "manual", "limit", "licence", "downtime"])
    text = serializers.CharField()
    status = _one_of(["published", "disputed"])
    confidence = _one_of(["high", "medium", "low"])
    citations = CitationOutSerializer(many=True)


class MethodOutSerializer(serializers.Serializer):
    slug = serializers.CharField()
    tool = serializers.CharField()
    kind = _one_of(KIND_FILTERS)
    mode = _one_of(MODES)
    source_versions = serializers.CharField()
    target_versions = serializers.CharField()
    confidence = _one_of(["high", "medium", "low"])
    statements = StatementOutSerializer(many=True)


class PairSerializer(serializers.Serializer):
    to = serializers.CharField()
    summary = serializers.CharField()
    best_mode = serializers.CharField(allow_null=True)
    sources = serializers.IntegerField()
    methods = MethodOutSerializer(many=True)


PairSerializer._declared_fields = {
    "from": serializers.CharField(),
    **PairSerializer._declared_fields,
}


@method_decorator(catalog_conditional, name="dispatch")
class MigrationGridView(APIView):
    @extend_schema(
        operation_id="migration_paths_list",
        parameters=[
            OpenApiParameter("from", str, description="Source platform slug."),
            OpenApiParameter("to", str, description="Target platform slug."),
            OpenApiParameter(
                "mode", str, enum=list(MODE_FILTERS), description="Best mode at least."
            ),
            OpenApiParameter("kind", str, many=True, enum=list(KIND_FILTERS)),
        ],
        responses={200: GridSerializer},
    )
    def get(self, request):
        query, errors = parse_grid_query(request.query_params, selectors.platform_slugs())
        if errors:
            raise ValidationError({"query": errors})
        grid = selectors.grid_page(query=query).grid
        rows = paths.grid_to_json(grid)
        if query.mode:
            rows = [r for r in rows if paths.mode_at_least(r["best_mode"], query.mode)]
        return Response({"pairs": rows})


@method_decorator(catalog_conditional, name="dispatch")
class MigrationPairView(APIView):
    @extend_schema(operation_id="migration_paths_retrieve", responses={200: PairSerializer})
    def get(self, request, source: str, target: str):
        try:
            page = selectors.pair_page(source=source, target=target)
        except selectors.UnknownPlatform as exc:
            raise NotFound(str(exc)) from exc
        return Response(paths.pair_to_json(page.pair, page.summary))
