from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import ApiToken, RoleAssignment, User


class RoleSerializer(serializers.ModelSerializer):
    scope = serializers.SerializerMethodField()

    class Meta:
        model = RoleAssignment
        fields = ["role", "scope"]

    def get_scope(self, obj) -> dict | None:
        if not obj.scope_type_id:
            return None
        return {"type": obj.scope_type.model, "id": obj.scope_id}


class MeSerializer(serializers.ModelSerializer):
    roles = RoleSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "is_superuser", "roles"]
        read_only_fields = fields


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its key."""

    display_key = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "display_key",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = ["created_at", "last_used_at", "revoked_at"]


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """A token just created: the only time its key is returned."""

    key = serializers.CharField(
        read_only=True, help_text=_("The secret key. It is shown once and cannot be recovered.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
