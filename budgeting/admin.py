"""Django admin for participatory budgets: read-mostly.

Editions, headings and projects change through the staff pages, whose services check the
phase and freeze the ballot once voting opens; the admin only lets a platform admin look and
correct a text. Participations, ballots and voting codes are not registered at all: showing
them side by side is exactly what ballot secrecy forbids.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetEdition, Heading, PhaseSchedule, Project


class _ReadMostlyAdmin(SimpleHistoryAdmin):
    """Every field read-only except ``editable_fields``; no adding or deleting here."""

    editable_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        names = [field.name for field in self.model._meta.fields]
        return [name for name in names if name not in self.editable_fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PhaseScheduleInline(admin.TabularInline):
    model = PhaseSchedule
    extra = 0
    can_delete = False
    readonly_fields = ["phase", "starts_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BudgetEdition)
class BudgetEditionAdmin(_ReadMostlyAdmin):
    list_display = ["title", "city", "year", "phase", "method", "total_amount", "currency"]
    list_filter = ["phase", "method", "counting_rule", "year", "city"]
    search_fields = ["title", "description", "city__name"]
    list_select_related = ["city"]
    editable_fields = ("title", "description")
    inlines = [PhaseScheduleInline]


@admin.register(Heading)
class HeadingAdmin(_ReadMostlyAdmin):
    list_display = ["name", "edition", "zone", "amount", "opened"]
    list_filter = ["edition__city", "opened"]
    search_fields = ["name", "description", "edition__title"]
    list_select_related = ["edition", "zone"]
    editable_fields = ("description",)


@admin.register(Project)
class ProjectAdmin(_ReadMostlyAdmin):
    list_display = ["title", "edition", "status", "heading", "zone", "cost"]
    list_filter = ["status", "edition__city", "edition"]
    search_fields = ["title", "description", "external_id", "edition__title"]
    list_select_related = ["edition", "heading", "zone"]
    editable_fields = ("title", "description", "review_explanation")
