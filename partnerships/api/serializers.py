"""Partners, partnerships and what hangs off them, as integrators read and write them.

Related objects are named by slug where they have one (cities, partners, partnerships), so an
integrator never needs our ids. Nested data is read-only; a parent is chosen on create only.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.models import City
from config.api import CreateOnlyFieldsMixin

from ..choices import Sector
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

MONEY = {"max_digits": 30, "decimal_places": 2, "read_only": True}


def _slug_of(model, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=model.objects.all(), **kwargs)


class PartnerSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:partner-detail", lookup_field="slug")
    home_city = _slug_of(
        City,
        required=False,
        allow_null=True,
        help_text=_(
            "The city that registers the partner (you must be its staff). Defaults to your "
            "city when you are staff of exactly one."
        ),
    )
    slug = serializers.SlugField(
        max_length=200, required=False, help_text=_("Made from the name when left out.")
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "url",
            "name",
            "slug",
            "sector",
            "kind",
            "country",
            "website",
            "description",
            "home_city",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        create_only_fields = ["home_city"]


class PartnershipParticipationSerializer(serializers.ModelSerializer):
    """A partner's role, inside its partnership's representation."""

    partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    partner_sector = serializers.CharField(source="partner.sector", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "partner", "partner_name", "partner_sector", "role", "is_lead", "notes"]
        read_only_fields = fields


class PartnershipSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:partnership-detail", lookup_field="slug"
    )
    city = _slug_of(City, help_text=_("The city that runs the partnership."))
    cities_served = _slug_of(City, many=True, required=False)
    slug = serializers.SlugField(
        max_length=200, required=False, help_text=_("Made from the name when left out.")
    )
    participations = PartnershipParticipationSerializer(many=True, read_only=True)
    lead_partner = serializers.SerializerMethodField()
    currency = serializers.CharField(source="city.currency", read_only=True)
    pledged_total = serializers.DecimalField(
        **MONEY, help_text=_("Pledged value, in the city's currency.")
    )
    received_total = serializers.DecimalField(
        **MONEY, help_text=_("Received value, in the city's currency.")
    )
    partner_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "url",
            "name",
            "slug",
            "city",
            "cities_served",
            "objective",
            "description",
            "theme",
            "approach",
            "pillar",
            "status",
            "start_date",
            "end_date",
            "participations",
            "lead_partner",
            "partner_count",
            "currency",
            "pledged_total",
            "received_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        create_only_fields = ["city"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_lead_partner(self, partnership) -> str | None:
        """The lead partner's slug (from the prefetched roles)."""
        for participation in partnership.participations.all():
            if participation.is_lead:
                return participation.partner.slug
        return None


class _PartnershipChildSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    """Something that belongs to a partnership, named by the partnership's slug."""

    partnership = _slug_of(Partnership)


class ParticipationSerializer(_PartnershipChildSerializer):
    partner = _slug_of(Partner)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "partnership", "partner", "partner_name", "role", "is_lead", "notes"]
        create_only_fields = ["partnership", "partner"]
        # One role per partner and one lead per partnership: checked by the service, as
        # field errors, with everything else.
        validators = []


class ContributionSerializer(_PartnershipChildSerializer):
    partner = _slug_of(Partner)
    value = serializers.DecimalField(**MONEY, help_text=_("The value in the city's currency."))
    is_received = serializers.BooleanField(read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "partnership",
            "partner",
            "kind",
            "description",
            "amount",
            "currency",
            "exchange_rate",
            "value",
            "pledged_on",
            "received_on",
            "is_received",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        create_only_fields = ["partnership", "partner"]


class ContributionReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField(
        required=False, help_text=_("The day it arrived; today when left out.")
    )


class RiskSerializer(_PartnershipChildSerializer):
    class Meta:
        model = Risk
        fields = [
            "id",
            "partnership",
            "title",
            "category",
            "description",
            "likelihood",
            "impact",
            "score",
            "mitigation",
            "owner",
            "status",
            "next_review",
        ]
        read_only_fields = ["score"]
        create_only_fields = ["partnership"]


class TagListField(serializers.ListField):
    """Tags as plain strings, in and out."""

    child = serializers.CharField(max_length=60)

    def to_representation(self, tags):
        return [tag.name for tag in tags.all()]


class LessonSerializer(_PartnershipChildSerializer):
    tags = TagListField(required=False)
    city = serializers.SlugRelatedField(
        source="partnership.city", slug_field="slug", read_only=True
    )

    class Meta:
        model = Lesson
        fields = ["id", "partnership", "city", "title", "text", "tags", "created_at"]
        read_only_fields = ["created_at"]
        create_only_fields = ["partnership"]


class ContractMeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeMeasurement
        fields = ["id", "measured_on", "value", "source"]
        read_only_fields = fields


class OutcomeContractSerializer(_PartnershipChildSerializer):
    outcome_payer = _slug_of(Partner)
    investors = _slug_of(Partner, many=True, required=False)
    measurements = ContractMeasurementSerializer(many=True, read_only=True)
    payments_earned = serializers.DecimalField(
        **MONEY, help_text=_("What the measurements earn, before the cap.")
    )
    payments_due = serializers.DecimalField(**MONEY, help_text=_("What is due: earned, capped."))

    class Meta:
        model = OutcomeContract
        fields = [
            "id",
            "partnership",
            "outcome_payer",
            "investors",
            "indicator",
            "unit",
            "direction",
            "baseline",
            "target",
            "threshold",
            "price_per_unit",
            "cap",
            "currency",
            "measurements",
            "payments_earned",
            "payments_due",
        ]
        create_only_fields = ["partnership"]
        validators = []  # one contract per partnership: the service says so as a field error


class MeasurementSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=OutcomeContract.objects.all())

    class Meta:
        model = OutcomeMeasurement
        fields = ["id", "contract", "measured_on", "value", "source"]
        create_only_fields = ["contract"]
        validators = []


class SectorTotalSerializer(serializers.Serializer):
    sector = serializers.ChoiceField(choices=Sector.choices)
    sector_label = serializers.CharField()
    pledged = serializers.DecimalField(max_digits=30, decimal_places=2)
    received = serializers.DecimalField(max_digits=30, decimal_places=2)
    count = serializers.IntegerField()


class ContributionsBySectorSerializer(serializers.Serializer):
    """Public totals per partner sector, in the city's currency."""

    currency = serializers.CharField()
    sectors = SectorTotalSerializer(many=True)
