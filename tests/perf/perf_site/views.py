"""Baselines: the least work that could answer the same request through the same stack."""

from django.db import connection
from django.shortcuts import render
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from portal.api_parsers import SafeJSONParser

SCRATCH_TABLE = "perf_scratch_submission"
CONSTANT = [
    {"id": i, "platform": "kvm", "feature": f"feature-{i}", "support": "full", "value": None}
    for i in range(100)
]


def static_page(request):
    """A template with no tags, as many bytes as the matrix page, through every middleware."""
    return render(request, "perf_static.html")


class ConstantList(APIView):
    """The API's authentication, permission and pagination-free response of 100 items."""

    def get(self, request):
        return Response({"count": len(CONSTANT), "results": CONSTANT})


class ScratchRow(serializers.Serializer):
    benchmark = serializers.SlugField()
    platform = serializers.SlugField()
    value = serializers.FloatField()


class MinimalInsert(APIView):
    """Token auth, the submission throttle and JSON parser; validate, insert one row."""

    parser_classes = [SafeJSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "submissions"

    def post(self, request):
        row = ScratchRow(data=request.data)
        row.is_valid(raise_exception=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SCRATCH_TABLE} (benchmark, platform, value) VALUES (%s, %s, %s)",
                [
                    row.validated_data["benchmark"],
                    row.validated_data["platform"],
                    row.data["value"],
                ],
            )
        return Response(row.validated_data, status=201)
