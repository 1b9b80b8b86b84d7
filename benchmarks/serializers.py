from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Benchmark, Environment, Metric, Result, Run
from .submission import ENVIRONMENT_FIELDS


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = ["slug", "name", "unit", "better", "ceiling"]


class BenchmarkSerializer(serializers.ModelSerializer):
    metrics = MetricSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Benchmark
        fields = [
            "slug",
            "name",
            "tool",
            "description",
            "link",
            "command",
            "workload",
            "url",
            "metrics",
        ]

    def get_url(self, benchmark) -> str:
        return benchmark.get_absolute_url()


class EnvironmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Environment
        fields = ["fingerprint", *ENVIRONMENT_FIELDS]


class ResultSerializer(serializers.ModelSerializer):
    metric = serializers.CharField(source="metric.slug")
    unit = serializers.CharField(source="metric.unit")

    class Meta:
        model = Result
        fields = ["metric", "value", "unit", "job", "stddev", "percentiles"]


class RunSerializer(serializers.ModelSerializer):
    """The stored run as the API returns it (output only; input is validated by the service)."""

    benchmark = serializers.CharField(source="benchmark.slug")
    platform = serializers.CharField(source="platform.slug")
    release = serializers.CharField(source="release.version")
    environment = EnvironmentSerializer()
    vm = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    raw_url = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    results = ResultSerializer(many=True)

    class Meta:
        model = Run
        fields = [
            "id",
            "url",
            "status",
            "status_reason",
            "benchmark",
            "platform",
            "release",
            "environment",
            "vm",
            "tool_version",
            "command_line",
            "raw_format",
            "raw_url",
            "source",
            "approximate",
            "submitted_at",
            "notes",
            "workload",
            "variant",
            "results",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "vcpus": {"type": "integer", "nullable": True},
                "memory_gb": {"type": "number", "nullable": True},
                "guest_os": {"type": "string"},
                "guest_kernel": {"type": "string"},
                "disk_type": {"type": "string"},
                "network_type": {"type": "string"},
                "paravirtual_drivers": {"type": "string"},
            },
        }
    )
    def get_vm(self, run) -> dict:
        return {
            "vcpus": run.vm_vcpus,
            "memory_gb": run.vm_memory_gb,
            "guest_os": run.guest_os,
            "guest_kernel": run.guest_kernel,
            "disk_type": run.vm_disk_type,
            "network_type": run.vm_network_type,
            "paravirtual_drivers": run.paravirtual_drivers,
        }

    def get_url(self, run) -> str:
        return run.get_absolute_url()

    def get_raw_url(self, run) -> str:
        return f"{run.get_absolute_url()}raw"

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"key": {"type": "string"}, "url": {"type": "string"}},
        }
    )
    def get_source(self, run) -> dict | None:
        if run.source is None:
            return None
        return {"key": run.source.key, "url": run.source.url, "title": run.source.title}


class RunSubmissionSerializer(serializers.Serializer):
    """Documents the submission body; the submission service does the validation."""

    format = serializers.ChoiceField(choices=Run.Format.choices)
    platform = serializers.CharField(help_text="A platform slug, e.g. hyper-v or bare-metal.")
    release = serializers.CharField(required=False, help_text="A release version, e.g. 2025.")
    environment = serializers.DictField(
        help_text="Host facts: cpu_model (required), sockets, cores, threads, memory_gb, "
        "storage, nic, nic_speed_gbps, bios_notes, name."
    )
    vm = serializers.DictField(
        required=False,
        help_text="VM shape: vcpus, memory_gb, guest_os, guest_kernel, disk_type, "
        "network_type, paravirtual_drivers.",
    )
    raw = serializers.JSONField(
        required=False, help_text="The tool's output (JSON object or text), tool formats only."
    )
    file = serializers.FileField(
        required=False, help_text="Multipart only: the tool's output as a file."
    )
    benchmark = serializers.CharField(required=False, help_text="Normalized format only.")
    results = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Normalized format only: [{metric, value, unit, job?, stddev?}].",
    )
    workload = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Normalized format only: the parameters the figures were measured with, in "
        "the benchmark's names (see `workload` of GET /api/v1/benchmarks/). Other values than "
        "the recommended ones make the run its own variant. Tool outputs record their own.",
    )
    notes = serializers.CharField(required=False)
