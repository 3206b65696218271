import django_filters
from babel import Locale
from django import forms
from django.db.models import Q
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from .choices import ProgrammeStatus
from .models import City


def country_choices() -> list[tuple[str, str]]:
    """Any country, then the countries that have cities, named in the active language."""
    names = Locale.parse(to_locale(get_language() or "en")).territories
    codes = City.objects.order_by().values_list("country", flat=True).distinct()
    named = sorted(((code, names.get(code, code)) for code in codes), key=lambda c: c[1])
    return [("", _("Any country")), *named]


class CityFilterSet(django_filters.FilterSet):
    """Filters shared by the city list page and the API."""

    q = django_filters.CharFilter(
        method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    # A plain code for the API (and its schema); on the page, a select of the countries that
    # have cities, named in the reader's language (see for_page).
    country = django_filters.CharFilter(lookup_expr="iexact", label=_("Country"))
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

    def for_page(self) -> None:
        """Shape the form for the HTML page (the API never renders it)."""
        self.form.fields["country"].widget = forms.Select(choices=country_choices())

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(region__icontains=value) | Q(slug__icontains=value)
        )
