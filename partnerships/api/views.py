"""The partnerships API: partners, partnerships and what hangs off them, written via services."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.choices import Role
from cities.models import City
from config.api import ServiceViewSetMixin

from .. import services
from ..choices import Sector
from ..filtersets import (
    ContributionFilterSet,
    LessonFilterSet,
    PartnerFilterSet,
    PartnershipFilterSet,
    RiskFilterSet,
)
from ..models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
)
from .filtersets import MeasurementFilterSet, OutcomeContractFilterSet, ParticipationFilterSet
from .serializers import (
    ContributionReceiveSerializer,
    ContributionsBySectorSerializer,
    ContributionSerializer,
    LessonSerializer,
    MeasurementSerializer,
    OutcomeContractSerializer,
    ParticipationSerializer,
    PartnerSerializer,
    PartnershipSerializer,
    RiskSerializer,
)


def contributions_by_sector(*, currency: str, contributions) -> dict:
    """The public totals per partner sector of ``contributions`` (no rows, so no scoping)."""
    return {
        "currency": currency,
        "sectors": [
            {
                "sector": row["partner__sector"],
                "sector_label": Sector(row["partner__sector"]).label,
                "pledged": row["pledged"],
                "received": row["received"],
                "count": row["count"],
            }
            for row in contributions.by_sector()
        ],
    }


class PartnerViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """The partner directory: public; city staff register partners, and edit those that work
    in their cities."""

    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    lookup_field = "slug"
    create_service = services.partner_create
    update_service = services.partner_update
    delete_service = services.partner_delete

    def get_queryset(self):
        return Partner.objects.visible_to(self.request.user).select_related("home_city")

    def perform_create(self, serializer):
        user, data = self.request.user, serializer.validated_data
        home_city = data.get("home_city")
        if home_city is None:
            # Staff of exactly one city register partners for it.
            staff_of = user.scope_ids(Role.CITY_STAFF, City)
            if len(staff_of) == 1:
                data["home_city"] = City.objects.get(pk=next(iter(staff_of)))
        elif not user.has_perm("cities.change_city", home_city):
            # Only those who work for a city register partners in its name.
            raise exceptions.PermissionDenied(
                _("You may not register partners for %(city)s.") % {"city": home_city}
            )
        super().perform_create(serializer)


class PartnershipViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Partnerships: public, with their partners, roles and contribution totals; staff of the
    city run them."""

    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    lookup_field = "slug"
    parent_field = "city"  # partnerships.add_partnership is asked against the city
    create_service = services.partnership_create
    update_service = services.partnership_update
    delete_service = services.partnership_delete

    def get_queryset(self):
        return (
            Partnership.objects.visible_to(self.request.user)
            .with_totals()
            .select_related("city")
            .prefetch_related(
                Prefetch(
                    "participations", queryset=Participation.objects.select_related("partner")
                ),
                Prefetch("cities_served", queryset=City.objects.only("pk", "slug")),
            )
        )

    @extend_schema(responses=ContributionsBySectorSerializer, filters=False)
    @action(detail=True, url_path="contributions-by-sector", filter_backends=[])
    def contributions_by_sector(self, request, slug=None):
        """Pledged and received totals per partner sector (public, like all totals)."""
        partnership = self.get_object()
        return Response(
            contributions_by_sector(
                currency=partnership.city.currency,
                contributions=Contribution.objects.filter(partnership=partnership),
            )
        )


class CityContributionsBySectorView(generics.GenericAPIView):
    """Pledged and received totals per partner sector over a city's partnerships (public).

    Served at /api/v1/cities/{slug}/contributions-by-sector/; it lives here because cities
    sit below partnerships and may not import them.
    """

    serializer_class = ContributionsBySectorSerializer
    lookup_field = "slug"
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return City.objects.visible_to(self.request.user)

    def get(self, request, slug=None):
        city = self.get_object()
        return Response(
            contributions_by_sector(
                currency=city.currency,
                contributions=Contribution.objects.filter(partnership__city=city),
            )
        )


class ParticipationViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Who plays which role in which partnership: public; staff of the city assign roles."""

    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet
    parent_field = "partnership"
    create_service = services.participation_add
    update_service = services.participation_update
    delete_service = services.participation_remove

    def get_queryset(self):
        return Participation.objects.visible_to(self.request.user).select_related(
            "partnership", "partner"
        )


class ContributionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Contribution rows: seen only by staff and sponsors of the partnership's city (404 for
    anyone else), recorded by its staff."""

    serializer_class = ContributionSerializer
    filterset_class = ContributionFilterSet
    parent_field = "partnership"
    create_service = services.contribution_record
    update_service = services.contribution_update
    delete_service = services.contribution_delete

    def get_queryset(self):
        return Contribution.objects.visible_to(self.request.user).select_related(
            "partnership", "partner"
        )

    @extend_schema(request=ContributionReceiveSerializer, responses=ContributionSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def receive(self, request, pk=None):
        """Record that a pledged contribution arrived (today unless `received_on` is given)."""
        contribution = self.get_object()
        form = ContributionReceiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        contribution = services.contribution_mark_received(
            contribution=contribution, actor=request.user, **form.validated_data
        )
        return Response(ContributionSerializer(self.read_back(contribution)).data)


class RiskViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """The risk register: seen only by staff and sponsors of the partnership's city (404 for
    anyone else), kept by its staff."""

    serializer_class = RiskSerializer
    filterset_class = RiskFilterSet
    parent_field = "partnership"
    create_service = services.risk_create
    update_service = services.risk_update
    delete_service = services.risk_delete

    def get_queryset(self):
        return Risk.objects.visible_to(self.request.user).select_related("partnership")


class LessonViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Lessons learned, public across cities, with free tags; staff of the city write them."""

    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    parent_field = "partnership"
    create_service = services.lesson_create
    update_service = services.lesson_update
    delete_service = services.lesson_delete

    def get_queryset(self):
        return (
            Lesson.objects.visible_to(self.request.user)
            .select_related("partnership__city")
            .prefetch_related("tags")
        )


class OutcomeContractViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Social impact bonds: public, with what the measurements earn and what is due (capped).

    There is no service to remove one, so the API cannot either.
    """

    serializer_class = OutcomeContractSerializer
    filterset_class = OutcomeContractFilterSet
    parent_field = "partnership"
    service_object_name = "outcomecontract"
    create_service = services.outcome_contract_create
    update_service = services.outcome_contract_update
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return (
            OutcomeContract.objects.visible_to(self.request.user)
            .with_payments_due()
            .select_related("partnership", "outcome_payer")
            .prefetch_related("investors", "measurements")
            .order_by("pk")
        )


class MeasurementViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Measured values of outcome contracts' indicators: public; staff of the partnership's
    city record, correct and remove them."""

    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    parent_field = "contract"  # partnerships.add_outcomemeasurement is asked against it
    create_service = services.measurement_record
    update_service = services.measurement_update
    delete_service = services.measurement_delete

    def get_queryset(self):
        return OutcomeMeasurement.objects.visible_to(self.request.user).select_related(
            "contract__partnership__city"
        )
