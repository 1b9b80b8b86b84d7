"""Prices as sourced claims: what a platform's licence or support costs, with its minimums."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from comparisons.models import Platform, Source


class PricePointQuerySet(models.QuerySet):
    def usable(self) -> PricePointQuerySet:
        """What the calculator prices with: published, disputed and outdated points, not drafts."""
        return self.exclude(status=PricePoint.Status.DRAFT)


class PricePoint(models.Model):
    class Role(models.TextChoices):
        LICENCE = "licence", _("Platform licence or subscription")
        SUPPORT = "support", _("Support subscription")
        GUEST_LICENCE = "guest-licence", _("Guest operating-system licence")
        MINIMUM = "minimum", _("Minimum-order rule")
        OPTION = "option", _("Alternative offer (not in the totals)")

    class Unit(models.TextChoices):
        PER_CORE_YEAR = "per-core-year", _("per core per year")
        PER_CORE_MONTH = "per-core-month", _("per core per month")
        PER_SOCKET_YEAR = "per-socket-year", _("per CPU socket per year")
        PER_SOCKET_MONTH = "per-socket-month", _("per CPU socket per month")
        PER_HOST_YEAR = "per-host-year", _("per host per year")
        PER_16_CORES = "per-16-cores", _("per 16 core licences (one-off)")
        ONE_OFF = "one-off", _("one-off")
        NONE = "none", _("no charge")

    class Kind(models.TextChoices):
        LIST = "list", _("List price")
        REPORTED = "reported", _("Reported price (not from the vendor)")
        FREE = "free", _("Free")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISPUTED = "disputed", _("Disputed")
        OUTDATED = "outdated", _("Outdated")

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    key = models.SlugField(max_length=80, unique=True)
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="price_points")
    product = models.CharField(max_length=160, help_text="Product and edition or tier.")
    role = models.CharField(max_length=20, choices=Role.choices)
    tier = models.CharField(
        max_length=20, blank=True, help_text="Support tier this point prices (blank: any)."
    )
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Empty when no source gives a price: the calculator says 'unknown', never 0.",
    )
    currency = models.CharField(max_length=3, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    min_cores_per_cpu = models.PositiveIntegerField(null=True, blank=True)
    min_cores_per_server = models.PositiveIntegerField(null=True, blank=True)
    min_cores_per_order = models.PositiveIntegerField(null=True, blank=True)
    includes = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = PricePointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform__position", "position", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="price_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="price_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | ~Q(note=""),
                name="price_unknown_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name}: {self.product}"

    def clean(self) -> None:
        if self.amount is not None and not self.currency:
            raise ValidationError({"currency": "A price needs its currency."})
        if self.amount is None and not self.note:
            raise ValidationError({"note": "Say what was searched when no price was found."})


class PriceCitation(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        DISPUTES = "disputes", _("Disputes")

    price = models.ForeignKey(PricePoint, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="price_citations")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    locator = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["price", "stance", "id"]
        constraints = [
            models.UniqueConstraint(fields=["price", "source"], name="price_citation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.price} ← {self.source}"


class ScenarioEstate(models.Model):
    """The typical estate a recommendation scenario is costed for (fixtures/scenarios.yaml)."""

    scenario = models.OneToOneField(
        "comparisons.Scenario", on_delete=models.CASCADE, related_name="estate"
    )
    hosts = models.PositiveIntegerField()
    sockets = models.PositiveIntegerField()
    cores = models.PositiveIntegerField(help_text="Cores per socket.")
    windows_vms = models.PositiveIntegerField(default=0)
    linux_vms = models.PositiveIntegerField(default=0)
    years = models.PositiveIntegerField(default=3)
    support = models.CharField(max_length=20, default="none")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hosts__gte=1) & Q(sockets__gte=1) & Q(cores__gte=1) & Q(years__gte=1),
                name="estate_sizes_at_least_one",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.hosts} × {self.sockets} × {self.cores}"
