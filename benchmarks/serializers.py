from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from . import submission as checks
from .lookups import Lookups
from .models import Benchmark, Environment, Metric, Result, Run, hardware_fingerprint
from .submission import ENVIRONMENT_FIELDS, PreparedRun, ResultRow, SubmissionInvalid
from .validation import Column, Errors, clean_fields, clean_flag, column
from .workloads import variant_of


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
    """The stored run as the API returns it (output only; RunSubmissionSerializer reads input)."""

    benchmark = serializers.CharField(source="benchmark.slug")
    platform = serializers.CharField(source="platform.slug")
    release = serializers.CharField(source="release.version")
    environment = EnvironmentSerializer()
    vm = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    raw_url = serializers.SerializerMethodField()
    # A field named like Field.source: declared fields are collected apart from attributes.
    source = serializers.SerializerMethodField()  # type: ignore[assignment]
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


class _ColumnsSerializer(serializers.Serializer):
    """A nested JSON object whose fields are checked against the columns they are stored in
    (validation.clean_fields); errors are named `<field>.<key>`. Null or absent: {}."""

    def columns(self) -> dict[str, Column]:
        raise NotImplementedError

    def run_validation(self, data: Any = empty) -> dict[str, Any]:
        return self.to_internal_value(None if data is empty else data)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        errors = Errors()
        where = self.field_name or ""
        clean = clean_fields(data, self.columns(), where=where, errors=errors)
        self.check(clean, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return clean

    def check(self, clean: dict[str, Any], errors: Errors) -> None:
        """Checks across the object's fields (none by default)."""


class HostFactsSerializer(_ColumnsSerializer, serializers.ModelSerializer):
    """The host the run was measured on; runs on the same hardware are compared."""

    # A ModelSerializer: the Environment model gives the documented types and limits.

    class Meta:
        model = Environment
        fields = list(ENVIRONMENT_FIELDS)

    def columns(self) -> dict[str, Column]:
        return checks.environment_columns()

    def check(self, clean: dict[str, Any], errors: Errors) -> None:
        if not clean.get("cpu_model") and f"{self.field_name}.cpu_model" not in errors:
            errors.add(
                f"{self.field_name}.cpu_model", "Required: the host CPU model (e.g. from lscpu)."
            )


class VmShapeSerializer(_ColumnsSerializer):
    """The VM the run was measured in."""

    # Stored in the Run's vm_* columns (submission.VM_FIELDS), which the checks read.

    vcpus = serializers.IntegerField(required=False, min_value=1)
    memory_gb = serializers.FloatField(required=False)
    guest_os = serializers.CharField(required=False)
    guest_kernel = serializers.CharField(required=False)
    disk_type = serializers.CharField(required=False)
    network_type = serializers.CharField(required=False)
    paravirtual_drivers = serializers.CharField(required=False)

    def columns(self) -> dict[str, Column]:
        return checks.vm_columns()


class RunSubmissionSerializer(serializers.Serializer):
    """A benchmark run: a tool's output (`raw`, or `file` in a multipart body) or typed-in
    figures (`normalized`), with the platform, host and VM it was measured on."""

    # validated_data is a PreparedRun: checked, parsed and fingerprinted completely, with
    # every problem named per field; nothing is written. Context: `lookups` (a Lookups; a
    # bulk import passes one for all its items and validates each with run_validation, as
    # a ListSerializer does) and `raw_from_file` (the multipart upload is the tool's
    # output). Errors raise SubmissionInvalid: 400, or 413 when the output is too large.

    format = serializers.ChoiceField(choices=Run.Format.choices)
    platform = serializers.CharField(help_text="A platform slug, e.g. hyper-v or bare-metal.")
    release = serializers.CharField(required=False, help_text="A release version, e.g. 2025.")
    environment = HostFactsSerializer(help_text="The host; cpu_model is required.")
    vm = VmShapeSerializer(required=False, help_text="The VM's shape.")
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

    _validated_data: PreparedRun | dict[str, Any]  # {} after errors, as DRF leaves it

    def is_valid(self, *, raise_exception: bool = False) -> bool:
        # DRF's own is_valid re-raises a plain 400 ValidationError: the 413 would be lost.
        try:
            self._validated_data = self.run_validation(self.initial_data)
            self._errors = {}
        except SubmissionInvalid as exc:
            self._validated_data, self._errors = {}, exc.errors
            if raise_exception:
                raise
        return not self._errors

    def run_validation(self, data: Any = empty) -> PreparedRun:
        # Every check, the empty body's included, is to_internal_value's (one error shape).
        return self.to_internal_value(None if data is empty else data)

    def to_internal_value(self, data: Any) -> PreparedRun:
        if not isinstance(data, dict):
            raise SubmissionInvalid({"non_field_errors": ["Expected a JSON object."]})
        lookups: Lookups = self.context.get("lookups") or Lookups()
        errors = Errors()
        for key in data:
            if key not in checks.TOP_LEVEL_FIELDS:
                errors.add(str(key)[:60], "Unknown field.")
        fmt = data.get("format")
        fmt = fmt if isinstance(fmt, str) else ""
        if fmt not in checks.FORMATS:
            errors.add("format", f"Expected one of {', '.join(sorted(checks.FORMATS))}.")
        platform, release = checks.platform_release(data, lookups, errors)
        environment = self._nested("environment", data, errors)
        vm = self._nested("vm", data, errors)
        text = self._texts(data, errors)
        approximate = clean_flag(data.get("approximate"), field="approximate", errors=errors)
        source = self._source(data, lookups, errors)
        measured = self._measurement(fmt, data, text, lookups, errors)
        if errors:
            raise SubmissionInvalid(errors)
        benchmark, results, identity, workload, raw = measured
        # No errors: each was found (a missing one is an error).
        assert benchmark is not None
        assert platform is not None
        assert release is not None
        host = hardware_fingerprint(environment)
        if fmt == "normalized":
            identity = checks.normalized_identity(
                platform=platform.slug,
                release=release.version,
                host=host,
                vm={checks.VM_FIELDS[k]: v for k, v in vm.items()},
                source=source.key if source else "",
                notes=text["notes"],
            )
        return PreparedRun(
            benchmark=benchmark,
            platform=platform,
            release=release,
            environment=environment,
            vm=vm,
            results=results,
            raw_format=fmt,
            raw_payload=raw,
            content_hash=checks.content_hash(data),
            measurement_hash=checks.measurement_hash(
                benchmark.slug,
                [(r.metric.slug, r.job, r.value, r.stddev, r.percentiles) for r in results],
                identity,
            ),
            workload=workload,
            variant=variant_of(benchmark.workload or {}, workload),
            approximate=approximate,
            source=source,
            host=host,
            **text,
        )

    def _nested(self, name: str, data: dict, errors: Errors) -> dict[str, Any]:
        try:
            return self.fields[name].run_validation(data.get(name))
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {name: exc.detail}
            for field, messages in detail.items():
                errors.setdefault(field, []).extend(str(m) for m in messages)
            return {}

    @staticmethod
    def _texts(data: dict, errors: Errors) -> dict[str, str]:
        return {
            "notes": checks.optional_text(data, "notes", errors, checks.NOTES_MAX),
            "tool_version": checks.optional_text(
                data, "tool_version", errors, column(Run, "tool_version").max_length
            ),
            "command_line": checks.optional_text(data, "command_line", errors, 2000),
        }

    @staticmethod
    def _source(data: dict, lookups: Lookups, errors: Errors):
        if data.get("source") is None:
            return None
        key = checks.clean_slug(data, "source", errors, "Expected a source key.")
        source = lookups.source(key) if key else None
        if key and source is None:
            errors.add("source", f"Unknown source key {key!r}.")
        return source

    def _measurement(self, fmt: str, data: dict, text: dict, lookups: Lookups, errors: Errors):
        """(benchmark, results, identity, workload, raw text) of a tool's output or of
        typed-in figures; the version and command line a tool's output records fill in
        `text` where the submission did not say."""
        benchmark: Benchmark | None = None
        results: list[ResultRow] = []
        identity, workload, raw = "", {}, ""
        if fmt in checks.TOOL_FORMATS:
            from_file = bool(self.context.get("raw_from_file"))
            raw = checks.raw_text(data.get("raw"), fmt, errors, from_file=from_file)
            if raw:
                system = checks.system_name(data, fmt, errors)
                benchmark, results, parsed = checks.tool_results(fmt, raw, lookups, errors, system)
                if parsed is not None:
                    text["tool_version"] = text["tool_version"] or checks.parsed_text(
                        parsed.tool_version, "raw (tool version)", errors, 80
                    )
                    text["command_line"] = text["command_line"] or checks.parsed_text(
                        parsed.command_line, "raw (command line)", errors, None
                    )
                    identity, workload = parsed.identity, dict(parsed.workload)
        elif fmt == "normalized":
            benchmark, results = checks.normalized_results(data, errors, lookups)
            workload = checks.clean_workload(data.get("workload"), errors)
            raw = json.dumps(
                {"benchmark": data.get("benchmark"), "results": data.get("results")},
                sort_keys=True,
            )
        return benchmark, results, identity, workload, raw
