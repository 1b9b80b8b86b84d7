import json

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from portal.api_parsers import SafeJSONParser

from . import selectors
from .serializers import BenchmarkSerializer, RunSerializer, RunSubmissionSerializer
from .services import IdempotencyConflict, SubmissionInvalid, submit_run

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


def _multipart_payload(request) -> dict:
    """Form fields plus the uploaded file, in the same shape as a JSON submission."""
    data: dict = {}
    for key in request.data:
        if key == "file":
            continue
        value = request.data.get(key)
        if key in {"environment", "vm", "results"}:
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise SubmissionError({key: [f"Expected JSON in this form field: {exc}"]}) from exc
        data[key] = value
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > settings.BENCHMARK_RAW_MAX_BYTES:
            raise SubmissionError(
                {"file": [f"File is over the {settings.BENCHMARK_RAW_MAX_BYTES} byte limit."]},
                status_code=413,
            )
        try:
            data["raw"] = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError({"file": ["File is not UTF-8 text."]}) from exc
    return data


class BenchmarkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BenchmarkSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.benchmarks_with_metrics()


class RunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RunSerializer
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
        responses={
            201: RunSerializer,
            200: OpenApiResponse(RunSerializer, description="Identical content already stored."),
            400: OpenApiResponse(ERROR_SHAPE, description="Invalid submission."),
            401: OpenApiResponse(ERROR_SHAPE, description="No or invalid token."),
            409: OpenApiResponse(ERROR_SHAPE, description="Idempotency-Key reused."),
            413: OpenApiResponse(ERROR_SHAPE, description="Body or raw output too large."),
        },
    )
    def create(self, request, *args, **kwargs):
        content_length = int(request.META.get("CONTENT_LENGTH") or 0)
        if content_length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise SubmissionError(
                {"body": [f"Over the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} byte limit."]},
                status_code=413,
            )
        if request.content_type.startswith("multipart/form-data"):
            payload = _multipart_payload(request)
        else:
            payload = request.data
        key = request.headers.get("Idempotency-Key", "")[:200]
        try:
            run, created = submit_run(user=request.user, data=payload, idempotency_key=key)
        except SubmissionInvalid as exc:
            raise SubmissionError(exc.errors, exc.status) from exc
        except IdempotencyConflict as exc:
            raise Conflict(str(exc)) from exc
        run = selectors.runs_for_api().get(pk=run.pk)
        body = RunSerializer(run, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
