"""The curated catalogue: platforms, releases, features, sources, claims and fact checks."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .matrix import STALE_AFTER_DAYS, range_label


class Vendor(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    homepage = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlatformQuerySet(models.QuerySet):
    def hypervisors(self) -> PlatformQuerySet:
        return self.filter(is_baseline=False)


class Platform(models.Model):
    class Kind(models.TextChoices):
        TYPE1 = "type1", _("Type 1 (bare-metal) hypervisor")
        KERNEL_MODULE = "kernel-module", _("Kernel-based hypervisor")
        HOSTED = "hosted", _("Hosted (type 2) hypervisor")
        BASELINE = "baseline", _("Bare metal (baseline)")

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="platforms")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField(blank=True)
    homepage = models.URLField(blank=True)
    is_baseline = models.BooleanField(default=False)
    # Other names readers type for it (hyperv, esxi, pve): URLs with them redirect to the slug.
    aliases = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("platform-detail", args=[self.slug])


class Release(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="releases")
    version = models.CharField(max_length=40)
    released = models.DateField(null=True, blank=True)
    end_of_support = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Oldest first.")

    class Meta:
        ordering = ["platform__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "version"], name="release_unique_version"),
            models.UniqueConstraint(
                fields=["platform"], condition=Q(is_current=True), name="release_one_current"
            ),
            models.CheckConstraint(
                condition=Q(end_of_support__isnull=True)
                | Q(released__isnull=True)
                | Q(end_of_support__gte=models.F("released")),
                name="release_support_ends_after_release",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.version}"

    def support_status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.end_of_support is None:
            return _("supported") if self.released else _("unknown")
        return _("supported") if self.end_of_support >= today else _("end of support")


class Edition(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="editions")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["platform__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "name"], name="edition_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.name}"


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Feature(models.Model):
    class Kind(models.TextChoices):
        SUPPORT = "support", _("Support level")
        NUMBER = "number", _("Number with unit")
        TEXT = "text", _("Text")

    class Better(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    slug = models.SlugField(unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="features")
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SUPPORT)
    unit = models.CharField(max_length=30, blank=True)
    better = models.CharField(max_length=10, choices=Better.choices, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    # How much a difference in this feature matters when differences are ranked (3 = a
    # difference here often decides a choice, 1 = rarely matters); kept in categories.yaml.
    importance = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    position = models.PositiveIntegerField(default=0)

    # The per-language columns come from django-modeltranslation after this model is built;
    # the history keeps the source (English) text.
    history = HistoricalRecords(
        excluded_fields=["name_en", "name_zh_hans", "description_en", "description_zh_hans"]
    )

    class Meta:
        ordering = ["category__position", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="number") | (~Q(unit="") & ~Q(better="")),
                name="feature_number_has_unit_and_direction",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    # Best first: a claim shows its sources in this order (see SOURCE_KIND_RANK).
    class Kind(models.TextChoices):
        VENDOR_DOC = "vendor-doc", _("Vendor documentation")
        SOURCE_CODE = "source-code", _("Source code")
        RELEASE_NOTES = "release-notes", _("Release notes")
        KB = "kb", _("Vendor knowledge-base article")
        STANDARDS = "standards", _("Standards body")
        VENDOR_BLOG = "vendor-blog", _("Vendor blog")
        PAPER = "paper", _("Paper")
        BENCHMARK_REPORT = "benchmark-report", _("Benchmark report")
        PRESS = "press", _("Independent press or blog")
        FORUM = "forum", _("Forum")
        MIRROR = "mirror", _("Mirror or archive copy")

    class Affiliation(models.TextChoices):
        INDEPENDENT = "independent", _("Independent")
        VENDOR = "vendor", _("Vendor")
        SPONSORED = "sponsored", _("Sponsored")

    key = models.SlugField(max_length=80, unique=True)
    url = models.URLField(max_length=600, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    archive_of = models.URLField(
        max_length=600,
        blank=True,
        help_text="For a mirror or archive copy: the canonical URL it copies.",
    )
    published = models.DateField(null=True, blank=True)
    checked = models.DateField(help_text="When someone last read the page and confirmed it.")
    affiliation = models.CharField(
        max_length=12,
        choices=Affiliation.choices,
        blank=True,
        help_text="Who paid for a source of results; empty when not known or not relevant.",
    )
    affiliated_with = models.CharField(
        max_length=120,
        blank=True,
        help_text="The vendor that published it, or the sponsor that commissioned it.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="source_url_is_http",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.archive_of and self.kind != self.Kind.MIRROR:
            raise ValidationError({"archive_of": _("Only a mirror or archive copy has this.")})
        needs_name = self.affiliation in (self.Affiliation.VENDOR, self.Affiliation.SPONSORED)
        if needs_name and not self.affiliated_with.strip():
            raise ValidationError(
                {"affiliated_with": _("Name the vendor or the sponsor of this source.")}
            )
        if not needs_name and self.affiliated_with:
            raise ValidationError(
                {"affiliated_with": _("Only a vendor or sponsored source names who paid.")}
            )

    def affiliation_label(self) -> str:
        """'Independent', 'Vendor: VMware', 'Sponsored by Microsoft', or '' when not known."""
        if self.affiliation == self.Affiliation.VENDOR:
            return _("Vendor: %(who)s") % {"who": self.affiliated_with}
        if self.affiliation == self.Affiliation.SPONSORED:
            return _("Sponsored by %(who)s") % {"who": self.affiliated_with}
        return self.get_affiliation_display() if self.affiliation else ""

    def is_stale(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (today - self.checked).days > STALE_AFTER_DAYS

    @property
    def rank(self) -> int:
        return SOURCE_KIND_RANK.get(self.kind, len(SOURCE_KIND_RANK))


SOURCE_KIND_RANK = {kind: rank for rank, kind in enumerate(Source.Kind.values)}


def best_first_order(prefix: str = "source__") -> list:
    """order_by() terms that list a claim's citations best source first: supporting before
    contradicting, then by the kind of source (vendor documentation before a blog before a
    copy), then in the curator's order."""
    rank = models.Case(
        *(models.When(**{f"{prefix}kind": kind}, then=r) for kind, r in SOURCE_KIND_RANK.items()),
        default=len(SOURCE_KIND_RANK),
        output_field=models.IntegerField(),
    )
    supports = models.Case(
        models.When(stance="supports", then=0), default=1, output_field=models.IntegerField()
    )
    return [supports, rank, "position", "pk"]


class ClaimQuerySet(models.QuerySet):
    def published(self) -> ClaimQuerySet:
        return self.filter(status__in=[Claim.Status.PUBLISHED, Claim.Status.DISPUTED])

    def stale(self, today: datetime.date | None = None) -> ClaimQuerySet:
        """Claims whose sources were all checked more than STALE_AFTER_DAYS ago (the newest
        check counts: one re-read source is enough to keep the claim fresh)."""
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.with_newest_check().filter(newest_check__lt=cutoff)

    def with_newest_check(self) -> ClaimQuerySet:
        return self.annotate(newest_check=Max("citations__source__checked"))


class Claim(models.Model):
    class Support(models.TextChoices):
        FULL = "full", _("Supported")
        PARTIAL = "partial", _("Partly supported")
        NONE = "none", _("Not supported")
        # A feature that does not fit the platform's design (not a missing capability).
        NOT_APPLICABLE = "not-applicable", _("Not applicable")
        # Number features only: the vendor documents no maximum.
        NO_LIMIT = "no-limit", _("No documented limit")
        UNKNOWN = "unknown", _("Unknown")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        DISPUTED = "disputed", _("Disputed")
        RETRACTED = "retracted", _("Retracted")

    class Confidence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="claims")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="claims")
    release_from = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="claims_starting"
    )
    release_until = models.ForeignKey(
        Release,
        on_delete=models.PROTECT,
        related_name="claims_ending",
        null=True,
        blank=True,
        help_text="Last release the claim applies to; empty while it is still true.",
    )
    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    support = models.CharField(max_length=16, choices=Support.choices)
    value = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()
    # As for features: the per-language columns come from django-modeltranslation; the
    # history keeps the source (English) text.
    history = HistoricalRecords(
        excluded_fields=["text_en", "text_zh_hans", "note_en", "note_zh_hans"]
    )

    class Meta:
        ordering = ["platform__position", "feature__category__position", "feature__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "feature", "release_from", "edition"],
                condition=Q(edition__isnull=False),
                name="claim_unique_with_edition",
            ),
            models.UniqueConstraint(
                fields=["platform", "feature", "release_from"],
                condition=Q(edition__isnull=True),
                name="claim_unique_without_edition",
            ),
            models.CheckConstraint(
                condition=~Q(support__in=["partial", "unknown"]) | ~Q(note=""),
                name="claim_partial_or_unknown_has_note",
            ),
        ]
        indexes = [models.Index(fields=["platform", "feature"])]

    def __str__(self) -> str:
        return f"{self.platform} · {self.feature} · {self.release_label}"

    def get_absolute_url(self) -> str:
        return reverse("claim-detail", args=[self.pk])

    @property
    def release_label(self) -> str:
        last = self.release_until.version if self.release_until_id else None
        return range_label(self.release_from.version, last)

    def clean(self) -> None:
        errors = {}
        if self.release_from_id and self.release_from.platform_id != self.platform_id:
            errors["release_from"] = "This release belongs to another platform."
        if self.release_until_id:
            if self.release_until.platform_id != self.platform_id:
                errors["release_until"] = "This release belongs to another platform."
            elif self.release_from_id and self.release_until.position < self.release_from.position:
                errors["release_until"] = "The last release comes before the first release."
        if self.edition_id and self.edition.platform_id != self.platform_id:
            errors["edition"] = "This edition belongs to another platform."
        if self.support in (self.Support.PARTIAL, self.Support.UNKNOWN) and not self.note:
            errors["note"] = "Say what is missing (partial) or what was searched (unknown)."
        needs_value = self.support in (self.Support.FULL, self.Support.PARTIAL)
        is_number = self.feature_id and self.feature.kind == Feature.Kind.NUMBER
        if is_number and needs_value and self.value is None:
            errors["value"] = f"A number in {self.feature.unit} is required."
        if self.support == self.Support.NO_LIMIT:
            if not is_number:
                errors["support"] = "'No documented limit' is only for number features."
            elif self.value is not None:
                errors["value"] = "No documented limit has no value."
        if errors:
            raise ValidationError(errors)

    def has_supporting_citation(self) -> bool:
        return self.citations.filter(stance=Citation.Stance.SUPPORTS).exists()

    def publish(self, *, user=None) -> None:
        """Publish; refused without at least one supporting citation (the data rule)."""
        if not self.has_supporting_citation():
            raise ValidationError("A published claim needs at least one supporting citation.")
        self.status = self.Status.PUBLISHED
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        self.save()


class Citation(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("Supports")
        CONTRADICTS = "contradicts", _("Contradicts")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=300, blank=True)
    quote = models.TextField(blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.SUPPORTS)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_stance_display()})"


class FactCheck(models.Model):
    class Verdict(models.TextChoices):
        ACCURATE = "accurate", _("Accurate")
        PARTLY_ACCURATE = "partly-accurate", _("Partly accurate")
        OUTDATED = "outdated", _("Outdated")
        WRONG = "wrong", _("Wrong")
        # Could not be verified either way (was "wrong" flagged "not fully verified").
        UNPROVEN = "unproven", _("Unproven")

    slug = models.SlugField(max_length=80, unique=True)
    statement = models.TextField()
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    explanation = models.TextField()
    # The original answer's own words, quoted word for word in Chinese on every page (shown as
    # such, never extended, not a translation); statement_zh_hans translates the statement the
    # verdict covers.
    original_zh = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="fact_checks", blank=True)
    # [{"platform": slug, "feature": slug, "from"?: release, "expects"?: [support, ...]}]: the
    # claims it concerns (at every release, or the one starting at "from"), and the support
    # levels its verdict allows them (a test fails when a published claim has another).
    concerns = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    # As for features: the per-language columns come from django-modeltranslation; the
    # history keeps the source (English) text.
    history = HistoricalRecords(
        excluded_fields=[
            "statement_en",
            "statement_zh_hans",
            "explanation_en",
            "explanation_zh_hans",
        ]
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        # Fact checks have no page of their own: each is a section of the fact-check list.
        return f"{reverse('fact-checks')}#{self.slug}"


class Scenario(models.Model):
    """A weighting of the catalogue that the recommender applies (see scoring.py)."""

    class UnknownPolicy(models.TextChoices):
        IGNORE = "ignore", _("Ignore unknowns")
        AS_NO = "as-no", _("Treat unknown as not supported")
        PENALIZE = "penalize", _("Penalize unknowns")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    rationale = models.TextField()
    version = models.PositiveIntegerField(default=1)
    category_weights = models.JSONField(default=dict)
    feature_weights = models.JSONField(default=dict, blank=True)
    must_have = models.JSONField(default=list, blank=True)
    unknown_policy = models.CharField(
        max_length=10, choices=UnknownPolicy.choices, default=UnknownPolicy.PENALIZE
    )
    cost_weight = models.FloatField(default=0)
    performance_weight = models.FloatField(default=0)
    position = models.PositiveIntegerField(default=0)

    # As for features: the history keeps the source (English) text.
    history = HistoricalRecords(
        excluded_fields=[
            "name_en",
            "name_zh_hans",
            "description_en",
            "description_zh_hans",
            "rationale_en",
            "rationale_zh_hans",
        ]
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_weight__gte=0) & Q(performance_weight__gte=0),
                name="scenario_weights_non_negative",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recommend-scenario", args=[self.slug])


class CatalogVersion(models.Model):
    """One row, the cheap source of ETags and cache keys for every catalogue read, with two
    counters: `version` is bumped whenever anything curated changes, `results_version`
    whenever benchmark results do. Only pages that show results depend on the second, so
    a stream of submissions leaves claim pages and the catalogue API cached."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)
    results_version = models.PositiveBigIntegerField(default=0)
    results_changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"catalogue v{self.version}, results v{self.results_version}"

    # Read by every catalogue request. Each process re-reads the row at most once per
    # MAX_STALENESS seconds (the documented bound for an edit on one instance to show on
    # the others); a bump in this process forgets it at once and again after commit.
    MAX_STALENESS = 1.0
    FIELDS = ("version", "changed_at", "results_version", "results_changed_at")
    _seen: tuple[float, CatalogVersion] | None = None

    @classmethod
    def current(cls) -> CatalogVersion:
        seen = cls._seen
        now = time.monotonic()
        if seen is not None and now - seen[0] < cls.MAX_STALENESS:
            return seen[1]
        row = cls.objects.filter(pk=1).first() or cls(pk=1, changed_at=timezone.now())
        cls._seen = (now, row)
        return row

    @classmethod
    def forget(cls) -> None:
        cls._seen = None

    @property
    def catalog_key(self) -> str:
        """The curated data's state. The time as well as the counter: after restoring a
        backup (or a test's rollback) the counter repeats, the pair does not."""
        return f"{self.version}|{self.changed_at.isoformat()}"

    @property
    def results_key(self) -> str:
        return f"{self.results_version}|{self.results_changed_at.isoformat()}"

    @classmethod
    def bump(cls, *, results: bool = False) -> None:
        """A curated change, or with `results` a change of benchmark results."""
        counter, stamp = cls.FIELDS[2:] if results else cls.FIELDS[:2]
        updated = cls.objects.filter(pk=1).update(
            **{counter: models.F(counter) + 1, stamp: timezone.now()}
        )
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={counter: 1})
        cls.forget()
        transaction.on_commit(cls.forget)


class Correction(models.Model):
    """A reader's report that a claim is wrong, waiting for a curator. It changes nothing by
    itself: accepting it records the decision, and the curator edits the claim (with its
    history) and its sources."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    proposed_support = models.CharField(
        _("proposed support"), max_length=16, choices=Claim.Support.choices, blank=True
    )
    proposed_value = models.FloatField(_("proposed value"), null=True, blank=True)
    proposed_releases = models.CharField(
        _("proposed releases"),
        max_length=100,
        blank=True,
        help_text=_("The releases it applies to, for example: from 8.1."),
    )
    source_url = models.URLField(
        _("source"), max_length=600, help_text=_("A page that shows what is right.")
    )
    note = models.TextField(_("what is wrong"), max_length=2000)
    email = models.EmailField(
        _("email (optional)"), blank=True, help_text=_("Only if you want an answer.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    curator_note = models.TextField(blank=True, help_text="The reason, when rejected.")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"Correction #{self.pk} of claim #{self.claim_id} ({self.status})"

    def decide(self, status: str, *, user=None, note: str = "") -> None:
        self.status = status
        self.reviewed_by = user
        self.reviewed_at = timezone.now()
        if note:
            self.curator_note = note
        self.save(update_fields=["status", "reviewed_by", "reviewed_at", "curator_note"])
