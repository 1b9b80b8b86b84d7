import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import freshness, services
from .models import (
    STALE_AFTER_DAYS,
    Category,
    Citation,
    Claim,
    Correction,
    Edition,
    FactCheck,
    Feature,
    Platform,
    Release,
    Source,
    Vendor,
)

# Bare host names typed by curators become https URLs (Django 6's default, stated now).
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def _claim_change_url(pk: int) -> str:
    return reverse("admin:comparisons_claim_change", args=[pk])


class ReleaseInline(admin.TabularInline):
    model = Release
    extra = 0


class EditionInline(TranslationTabularInline):
    model = Edition
    extra = 0


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    formfield_overrides = URL_AS_HTTPS
    list_display = ["name", "slug", "homepage"]


@admin.register(Platform)
class PlatformAdmin(TranslationAdmin):
    formfield_overrides = URL_AS_HTTPS
    list_display = ["name", "slug", "vendor", "kind", "is_baseline", "position"]
    list_select_related = ["vendor"]
    inlines = [ReleaseInline, EditionInline]


class FeatureInline(admin.TabularInline):
    model = Feature
    extra = 0
    fields = ["slug", "name", "kind", "unit", "better", "position"]


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    inlines = [FeatureInline]


@admin.register(Feature)
class FeatureAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["name", "slug", "category", "kind", "unit", "importance"]
    list_filter = ["category", "kind", "importance"]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "description", "aliases"]


class CitationFormSet(BaseInlineFormSet):
    """A published claim keeps at least one supporting citation (checked with the claim form)."""

    def clean(self):
        super().clean()
        if self.instance.status not in (Claim.Status.PUBLISHED, Claim.Status.DISPUTED):
            return
        supporting = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("source")
            and form.cleaned_data.get("stance") == Citation.Stance.SUPPORTS
        ]
        if not supporting:
            raise ValidationError(
                "A published or disputed claim needs at least one supporting citation."
            )


class CitationInline(admin.StackedInline):
    model = Citation
    formset = CitationFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "locator", "quote", "stance", "position"]


class StaleSourceFilter(admin.SimpleListFilter):
    title = "source freshness"
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [
            ("stale", f"Not checked for {STALE_AFTER_DAYS // 30} months"),
            ("none", "No citation"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            cutoff = timezone.localdate() - datetime.timedelta(days=STALE_AFTER_DAYS)
            return queryset.filter(newest_check__lt=cutoff)
        if self.value() == "none":
            return queryset.filter(newest_check__isnull=True)
        return queryset


@admin.register(Claim)
class ClaimAdmin(TranslationAdmin, SimpleHistoryAdmin):
    change_list_template = "admin/comparisons/claim/change_list.html"

    list_display = [
        "feature",
        "platform",
        "release_label",
        "support",
        "value",
        "status",
        "confidence",
        "newest_check",
        "citation_count",
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    list_filter = [
        "status",
        "confidence",
        "support",
        "platform",
        "feature__category",
        "feature",
        StaleSourceFilter,
    ]
    list_select_related = ["platform", "feature", "release_from", "release_until"]
    search_fields = ["feature__name", "feature__slug", "platform__name", "note", "text"]
    autocomplete_fields = ["feature"]
    inlines = [CitationInline]
    actions = ["publish", "mark_disputed", "retract"]
    readonly_fields = ["reviewed_by", "reviewed_at"]
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        # Like a fuzzy gettext entry: when the English text or note changes and its Chinese
        # does not, the Chinese no longer says the same thing; readers see the English until
        # someone translates the new wording.
        dropped = [
            name
            for name in ("text", "note")
            if change
            and f"{name}_en" in form.changed_data
            and f"{name}_zh_hans" not in form.changed_data
            and getattr(obj, f"{name}_zh_hans")
        ]
        for name in dropped:
            setattr(obj, f"{name}_zh_hans", "")
        super().save_model(request, obj, form, change)
        if dropped:
            self.message_user(
                request,
                f"The English {' and '.join(dropped)} changed: its Chinese was cleared until "
                "it is translated again.",
                messages.WARNING,
            )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_newest_check()
            .annotate(citation_count=Count("citations", distinct=True))
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.freshness_view)
        return [
            path("freshness/", view, name="comparisons_claim_freshness"),
            *super().get_urls(),
        ]

    def freshness_view(self, request):
        """The curator's re-check list: published claims whose sources were last read more
        than 12 months ago, and the monthly reminder of what falls due next."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        claims = (
            Claim.objects.published()
            .with_newest_check()
            .select_related("platform", "feature", "release_from", "release_until")
            .order_by("newest_check", "pk")
        )
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Claims to re-check",
            "today": today,
            "stale_after_days": STALE_AFTER_DAYS,
            "reminder": freshness.reminders(((c, c.newest_check) for c in claims), today),
        }
        return TemplateResponse(request, "admin/comparisons/claim/freshness.html", context)

    @admin.display(description="releases")
    def release_label(self, claim):
        return claim.release_label

    @admin.display(description="newest source check", ordering="newest_check")
    def newest_check(self, claim):
        return claim.newest_check

    @admin.display(description="citations", ordering="citation_count")
    def citation_count(self, claim):
        return claim.citation_count

    @admin.action(
        description="Publish selected claims (needs a supporting citation)", permissions=["change"]
    )
    def publish(self, request, queryset):
        supported = Citation.objects.filter(claim=OuterRef("pk"), stance=Citation.Stance.SUPPORTS)
        queryset = queryset.annotate(has_support=Exists(supported))
        refused = [str(c) for c in queryset.filter(has_support=False)]
        ready = queryset.filter(has_support=True).exclude(status=Claim.Status.PUBLISHED)
        count = 0
        for claim in ready:
            claim.publish(user=request.user)
            count += 1
        if count:
            self.message_user(request, f"Published {count} claim(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"Refused {len(refused)} claim(s) without a supporting citation: "
                + "; ".join(refused[:10]),
                messages.ERROR,
            )

    @admin.action(description="Mark selected claims as disputed", permissions=["change"])
    def mark_disputed(self, request, queryset):
        self._set_status(request, queryset, Claim.Status.DISPUTED)

    @admin.action(description="Retract selected claims", permissions=["change"])
    def retract(self, request, queryset):
        self._set_status(request, queryset, Claim.Status.RETRACTED)

    def _set_status(self, request, queryset, status):
        # Save one by one so every change gets its history row (who and when).
        count = 0
        for claim in queryset.exclude(status=status):
            claim.status = status
            claim.reviewed_by = request.user
            claim.reviewed_at = timezone.now()
            claim.save()
            count += 1
        self.message_user(request, f"{count} claim(s) marked {status}.", messages.SUCCESS)


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = URL_AS_HTTPS
    list_display = ["title", "publisher", "kind", "affiliation", "checked", "claim_count"]
    list_filter = ["kind", "affiliation", "publisher"]
    search_fields = ["title", "url", "key", "publisher", "archive_of"]
    readonly_fields = ["claims_resting_on_it"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=Count("citations__claim", distinct=True))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, source):
        return source.claim_count

    @admin.display(description="Claims that rest on this source")
    def claims_resting_on_it(self, source):
        claims = Claim.objects.filter(Q(citations__source=source)).select_related(
            "platform", "feature", "release_from", "release_until"
        )
        return (
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((_claim_change_url(c.pk), str(c)) for c in claims.distinct()),
            )
            or "—"
        )


@admin.register(FactCheck)
class FactCheckAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ["statement", "verdict", "concerned_claims"]
    list_filter = ["verdict"]
    search_fields = ["statement", "explanation", "statement_zh_hans"]
    filter_horizontal = ["sources"]

    @admin.display(description="concerns (expected support)")
    def concerned_claims(self, obj):
        return "; ".join(
            f"{c['platform']}/{c['feature']}"
            + (f"@{c['from']}" if c.get("from") else "")
            + (f" ({', '.join(c['expects'])})" if c.get("expects") else "")
            for c in obj.concerns
        )


admin.site.site_header = "VirtCompare curation"
admin.site.site_title = "VirtCompare"


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Readers' reports, newest first: read the source, edit the claim if it holds, then
    accept (or reject with a reason in the curator note)."""

    list_display = ["__str__", "claim_link", "status", "proposal", "source_url", "created_at"]
    list_filter = ["status", "claim__platform"]
    list_select_related = [
        "claim__platform",
        "claim__feature",
        "claim__release_from",
        "claim__release_until",
    ]
    search_fields = ["note", "source_url", "claim__feature__name", "claim__platform__name"]
    readonly_fields = [
        "claim",
        "proposed_support",
        "proposed_value",
        "proposed_releases",
        "source_url",
        "note",
        "email",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    ]
    fields = readonly_fields[:8] + ["status", "curator_note", "reviewed_by", "reviewed_at"]
    actions = ["accept", "accept_and_apply", "reject"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False  # corrections come from readers, through the claim pages

    @admin.display(description="claim")
    def claim_link(self, correction):
        claim = correction.claim
        return format_html('<a href="{}">{}</a>', _claim_change_url(claim.pk), claim)

    @admin.display(description="proposed")
    def proposal(self, correction):
        parts = [correction.get_proposed_support_display() if correction.proposed_support else ""]
        if correction.proposed_value is not None:
            parts.append(f"{correction.proposed_value:g}")
        parts.append(correction.proposed_releases)
        return " · ".join(p for p in parts if p) or "—"

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.reviewed_by = request.user
            obj.reviewed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Accept selected corrections (edit the claim too)", permissions=["change"]
    )
    def accept(self, request, queryset):
        self._decide(request, queryset, Correction.Status.ACCEPTED)

    @admin.action(
        description="Accept and apply the proposed support/value to the claims (history credits "
        "the correction; add the reader's source as a citation yourself)",
        permissions=["change"],
    )
    def accept_and_apply(self, request, queryset):
        applied, skipped = [], []
        for correction in queryset.exclude(status=Correction.Status.ACCEPTED).select_related(
            "claim"
        ):
            try:
                services.apply_correction(correction=correction, user=request.user)
            except (ValueError, ValidationError) as exc:
                skipped.append(f"#{correction.pk}: {exc}")
            else:
                applied.append(f"#{correction.pk}")
        if applied:
            self.message_user(
                request,
                f"Applied {', '.join(applied)}. Add each reader's source as a citation.",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(request, "Not applied: " + "; ".join(skipped), messages.WARNING)

    @admin.action(
        description="Reject selected corrections (give the reason in each note)",
        permissions=["change"],
    )
    def reject(self, request, queryset):
        self._decide(request, queryset, Correction.Status.REJECTED)

    def _decide(self, request, queryset, status):
        count = 0
        for correction in queryset.exclude(status=status):
            correction.decide(status, user=request.user)
            count += 1
        self.message_user(request, f"{count} correction(s) marked {status}.", messages.SUCCESS)
