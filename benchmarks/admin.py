from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from comparisons.models import CatalogVersion

from .models import Benchmark, Environment, Metric, Result, Run
from .trust import TRUSTED_GROUP, trusted_group


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
        return format_html(
            '<a href="{}">open the raw submission</a>', reverse("run-raw", args=[run.pk])
        )

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


class TrustedFilter(admin.SimpleListFilter):
    title = "trusted submitter"
    parameter_name = "trusted"

    def lookups(self, request, model_admin):
        return [("yes", "Trusted"), ("no", "Screened (not trusted)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(groups__name=TRUSTED_GROUP)
        if self.value() == "no":
            return queryset.exclude(groups__name=TRUSTED_GROUP)
        return queryset


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SubmitterAdmin(UserAdmin):
    """Django's user admin, plus whether a curator trusts the account's runs without
    screening (membership of the trusted-submitters group)."""

    list_display = [*UserAdmin.list_display, "trusted", "date_joined"]
    list_filter = [TrustedFilter, *UserAdmin.list_filter]
    actions = ["mark_trusted", "unmark_trusted"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(boolean=True, description="Trusted")
    def trusted(self, user):
        return any(group.name == TRUSTED_GROUP for group in user.groups.all())

    @admin.action(description="Trust: accept their runs without screening", permissions=["change"])
    def mark_trusted(self, request, queryset):
        group = trusted_group()
        users = list(queryset.exclude(groups=group))
        group.user_set.add(*users)
        self.message_user(request, f"Trusted {len(users)} account(s).", messages.SUCCESS)

    @admin.action(description="Stop trusting: screen their runs again", permissions=["change"])
    def unmark_trusted(self, request, queryset):
        group = trusted_group()
        users = list(queryset.filter(groups=group))
        group.user_set.remove(*users)
        self.message_user(request, f"{len(users)} account(s) screened again.", messages.SUCCESS)
