from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from .models import MigrationMethod, MigrationPath, MigrationStatement, StatementCitation


class MethodInline(admin.TabularInline):
    model = MigrationMethod
    extra = 0
    fields = ("position", "slug", "tool", "kind", "mode", "status", "confidence")
    show_change_link = True


@admin.register(MigrationPath)
class MigrationPathAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ("source", "target", "method_count")
    list_filter = ("source", "target")
    list_select_related = ("source", "target")
    inlines = [MethodInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_methods=Count("methods"))

    @admin.display(ordering="n_methods", description="methods")
    def method_count(self, obj):
        return obj.n_methods


class StatementInline(TranslationStackedInline):
    model = MigrationStatement
    extra = 0
    fields = ("position", "topic", "text", "status", "confidence")
    show_change_link = True


@admin.register(MigrationMethod)
class MigrationMethodAdmin(SimpleHistoryAdmin):
    list_display = ("tool", "path", "kind", "mode", "status", "confidence")
    list_filter = ("status", "mode", "kind", "path__source", "path__target")
    list_select_related = ("path__source", "path__target")
    search_fields = ("tool", "slug")
    inlines = [StatementInline]


class CitationInline(admin.TabularInline):
    model = StatementCitation
    extra = 0
    autocomplete_fields = ("source",)


@admin.register(MigrationStatement)
class MigrationStatementAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ("text", "topic", "method", "status", "confidence")
    list_filter = ("status", "topic", "confidence")
    list_select_related = ("method__path__source", "method__path__target")
    search_fields = ("text", "text_zh_hans")
    inlines = [CitationInline]
    actions = ["publish"]

    @admin.action(description="Publish (needs a supporting citation)")
    def publish(self, request, queryset):
        refused = 0
        for statement in queryset:
            try:
                statement.publish()
            except ValidationError:
                refused += 1
        if refused:
            self.message_user(
                request, f"{refused} statement(s) have no supporting citation.", messages.WARNING
            )
