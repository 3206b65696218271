from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import City, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "country", "population", "currency", "programme_status"]
    list_filter = ["programme_status", "country"]
    search_fields = ["name", "region", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ZoneInline]
