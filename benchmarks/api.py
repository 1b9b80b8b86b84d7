from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from portal import safe_json
from portal.api_parsers import SafeJSONParser

from . import selectors
from .filters import RunFilter
from .forms import ChartForm
from .serializers import BenchmarkSerializer, RunSerializer, RunSubmissionSerializer
from .services import DuplicateMeasurement, IdempotencyConflict, run_submit

ERROR_SHAPE = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class SubmissionError(APIException):
    status_code = 400

    def __init__(self, errors: dict[str, list[str]], status_code: int = 400):
        self.status_code = status_code
        super().__init__(detail={"errors": errors})


class Conflict(APIException):
    status_code = 409
    default_detail = "Conflict."


class LengthRequired(APIException):
    status_code = 411
    default_detail = (
        "Send the body with a Content-Length header: chunked request bodies are not read."
    )


def _multipart_payload(request) -> dict:
    """Form fields plus the uploaded file, in the same shape as a JSON submission."""
    data: dict = {}
    for key in request.data:
        if key == "file":
            continue
        value = request.data.get(key)
        if key in {"environment", "vm", "results"}:
            try:
                value = safe_json.loads(value)
            except ValueError as exc:
                raise SubmissionError({key: [f"Expected JSON in this form field: {exc}"]}) from exc
        data[key] = value
    upload = request.FILES.get("file")
    if upload is not None:
        # Bounded by the body's limit; the serializer checks the output's own size.
        try:
            data["raw"] = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError({"file": ["File is not UTF-8 text."]}) from exc
    return data


def _summary_json(data: dict) -> dict:
    metric = data["metric"]

    def summary(s) -> dict:
        return {
            "n": s.n,
            "median": s.median,
            "mean": s.mean,
            "stddev": s.stddev,
            "q1": s.q1,
            "q3": s.q3,
            "iqr": s.iqr,
            "min": s.minimum,
            "max": s.maximum,
            # Only an interval that reaches 95% is given as one (n >= 6); below, the range
            # and its actual coverage are in ci_median.
            "ci95_median": [s.ci_low, s.ci_high] if s.ci_reaches_95 else None,
            "ci_median": None
            if s.ci_low is None
            else {"low": s.ci_low, "high": s.ci_high, "coverage": s.ci_coverage},
            "too_few_runs": s.thin,
        }

    return {
        "benchmark": data["benchmark"].slug,
        "metric": {"slug": metric.slug, "unit": metric.unit, "better": metric.better},
        "series": [
            {"platform": s.platform, "release": s.release, **summary(s.summary)}
            for s in data["series"]
        ],
        "versus_bare_metal": [
            {
                "platform": o.platform,
                "environment": o.environment,
                "relative": o.result.relative if o.result else None,
                "ci95": [o.result.ci_low, o.result.ci_high]
                if o.result and o.result.ci_reaches_95
                else None,
                "range": [o.result.ci_low, o.result.ci_high] if o.result else None,
                "n": [o.result.n_platform, o.result.n_baseline] if o.result else None,
                "statement": o.text,
            }
            for o in data["overheads"]
        ],
    }


class BenchmarkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BenchmarkSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.benchmarks_with_metrics()

    @extend_schema(
        parameters=[
            OpenApiParameter("metric", str, description="Metric slug (default: the first)."),
            OpenApiParameter("platforms", str, description="Comma-separated platform slugs."),
            OpenApiParameter("environment", str, description="Hardware fingerprint."),
            OpenApiParameter("guest_os", str),
            OpenApiParameter("vcpus", int),
            OpenApiParameter(
                "variant",
                str,
                description="A workload variant (other parameters than the recommended "
                "command); default: the recommended workload.",
            ),
            OpenApiParameter(
                "paid",
                str,
                description="`hide`: leave out results from vendor or sponsored sources.",
            ),
        ],
        responses={200: OpenApiResponse(description="Statistics per platform and vs bare metal.")},
    )
    @action(detail=True)
    def summary(self, request, slug=None):
        benchmark = self.get_object()
        filters = ChartForm(request.query_params).query()
        data = selectors.benchmark_chart(benchmark, filters, figures=False)
        if data is None:
            raise NotFound(
                f"{benchmark.slug} has no metric {request.query_params.get('metric')!r}."
            )
        return Response(_summary_json(data))


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RunSerializer
    filterset_class = RunFilter
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]
    throttle_scope = "submissions"

    def get_queryset(self):
        return selectors.runs_for_api()

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.action == "create" else []

    @extend_schema(
        request={
            "application/json": RunSubmissionSerializer,
            "multipart/form-data": RunSubmissionSerializer,
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Same key with the same body returns the stored run; "
                "with a different body, 409.",
            )
        ],
        examples=[
            OpenApiExample(
                "Normalized results",
                request_only=True,
                value={
                    "format": "normalized",
                    "platform": "kvm",
                    "release": "11.1",
                    "environment": {"cpu_model": "AMD EPYC 7443P", "cores": 24, "memory_gb": 256},
                    "vm": {"vcpus": 8, "memory_gb": 16, "guest_os": "Debian 12"},
                    "benchmark": "sysbench-cpu",
                    "results": [
                        {"metric": "events-per-second", "value": 1234.5, "unit": "events/s"}
                    ],
                },
            ),
            OpenApiExample(
                "Raw sysbench output",
                request_only=True,
                value={
                    "format": "sysbench",
                    "platform": "bare-metal",
                    "environment": {"cpu_model": "AMD EPYC 7443P", "cores": 24},
                    "raw": "sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)\n...",
                },
            ),
            OpenApiExample(
                "Unknown platform",
                response_only=True,
                status_codes=["400"],
                value={
                    "detail": "platform: Unknown platform 'esx'; known: hyper-v, vmware-esxi, ...",
                    "errors": {"platform": ["Unknown platform 'esx'; known: hyper-v, ..."]},
                },
            ),
        ],
        responses={
            201: RunSerializer,
            200: OpenApiResponse(RunSerializer, description="Identical content already stored."),
            400: OpenApiResponse(ERROR_SHAPE, description="Invalid submission."),
            401: OpenApiResponse(ERROR_SHAPE, description="No or invalid token."),
            409: OpenApiResponse(
                ERROR_SHAPE,
                description="Idempotency-Key reused with another body, or the same measurement "
                "already stored for another platform or release.",
            ),
            411: OpenApiResponse(ERROR_SHAPE, description="No Content-Length (chunked body)."),
            413: OpenApiResponse(ERROR_SHAPE, description="Body or raw output too large."),
        },
    )
    def create(self, request, *args, **kwargs):
        length = request.headers.get("content-length") or ""
        if not length.isascii() or not length.isdigit():
            # WSGI servers pass a chunked body on without a length, and Django reads such a
            # body as empty: say so instead of answering that the (unread) body is invalid.
            raise LengthRequired()
        if int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            # The one body-size check, before anything is read: every parser's stream ends
            # at the Content-Length (the tool output's own limit is the serializer's).
            raise SubmissionError(
                {"body": [f"Over the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} byte limit."]},
                status_code=413,
            )
        multipart = request.content_type.startswith("multipart/form-data")
        payload = _multipart_payload(request) if multipart else request.data
        serializer = RunSubmissionSerializer(
            data=payload, context={"raw_from_file": multipart and "file" in request.FILES}
        )
        serializer.is_valid(raise_exception=True)  # SubmissionInvalid: 400 or 413
        key = request.headers.get("Idempotency-Key", "")[:200]
        try:
            run, created = run_submit(
                user=request.user, prepared=serializer.validated_data, idempotency_key=key
            )
        except (IdempotencyConflict, DuplicateMeasurement) as exc:
            raise Conflict(str(exc)) from exc
        if not created:
            run = selectors.runs_for_api().get(pk=run.pk)
        body = RunSerializer(run, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
