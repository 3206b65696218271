"""One FilterSet per listed model, shared by the pages and the API.

Every filter takes plain values (slugs, choice codes, numbers, ISO dates), so the API and its
schema stay simple; the pages turn some of them into selects filled from the database in
``for_page()``, which the API never calls. Each FilterSet filters the queryset it is given:
callers pass ``Model.objects.visible_to(user)`` so permissions are decided before filtering.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .choices import (
    Approach,
    ContributionKind,
    PartnerKind,
    PartnershipStatus,
    Pillar,
    RiskCategory,
    RiskStatus,
    Sector,
    Theme,
)
from .models import Contribution, Lesson, Partner, Partnership, Risk, Tag


def _search_input() -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search"})


# Past this many options a select is slow to render and useless to scroll: the filter then
# takes the slug as text (the search box covers finding by name).
MAX_SELECT_OPTIONS = 200


def _select(label, pairs) -> forms.Widget:
    """A select whose first option means “any”, for a filter that takes a slug."""
    if len(pairs) > MAX_SELECT_OPTIONS:
        return forms.TextInput(attrs={"placeholder": label})
    return forms.Select(choices=[("", label), *pairs])


def _slug_choices(queryset) -> list[tuple[str, str]]:
    """(slug, name) pairs, or an overlong list that _select() turns into a text input."""
    rows = queryset.order_by("name").values_list("slug", "name")[: MAX_SELECT_OPTIONS + 1]
    return list(rows)


def city_choices() -> list[tuple[str, str]]:
    return _slug_choices(City.objects.all())


def partner_choices() -> list[tuple[str, str]]:
    return _slug_choices(Partner.objects.all())


def partnership_choices(queryset=None) -> list[tuple[str, str]]:
    return _slug_choices(Partnership.objects.all() if queryset is None else queryset)


class _PageFilterSet(django_filters.FilterSet):
    """Shared page behaviour: slug filters become selects, dates become date pickers."""

    def for_page(self) -> None:
        """Shape the form for the HTML page (the API never renders it)."""
        fields = self.form.fields
        for field in fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if "city" in fields:
            fields["city"].widget = _select(_("Any city"), city_choices())
        if "partner" in fields:
            fields["partner"].widget = _select(_("Any partner"), partner_choices())
        if "partnership" in fields:
            fields["partnership"].widget = _select(_("Any partnership"), partnership_choices())
        if "tag" in fields:
            fields["tag"].widget = _select(_("Any tag"), _slug_choices(Tag.objects.all()))


class PartnerFilterSet(_PageFilterSet):
    """The partner directory: search, sector and kind of organisation."""

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=_search_input())
    sector = django_filters.ChoiceFilter(choices=Sector.choices, label=_("Sector"))
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))
    city = django_filters.CharFilter(
        method="filter_city",
        label=_("City"),
        help_text=_("Registered by this city or taking part in one of its partnerships."),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("sector", "sector"), ("kind", "kind")),
        field_labels={"name": _("Name"), "sector": _("Sector"), "kind": _("Kind")},
        label=_("Sort by"),
    )

    class Meta:
        model = Partner
        fields = ["q", "sector", "kind", "city"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(description__icontains=value) | Q(slug__icontains=value)
        )

    def filter_city(self, queryset, name, value):
        ids = Partner.objects.filter(
            Q(home_city__slug=value) | Q(participations__partnership__city__slug=value)
        ).values("pk")
        return queryset.filter(pk__in=ids)


class PartnershipFilterSet(_PageFilterSet):
    """Partnerships by city, theme, approach, pillar, status and partner."""

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=_search_input())
    city = django_filters.CharFilter(field_name="city__slug", label=_("City"))
    theme = django_filters.ChoiceFilter(choices=Theme.choices, label=_("Theme"))
    approach = django_filters.ChoiceFilter(choices=Approach.choices, label=_("Approach"))
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices, label=_("Pillar"))
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices, label=_("Status"))
    partner = django_filters.CharFilter(method="filter_partner", label=_("Partner"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("city__name", "city"),
            ("status", "status"),
            ("theme", "theme"),
            ("start_date", "start_date"),
        ),
        field_labels={
            "name": _("Name"),
            "city__name": _("City"),
            "status": _("Status"),
            "theme": _("Theme"),
            "start_date": _("Start date"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Partnership
        fields = ["q", "city", "theme", "approach", "pillar", "status", "partner"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(objective__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_partner(self, queryset, name, value):
        # A subquery, so a partner with several roles does not repeat the partnership.
        ids = Partnership.objects.filter(participations__partner__slug=value).values("pk")
        return queryset.filter(pk__in=ids)


class ContributionFilterSet(_PageFilterSet):
    """Contribution rows by partnership, partner, city, kind, sector, receipt and pledge date."""

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=_search_input())
    partnership = django_filters.CharFilter(field_name="partnership__slug", label=_("Partnership"))
    partner = django_filters.CharFilter(field_name="partner__slug", label=_("Partner"))
    city = django_filters.CharFilter(field_name="partnership__city__slug", label=_("City"))
    kind = django_filters.ChoiceFilter(choices=ContributionKind.choices, label=_("Kind"))
    sector = django_filters.ChoiceFilter(
        field_name="partner__sector", choices=Sector.choices, label=_("Partner sector")
    )
    received = django_filters.BooleanFilter(
        method="filter_received", label=_("Received"), widget=forms.NullBooleanSelect
    )
    pledged_on_after = django_filters.DateFilter(
        field_name="pledged_on", lookup_expr="gte", label=_("Pledged from")
    )
    pledged_on_before = django_filters.DateFilter(
        field_name="pledged_on", lookup_expr="lte", label=_("Pledged until")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("pledged_on", "pledged_on"),
            ("received_on", "received_on"),
            ("value", "value"),
            ("partner__name", "partner"),
            ("partnership__name", "partnership"),
        ),
        field_labels={
            "pledged_on": _("Pledge date"),
            "received_on": _("Date received"),
            "value": _("Value"),
            "partner__name": _("Partner"),
            "partnership__name": _("Partnership"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Contribution
        fields = [
            "q",
            "partnership",
            "partner",
            "city",
            "kind",
            "sector",
            "received",
            "pledged_on_after",
            "pledged_on_before",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value)
            | Q(partner__name__icontains=value)
            | Q(partnership__name__icontains=value)
        )

    def filter_received(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(received_on__isnull=not value)


class RiskFilterSet(_PageFilterSet):
    """The risk register by partnership, city, category, status and minimum score."""

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=_search_input())
    partnership = django_filters.CharFilter(field_name="partnership__slug", label=_("Partnership"))
    city = django_filters.CharFilter(field_name="partnership__city__slug", label=_("City"))
    category = django_filters.ChoiceFilter(choices=RiskCategory.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=_("Status"))
    min_score = django_filters.NumberFilter(
        field_name="score",
        lookup_expr="gte",
        label=_("Minimum score"),
        help_text=_("Likelihood × impact, from 1 to 25."),
        min_value=1,
        max_value=25,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("score", "score"),
            ("likelihood", "likelihood"),
            ("impact", "impact"),
            ("next_review", "next_review"),
            ("title", "title"),
        ),
        field_labels={
            "score": _("Score"),
            "likelihood": _("Likelihood"),
            "impact": _("Impact"),
            "next_review": _("Next review"),
            "title": _("Title"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Risk
        fields = ["q", "partnership", "city", "category", "status", "min_score"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(mitigation__icontains=value)
            | Q(owner__icontains=value)
        )


class LessonFilterSet(_PageFilterSet):
    """The lessons library across cities: search, tag, city and theme of the partnership."""

    q = django_filters.CharFilter(method="search", label=_("Search"), widget=_search_input())
    tag = django_filters.CharFilter(field_name="tags__slug", label=_("Tag"))
    city = django_filters.CharFilter(field_name="partnership__city__slug", label=_("City"))
    theme = django_filters.ChoiceFilter(
        field_name="partnership__theme", choices=Theme.choices, label=_("Theme")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("title", "title")),
        field_labels={"created_at": _("Date written"), "title": _("Title")},
        label=_("Sort by"),
    )

    class Meta:
        model = Lesson
        fields = ["q", "tag", "city", "theme"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(text__icontains=value)
            | Q(partnership__name__icontains=value)
        )
