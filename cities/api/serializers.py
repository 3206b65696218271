from rest_framework import serializers

from config.api import CreateOnlyFieldsMixin

from ..models import City, Department, FiscalYear, Zone


class CityZoneSerializer(serializers.ModelSerializer):
    """A zone inside its city's representation."""

    class Meta:
        model = Zone
        fields = ["id", "name", "slug", "population"]


class CitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:city-detail", lookup_field="slug")
    zones = CityZoneSerializer(many=True, read_only=True)

    class Meta:
        model = City
        fields = [
            "id",
            "url",
            "name",
            "slug",
            "country",
            "region",
            "population",
            "currency",
            "time_zone",
            "languages",
            "programme_status",
            "mayor_name",
            "mayor_party",
            "mayor_term_start",
            "mayor_term_end",
            "mayor_first_term",
            "mayor_collegial_conviction",
            "zones",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class _CityChildSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    """A city's zone, department or fiscal year; the city is named by its slug, once."""

    city = serializers.SlugRelatedField(slug_field="slug", queryset=City.objects.all())


class ZoneSerializer(_CityChildSerializer):
    class Meta:
        model = Zone
        fields = ["id", "city", "name", "slug", "population"]
        create_only_fields = ["city"]
        # Uniqueness per city is checked by the service (full_clean), as a field error.
        validators = []


class DepartmentSerializer(_CityChildSerializer):
    class Meta:
        model = Department
        fields = ["id", "city", "name", "secretary", "email"]
        create_only_fields = ["city"]
        validators = []


class FiscalYearSerializer(_CityChildSerializer):
    class Meta:
        model = FiscalYear
        fields = [
            "id",
            "city",
            "year",
            "revenue",
            "current_spending",
            "personnel_spending",
            "investment",
            "debt",
            "investment_capacity",
            "fiscal_balance",
        ]
        read_only_fields = ["investment_capacity", "fiscal_balance"]
        create_only_fields = ["city"]
        validators = []
