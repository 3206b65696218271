"""The FilterSet of participatory budget editions, shared by the pages and the API.

Filters take plain values (a city slug, phase and method codes, a year), so the API and its
schema stay simple; ``for_page()`` turns the city into a select for the HTML page. Callers pass
``BudgetEdition.objects.visible_to(user)`` so drafts are filtered out before any filter runs.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .choices import Phase, VotingMethod
from .models import BudgetEdition

# Past this many options a select is slow to render and useless to scroll: keep a text input.
MAX_SELECT_OPTIONS = 200


class EditionFilterSet(django_filters.FilterSet):
    """Editions by search text, city, phase, year and voting method."""

    q = django_filters.CharFilter(
        method="search", label=_("Search"), widget=forms.TextInput(attrs={"type": "search"})
    )
    city = django_filters.CharFilter(field_name="city__slug", label=_("City"))
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices, label=_("Phase"), empty_label=_("Any phase")
    )
    year = django_filters.NumberFilter(field_name="year", label=_("Year"))
    method = django_filters.ChoiceFilter(
        choices=VotingMethod.choices, label=_("Voting method"), empty_label=_("Any method")
    )

    class Meta:
        model = BudgetEdition
        fields = ["q", "city", "phase", "year", "method"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(city__name__icontains=value)
        )

    def for_page(self) -> None:
        """Shape the form for the HTML page (the API never renders it)."""
        fields = self.form.fields
        cities = list(
            City.objects.filter(budget_editions__in=self.queryset.values("pk"))
            .distinct()
            .order_by("name")
            .values_list("slug", "name")[: MAX_SELECT_OPTIONS + 1]
        )
        if len(cities) <= MAX_SELECT_OPTIONS:
            fields["city"].widget = forms.Select(choices=[("", _("Any city")), *cities])
        fields["year"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})
