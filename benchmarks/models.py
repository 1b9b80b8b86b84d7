"""Benchmarks, their metrics, the hosts they ran on, and every submitted run with its results."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comparisons.models import Platform, Release, Source


class Benchmark(models.Model):
    class Area(models.TextChoices):
        CPU = "cpu", _("CPU")
        MEMORY = "memory", _("Memory")
        STORAGE = "storage", _("Storage")
        NETWORK = "network", _("Network")
        APPLICATION = "application", _("Applications")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    tool = models.CharField(max_length=30)
    area = models.CharField(max_length=12, choices=Area.choices, default=Area.APPLICATION)
    description = models.TextField(blank=True)
    link = models.URLField(blank=True)
    command = models.TextField(blank=True, help_text="The recommended invocation.")
    workload = models.JSONField(
        default=dict,
        blank=True,
        help_text="The recommended command's parameters as the tool records them; runs with "
        "other values are variants.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benchmark-detail", args=[self.slug])


class Metric(models.Model):
    class Better(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="metrics")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=20)
    better = models.CharField(max_length=10, choices=Better.choices)
    relative_to = models.SlugField(
        max_length=60,
        blank=True,
        help_text="For a percentage of another platform's figure on the same host (a source "
        "that reports only the ratio): that platform's slug.",
    )
    ceiling = models.FloatField(
        null=True,
        blank=True,
        help_text="Values above this are refused as physically impossible "
        "(fixtures/benchmarks/ceilings.yaml).",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["benchmark", "position"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "slug"], name="metric_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.benchmark.slug}:{self.slug} ({self.unit})"


HARDWARE_FIELDS = ("cpu_model", "sockets", "cores", "threads", "memory_gb", "storage", "nic")


def hardware_fingerprint(facts: dict) -> str:
    """Same hardware → same fingerprint, whatever the spelling of spaces and case."""
    normalized = {
        key: " ".join(str(facts.get(key) or "").lower().split()) for key in HARDWARE_FIELDS
    }
    return hashlib.sha256(json.dumps(normalized, sort_keys=True).encode()).hexdigest()[:32]


class Environment(models.Model):
    """The host hardware; runs on the same fingerprint are compared with each other."""

    fingerprint = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120, blank=True)
    cpu_model = models.CharField(max_length=200)
    sockets = models.PositiveSmallIntegerField(null=True, blank=True)
    cores = models.PositiveIntegerField(null=True, blank=True)
    threads = models.PositiveIntegerField(null=True, blank=True)
    memory_gb = models.FloatField(null=True, blank=True)
    storage = models.CharField(max_length=200, blank=True)
    nic = models.CharField(max_length=200, blank=True)
    nic_speed_gbps = models.FloatField(null=True, blank=True)
    bios_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["cpu_model"]

    def __str__(self) -> str:
        return self.name or f"{self.cpu_model} · {self.cores or '?'} cores · {self.memory_gb} GB"

    def get_absolute_url(self) -> str:
        return reverse("benchmark-host", args=[self.pk])


class RunQuerySet(models.QuerySet):
    def accepted(self) -> RunQuerySet:
        return self.filter(status=Run.Status.ACCEPTED)


class Run(models.Model):
    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        FLAGGED = "flagged", _("Flagged for review")
        REJECTED = "rejected", _("Rejected")

    class Format(models.TextChoices):
        FIO = "fio-json", _("fio JSON")
        IPERF3 = "iperf3-json", _("iperf3 JSON")
        SYSBENCH = "sysbench", _("sysbench text")
        STRESS_NG = "stress-ng-yaml", _("stress-ng YAML")
        PHORONIX = "phoronix-composite", _("Phoronix Test Suite composite.xml")
        NORMALIZED = "normalized", _("Normalized JSON")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="runs")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="runs")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="runs")
    environment = models.ForeignKey(Environment, on_delete=models.PROTECT, related_name="runs")
    guest_os = models.CharField(max_length=120, blank=True)
    guest_kernel = models.CharField(max_length=120, blank=True)
    vm_vcpus = models.PositiveIntegerField(null=True, blank=True)
    vm_memory_gb = models.FloatField(null=True, blank=True)
    vm_disk_type = models.CharField(max_length=80, blank=True)
    vm_network_type = models.CharField(max_length=80, blank=True)
    paravirtual_drivers = models.CharField(max_length=200, blank=True)
    tool_version = models.CharField(max_length=80, blank=True)
    command_line = models.TextField(blank=True)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
        help_text="The publication a re-entered result comes from.",
    )
    approximate = models.BooleanField(
        default=False,
        help_text="Figures read off a published chart or rounded in its text, not exact.",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    raw_format = models.CharField(max_length=20, choices=Format.choices)
    raw_payload = models.TextField(help_text="Exactly what was submitted.")
    content_hash = models.CharField(
        max_length=64, help_text="The request as sent (compared on an Idempotency-Key repeat)."
    )
    measurement_hash = models.CharField(
        max_length=64,
        unique=True,
        help_text="The measurement whatever wraps it: results and the tool's own record of "
        "the execution (benchmarks.submission.measurement_hash).",
    )
    idempotency_key = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    status_reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    workload = models.JSONField(
        default=dict, blank=True, help_text="The parameters the tool recorded for this run."
    )
    variant = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the workload differs from the benchmark's recommended one "
        '("iodepth=1, numjobs=4"); "" for the recommended workload. Compared only within it.',
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitter", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="run_unique_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["benchmark", "status", "platform"]),
            models.Index(fields=["environment", "benchmark"]),
            models.Index(fields=["benchmark", "variant"]),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk}: {self.benchmark.slug} on {self.platform.slug}"

    def get_absolute_url(self) -> str:
        return reverse("run-detail", args=[self.pk])


class Result(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="results")
    job = models.CharField(max_length=120, blank=True, help_text="Empty for the whole run.")
    value = models.FloatField()
    stddev = models.FloatField(null=True, blank=True)
    percentiles = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "metric__position", "job"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="result_value_non_negative"),
            models.UniqueConstraint(fields=["run", "metric", "job"], name="result_unique"),
        ]
        indexes = [models.Index(fields=["metric", "job"])]

    def __str__(self) -> str:
        return f"{self.metric.slug}={self.value} {self.metric.unit}"
