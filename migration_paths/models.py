"""How to get from one platform to another: paths, their methods, and the sourced statements
that describe each method.

The statements reuse the catalogue's machinery rather than forking it: their citations point
at the same `comparisons.Source` rows the feature claims cite (one list of sources, one
checked date per page), and status, confidence and stance are the claim's own choices. A
feature claim is keyed by (platform, feature, release); a migration statement belongs to a
method of a pair of platforms, so it has its own small table beside `Claim` instead of
widening `Claim` or `Citation` for every branch that reads them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from comparisons.models import Citation, Claim, Platform, Source

Status = Claim.Status
Confidence = Claim.Confidence


class Mode(models.TextChoices):
    """How long the workload is down; the order is from best to worst."""

    LIVE = "live", _("Live (no downtime)")
    WARM = "warm", _("Warm (copy while running, short cut-over)")
    COLD = "cold", _("Cold (powered off during the copy)")
    UNKNOWN = "unknown", _("Mode not documented")


MODE_RANK = {Mode.LIVE: 0, Mode.WARM: 1, Mode.COLD: 2, Mode.UNKNOWN: 3}


class MigrationPathQuerySet(models.QuerySet):
    def between(self, source: str, target: str) -> MigrationPathQuerySet:
        return self.filter(source__slug=source, target__slug=target)


class MigrationPath(models.Model):
    source = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="paths_out")
    target = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="paths_in")
    summary = models.TextField(
        blank=True, help_text="What a reader should know first; says so when no tool exists."
    )

    objects = MigrationPathQuerySet.as_manager()
    # The per-language columns come from django-modeltranslation (translation.py); the
    # history keeps the source (English) text, as the catalogue's does.
    history = HistoricalRecords(excluded_fields=["summary_en", "summary_zh_hans"])

    class Meta:
        ordering = ["source__position", "target__position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="path_unique_pair"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="path_two_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("migrate-pair", args=[self.source.slug, self.target.slug])


class MigrationMethod(models.Model):
    class Kind(models.TextChoices):
        VENDOR_TOOL = "vendor-tool", _("Vendor tool")
        OPEN_SOURCE = "open-source", _("Open-source tool")
        BACKUP_RESTORE = "backup-restore", _("Backup and restore")
        MANUAL = "manual", _("By hand (export, convert, re-create)")

    path = models.ForeignKey(MigrationPath, on_delete=models.CASCADE, related_name="methods")
    slug = models.SlugField(max_length=80)
    tool = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    mode = models.CharField(max_length=10, choices=Mode, default=Mode.UNKNOWN)
    source_versions = models.CharField(
        max_length=120, blank=True, help_text="Source releases it is documented for, as written."
    )
    target_versions = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["path", "position"]
        constraints = [
            models.UniqueConstraint(fields=["path", "slug"], name="method_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.path}: {self.tool}"


class MigrationStatement(models.Model):
    """One sourced sentence about a method: what it converts, what is left by hand, a limit,
    the licence it needs, what its downtime was measured or said to be."""

    class Topic(models.TextChoices):
        MODE = "mode", _("Mode")
        CONVERTS = "converts", _("Converts")
        MANUAL = "manual", _("Left to do by hand")
        LIMIT = "limit", _("Limits")
        LICENCE = "licence", _("Licence")
        DOWNTIME = "downtime", _("Downtime")

    method = models.ForeignKey(MigrationMethod, on_delete=models.CASCADE, related_name="statements")
    topic = models.CharField(max_length=10, choices=Topic.choices)
    text = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["text_en", "text_zh_hans"])

    class Meta:
        ordering = ["method", "position"]

    def __str__(self) -> str:
        return self.text

    def publish(self) -> None:
        """Publish; refused without a supporting citation (the catalogue's data rule)."""
        if not self.citations.filter(stance=Citation.Stance.SUPPORTS).exists():
            raise ValidationError("A published statement needs at least one supporting citation.")
        self.status = Status.PUBLISHED
        self.reviewed_at = timezone.now()
        self.save()


class StatementCitation(models.Model):
    """A statement's evidence: the same fields as a claim's citation, on the same sources."""

    statement = models.ForeignKey(
        MigrationStatement, on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="migration_citations")
    locator = models.CharField(max_length=300, blank=True)
    quote = models.TextField(blank=True)
    stance = models.CharField(
        max_length=12, choices=Citation.Stance.choices, default=Citation.Stance.SUPPORTS
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_stance_display()})"
