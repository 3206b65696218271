"""API-only FilterSets for the projects and headings of participatory budget editions.

The pages show projects and headings on their edition's page rather than as lists of their own,
so these live with the API (editions share ``budgeting.filtersets.EditionFilterSet`` with the
pages). When a page lists one of these, move its FilterSet to ``budgeting/filtersets.py``.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ProjectStatus
from ..models import Heading, Project


class _EditionChildFilterSet(django_filters.FilterSet):
    edition = django_filters.NumberFilter(field_name="edition_id", label=_("Edition"))
    city = django_filters.CharFilter(field_name="edition__city__slug", label=_("City"))
    zone = django_filters.CharFilter(
        field_name="zone__slug", label=_("Zone"), help_text=_("The zone's slug.")
    )


class ProjectFilterSet(_EditionChildFilterSet):
    """Projects by edition, city, zone, heading, status and search text."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    heading = django_filters.NumberFilter(field_name="heading_id", label=_("Heading"))
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("cost", "cost")), label=_("Sort by")
    )

    class Meta:
        model = Project
        fields = ["q", "edition", "city", "zone", "heading", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class BallotProjectFilterSet(django_filters.FilterSet):
    """The projects on an edition's ballot, as a voter of a zone sees them."""

    zone = django_filters.CharFilter(
        method="for_zone",
        label=_("Voter's zone"),
        help_text=_("A zone's slug: the city-wide projects and those of this zone."),
    )
    heading = django_filters.NumberFilter(field_name="heading_id", label=_("Heading"))

    class Meta:
        model = Project
        fields = ["zone", "heading"]

    def for_zone(self, queryset, name, value):
        return queryset.filter(Q(zone__isnull=True) | Q(zone__slug=value))


class HeadingFilterSet(_EditionChildFilterSet):
    """Headings by edition, city and zone."""

    class Meta:
        model = Heading
        fields = ["edition", "city", "zone"]
