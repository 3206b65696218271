"""What every API endpoint shares: pagination, the rules-based permission, the error shape.

Errors follow RFC 9457 problem details everywhere (validation, auth, permission, not found,
throttling, server errors), served as application/problem+json:

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "The request has invalid fields.", "code": "invalid",
     "errors": {"name": ["This field is required."]}}
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Pagination(PageNumberPagination):
    """Numbered pages of 50 by default; clients may ask for up to 500 with ?page_size=."""

    page_size_query_param = "page_size"
    max_page_size = 500


class RulesPermission(permissions.BasePermission):
    """Check the model's django-rules permissions, the same ones the pages use.

    Lists and reads are scoped by the viewset's queryset (``visible_to(user)``), so an object
    the user may not see is a 404. Creating asks ``<app>.add_<model>``; changing and deleting
    ask ``change``/``delete`` on the object and answer 403 when refused.
    """

    action_perms = {
        "POST": "add",
        "PUT": "change",
        "PATCH": "change",
        "DELETE": "delete",
    }

    def _perm(self, view, kind: str) -> str:
        model = view.get_queryset().model
        return f"{model._meta.app_label}.{kind}_{model._meta.model_name}"

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method == "POST" and getattr(view, "action", None) == "create":
            if getattr(view, "parent_field", None):
                # Nested: ``add`` is asked against the parent, once the payload names it
                # (ServiceViewSetMixin.check_create_permission, from perform_create).
                return True
            return request.user.has_perm(self._perm(view, "add"))
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm(self._perm(view, "view"), obj)
        # A POST on an existing object is an action on it (e.g. contributions/{id}/receive/):
        # it changes the object.
        kind = "change" if request.method == "POST" else self.action_perms[request.method]
        return request.user.has_perm(self._perm(view, kind), obj)


def problem(status: int, detail: str, *, code: str, errors=None, headers=None) -> dict:
    """The problem-details body for ``status``."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_exception_handler(exc, context):
    """DRF's handler, reshaped into problem details."""
    from rest_framework.views import exception_handler  # not at import: DRF loads this module

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; the API reports it like a serializer's.
        errors = dict(exc.message_dict) if hasattr(exc, "error_dict") else {}
        if not errors or NON_FIELD_ERRORS in errors:
            errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS, None) or exc.messages
        exc = exceptions.ValidationError(errors)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = problem(
            response.status_code,
            _("The request has invalid fields."),
            code="invalid",
            errors=errors,
        )
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = problem(response.status_code, detail, code=code)
    renderer = getattr(context.get("request"), "accepted_renderer", None)
    is_json = renderer is None or renderer.format == "json"
    return Response(
        body,
        status=response.status_code,
        headers={k: v for k, v in response.headers.items() if k.lower() != "content-type"},
        content_type=PROBLEM_CONTENT_TYPE if is_json else None,
    )


def problem_response(status: int, detail: str, *, code: str) -> JsonResponse:
    """A problem-details response outside DRF (Django's 404/500 handlers under /api/)."""
    return JsonResponse(
        problem(status, detail, code=code), status=status, content_type=PROBLEM_CONTENT_TYPE
    )


class ServiceViewSetMixin:
    """Route a model viewset's writes through the app's services.

    Set ``create_service``, ``update_service`` and ``delete_service``; each is called with
    keyword arguments and ``actor=request.user``. Validation errors the services raise come
    back as field-level 400s through the problem handler.

    A child created under a parent (a zone under a city, a contribution under a partnership)
    names the parent's serializer field in ``parent_field``: creating then asks
    ``<app>.add_<model>`` (or ``parent_permission``) against the parent from the validated
    payload, and answers 403 when refused. After a write the object is read back through
    ``get_queryset()`` so annotated figures (totals, payments) are in the response.
    """

    create_service = None
    update_service = None
    delete_service = None
    service_object_name = None  # the keyword the update/delete services take the object as
    parent_field = None  # the validated field holding the parent, for nested creates
    parent_permission = None  # defaults to "<app>.add_<model>"
    search_fields = []  # the FilterSet's `q` does the searching
    ordering_fields = []  # and its `ordering` the sorting

    def _object_kw(self) -> str:
        return self.service_object_name or self.get_queryset().model._meta.model_name

    def check_create_permission(self, serializer) -> None:
        """403 unless the user may add this kind of object to the parent in the payload."""
        if not self.parent_field:
            return
        model = self.get_queryset().model
        perm = self.parent_permission or f"{model._meta.app_label}.add_{model._meta.model_name}"
        parent = serializer.validated_data.get(self.parent_field)
        if not self.request.user.has_perm(perm, parent):
            raise exceptions.PermissionDenied(
                _("You may not add this to %(parent)s.") % {"parent": parent}
            )

    def read_back(self, instance):
        """``instance`` as the viewset's queryset returns it (annotations, prefetches)."""
        try:
            return self.get_queryset().get(pk=instance.pk)
        except instance.DoesNotExist:
            return instance

    def perform_create(self, serializer):
        self.check_create_permission(serializer)
        instance = type(self).create_service(**serializer.validated_data, actor=self.request.user)
        serializer.instance = self.read_back(instance)

    def perform_update(self, serializer):
        instance = type(self).update_service(
            **{self._object_kw(): serializer.instance},
            data=serializer.validated_data,
            actor=self.request.user,
        )
        serializer.instance = self.read_back(instance)

    def perform_destroy(self, instance):
        type(self).delete_service(**{self._object_kw(): instance}, actor=self.request.user)


class CreateOnlyFieldsMixin:
    """Serializer fields in ``Meta.create_only_fields`` are writable on create only.

    A contribution's partnership or a partnership's city is chosen once; the services do not
    move objects between parents, so an update may not ask to.
    """

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            for name in getattr(self.Meta, "create_only_fields", ()):
                fields[name].read_only = True
        return fields
