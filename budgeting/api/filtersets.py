"""FilterSets for the projects and headings of participatory budget editions.

The pages show projects and headings on their edition's page rather than as lists of their own,
so these live with the API (editions share ``budgeting.filtersets.EditionFilterSet`` with the
pages). ``DeliveryFilterSet`` is shared by the public delivery page and its API list.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import DeliveryStatus, ProjectStatus
from ..models import Heading, Project

CITY_WIDE = "city-wide"


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
    delivery_status = django_filters.ChoiceFilter(
        choices=DeliveryStatus.choices,
        label=_("Delivery status"),
        help_text=_("Of funded projects; the others stay “not started”."),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("title", "title"), ("cost", "cost"), ("progress", "progress")),
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = ["q", "edition", "city", "zone", "heading", "status", "delivery_status"]

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


class DeliveryFilterSet(django_filters.FilterSet):
    """An edition's funded projects by delivery status and zone (the page and the API)."""

    status = django_filters.ChoiceFilter(
        field_name="delivery_status",
        choices=DeliveryStatus.choices,
        label=_("Status"),
        empty_label=_("Any status"),
    )
    zone = django_filters.CharFilter(
        method="in_zone",
        label=_("Zone"),
        help_text=_("A zone's slug, or “city-wide” for the projects of the whole city."),
    )

    class Meta:
        model = Project
        fields = ["status", "zone"]

    def in_zone(self, queryset, name, value):
        if value == CITY_WIDE:
            return queryset.filter(zone__isnull=True)
        return queryset.filter(zone__slug=value)

    def for_page(self, zones) -> None:
        """On the page, the zone is picked from the city's ``zones`` (one query)."""
        self.form.fields["zone"] = forms.ChoiceField(
            label=_("Zone"),
            required=False,
            choices=[
                ("", _("Any zone")),
                (CITY_WIDE, _("City-wide")),
                *((zone.slug, zone.name) for zone in zones),
            ],
        )
