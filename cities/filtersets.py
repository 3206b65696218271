import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ProgrammeStatus
from .models import City


class CityFilterSet(django_filters.FilterSet):
    """Filters shared by the city list page and the API."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.CharFilter(
        field_name="country", lookup_expr="iexact", label=_("Country")
    )
    programme_status = django_filters.ChoiceFilter(
        choices=ProgrammeStatus.choices, label=_("Programme status")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("population", "population"), ("country", "country")),
        field_labels={"name": _("Name"), "population": _("Population"), "country": _("Country")},
        label=_("Sort by"),
    )

    class Meta:
        model = City
        fields = ["q", "country", "programme_status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(region__icontains=value) | Q(slug__icontains=value)
        )
