from rest_framework import serializers

from ..models import City, Zone


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "name", "slug", "population"]


class CitySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:city-detail", lookup_field="slug")
    zones = ZoneSerializer(many=True, read_only=True)

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
            "zones",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
