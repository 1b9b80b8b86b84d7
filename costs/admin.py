from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import PriceCitation, PricePoint, ScenarioEstate


class PriceCitationInline(admin.TabularInline):
    model = PriceCitation
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(PricePoint)
class PricePointAdmin(SimpleHistoryAdmin):
    list_display = [
        "product",
        "platform",
        "role",
        "amount",
        "currency",
        "unit",
        "status",
        "confidence",
    ]
    list_filter = ["platform", "role", "status", "confidence", "kind"]
    list_select_related = ["platform"]
    search_fields = ["key", "product", "note"]
    inlines = [PriceCitationInline]


@admin.register(ScenarioEstate)
class ScenarioEstateAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "hosts", "sockets", "cores", "windows_vms", "linux_vms", "years"]
    list_select_related = ["scenario"]
