"""What every API endpoint shares: pagination, the rules-based permission, the error shape.

Errors follow RFC 9457 problem details everywhere (validation, auth, permission, not found,
throttling, server errors), served as application/problem+json:

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "The request has invalid fields.", "code": "invalid",
     "errors": {"name": ["This field is required."]}}
"""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
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
            return request.user.has_perm(self._perm(view, "add"))
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return request.user.has_perm(self._perm(view, "view"), obj)
        kind = self.action_perms.get(request.method, "change")
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
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
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
    """

    create_service = None
    update_service = None
    delete_service = None
    service_object_name = None  # the keyword the update/delete services take the object as

    def _object_kw(self) -> str:
        return self.service_object_name or self.get_queryset().model._meta.model_name

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(
            **serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = type(self).update_service(
            **{self._object_kw(): serializer.instance},
            data=serializer.validated_data,
            actor=self.request.user,
        )

    def perform_destroy(self, instance):
        type(self).delete_service(**{self._object_kw(): instance}, actor=self.request.user)
