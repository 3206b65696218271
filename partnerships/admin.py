from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
    Tag,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sector", "kind", "country", "home_city"]
    list_filter = ["sector", "kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["home_city"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "status", "theme", "start_date", "end_date"]
    list_filter = ["status", "theme", "approach", "pillar", "city"]
    search_fields = ["name", "slug", "objective"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["city"]
    filter_horizontal = ["cities_served"]
    inlines = [ParticipationInline]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "partner", "kind", "amount", "currency", "value", "pledged_on",
                    "received_on"]  # fmt: skip
    list_filter = ["kind", "partner__sector", "partnership__city"]
    search_fields = ["partnership__name", "partner__name", "description"]
    list_select_related = ["partnership", "partner"]
    date_hierarchy = "pledged_on"


class MeasurementInline(admin.TabularInline):
    model = OutcomeMeasurement
    extra = 0


@admin.register(OutcomeContract)
class OutcomeContractAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "indicator", "outcome_payer", "cap", "currency"]
    search_fields = ["partnership__name", "indicator"]
    list_select_related = ["partnership", "outcome_payer"]
    filter_horizontal = ["investors"]
    inlines = [MeasurementInline]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "category", "likelihood", "impact", "score", "status"]
    list_filter = ["category", "status", "partnership__city"]
    search_fields = ["title", "description", "partnership__name"]
    list_select_related = ["partnership"]


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "created_at"]
    list_filter = ["tags", "partnership__city"]
    search_fields = ["title", "text", "partnership__name"]
    list_select_related = ["partnership"]
    filter_horizontal = ["tags"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
