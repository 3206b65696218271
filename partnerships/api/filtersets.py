"""API-only FilterSets for models no page lists on their own.

Roles, outcome contracts and measurements show on the partnership page; partners,
partnerships, contributions, risks and lessons use the shared FilterSets in
``partnerships/filtersets.py``. When a page lists one of these, move its FilterSet there.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from ..choices import ParticipationRole
from ..models import OutcomeContract, OutcomeMeasurement, Participation


class ParticipationFilterSet(django_filters.FilterSet):
    partnership = django_filters.CharFilter(field_name="partnership__slug", label=_("Partnership"))
    partner = django_filters.CharFilter(field_name="partner__slug", label=_("Partner"))
    city = django_filters.CharFilter(field_name="partnership__city__slug", label=_("City"))
    role = django_filters.ChoiceFilter(choices=ParticipationRole.choices, label=_("Role"))
    is_lead = django_filters.BooleanFilter(label=_("Lead partner"))

    class Meta:
        model = Participation
        fields = ["partnership", "partner", "city", "role", "is_lead"]


class OutcomeContractFilterSet(django_filters.FilterSet):
    partnership = django_filters.CharFilter(field_name="partnership__slug", label=_("Partnership"))
    city = django_filters.CharFilter(field_name="partnership__city__slug", label=_("City"))
    outcome_payer = django_filters.CharFilter(
        field_name="outcome_payer__slug", label=_("Outcome payer")
    )

    class Meta:
        model = OutcomeContract
        fields = ["partnership", "city", "outcome_payer"]


class MeasurementFilterSet(django_filters.FilterSet):
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Outcome contract"))
    partnership = django_filters.CharFilter(
        field_name="contract__partnership__slug", label=_("Partnership")
    )
    measured_on_after = django_filters.DateFilter(
        field_name="measured_on", lookup_expr="gte", label=_("Measured from")
    )
    measured_on_before = django_filters.DateFilter(
        field_name="measured_on", lookup_expr="lte", label=_("Measured until")
    )

    class Meta:
        model = OutcomeMeasurement
        fields = ["contract", "partnership", "measured_on_after", "measured_on_before"]
