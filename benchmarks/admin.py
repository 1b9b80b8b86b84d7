from django.contrib import admin, messages
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from comparisons.models import CatalogVersion

from .models import Benchmark, Environment, Metric, Result, Run


class MetricInline(TranslationTabularInline):
    model = Metric
    extra = 0


@admin.register(Benchmark)
class BenchmarkAdmin(TranslationAdmin):
    list_display = ["name", "slug", "tool", "position"]
    inlines = [MetricInline]


@admin.register(Environment)
class EnvironmentAdmin(admin.ModelAdmin):
    list_display = ["cpu_model", "cores", "memory_gb", "nic_speed_gbps", "fingerprint"]
    search_fields = ["cpu_model", "name", "fingerprint"]


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    fields = ["metric", "job", "value", "stddev", "percentiles"]
    readonly_fields = fields
    can_delete = False


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        CatalogVersion.bump(results=True)

    # Status right after the id: it is what a curator scans for, and it never scrolls away.
    list_display = ["id", "status", "benchmark", "platform", "release", "submitter", "submitted_at"]
    list_filter = ["status", "benchmark", "platform", "raw_format", "submitter"]
    list_select_related = ["benchmark", "platform", "release", "submitter"]
    search_fields = ["notes", "environment__cpu_model", "content_hash"]
    inlines = [ResultInline]
    actions = ["accept", "reject"]

    class Media:
        css = {"all": ["css/admin.css"]}

    readonly_fields = [
        "benchmark",
        "platform",
        "release",
        "environment",
        "submitter",
        "submitted_at",
        "raw_format",
        "content_hash",
        "raw_link",
        "raw_payload",
    ]
    fields = ["status", "status_reason", "notes", *readonly_fields]

    @admin.display(description="Raw payload")
    def raw_link(self, run):
        return format_html('<a href="/runs/{}/raw">open the raw submission</a>', run.pk)

    @admin.action(description="Accept selected runs (show them in charts)", permissions=["change"])
    def accept(self, request, queryset):
        count = queryset.exclude(status=Run.Status.ACCEPTED).update(status=Run.Status.ACCEPTED)
        CatalogVersion.bump(results=True)
        self.message_user(request, f"Accepted {count} run(s).", messages.SUCCESS)

    @admin.action(description="Reject selected runs", permissions=["change"])
    def reject(self, request, queryset):
        count = queryset.exclude(status=Run.Status.REJECTED).update(status=Run.Status.REJECTED)
        CatalogVersion.bump(results=True)
        self.message_user(request, f"Rejected {count} run(s).", messages.SUCCESS)
