"""API-only FilterSets for a city's zones, departments and fiscal years.

No page lists these models on their own (they show on the city page), so their FilterSets live
with the API; when a page lists one, move its FilterSet to ``cities/filtersets.py`` and share it.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..models import Department, FiscalYear, Zone


class _CityChildFilterSet(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="city__slug", label=_("City"))


class ZoneFilterSet(_CityChildFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("population", "population")), label=_("Sort by")
    )

    class Meta:
        model = Zone
        fields = ["city"]


class DepartmentFilterSet(_CityChildFilterSet):
    ordering = django_filters.OrderingFilter(fields=(("name", "name"),), label=_("Sort by"))

    class Meta:
        model = Department
        fields = ["city"]


class FiscalYearFilterSet(_CityChildFilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    year_from = django_filters.NumberFilter(
        field_name="year", lookup_expr="gte", label=_("From year")
    )
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    ordering = django_filters.OrderingFilter(fields=(("year", "year"),), label=_("Sort by"))

    class Meta:
        model = FiscalYear
        fields = ["city", "year", "year_from", "year_to"]
