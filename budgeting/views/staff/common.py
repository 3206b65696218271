"""What the staff's budget pages share: finding the edition, checking the permission, links."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.generic import ObjectDeleteView

from ...models import BudgetEdition


def manages_city(user, city) -> bool:
    """Platform admins and the city's staff: who verifies the city's residents."""
    return user.has_perm("budgeting.manage_residents", city)


def manage_url(edition: BudgetEdition, anchor: str = "") -> str:
    """The edition's staff dashboard, at ``#anchor`` when given."""
    url = reverse("budgeting:edition_manage", kwargs={"pk": edition.pk})
    return f"{url}#{anchor}" if anchor else url


def no_store(response):
    """Keep a response out of every cache (codes and receipts are shown once)."""
    response["Cache-Control"] = "no-store"
    return response


class EditionPageView(TemplateView):
    """A staff page about one edition: 404 when hidden from the user, 403 without ``permission``.

    The anonymous visitor is sent to the login page, unless ``permission`` lets everyone in
    (participation figures once the results are out).
    """

    permission = "budgeting.change_budgetedition"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                self.edition  # noqa: B018 (an open page answers anonymous visitors too)
            except (Http404, PermissionDenied):
                return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def edition_queryset(self):
        return BudgetEdition.objects.visible_to(self.request.user).select_related("city")

    @cached_property
    def edition(self) -> BudgetEdition:
        edition = get_object_or_404(self.edition_queryset(), pk=self.kwargs["pk"])
        if not self.request.user.has_perm(self.permission, edition):
            raise PermissionDenied
        return edition

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.edition
        context["manage_url"] = manage_url(self.edition)
        return context


class StaffDeleteView(ObjectDeleteView):
    """Delete something of an edition; a refusal (say, projects still use a heading) is shown
    on the edition's dashboard, where the staff came from."""

    template_name = "budgeting/staff/confirm_delete.html"
    service_kwarg = None  # the service's keyword for the object ("heading", "edition"...)

    def edition_of(self, obj) -> BudgetEdition:
        return obj.edition

    def get_success_url(self, obj) -> str:
        return manage_url(self.edition_of(obj))

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(
            {
                "object": obj,
                "edition": self.edition_of(obj),
                "cancel_url": manage_url(self.edition_of(obj)),
                "view": self,
                "model_opts": self.model._meta,
            }
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        success_url = self.get_success_url(obj)
        try:
            type(self).delete_service(**{self.service_kwarg: obj}, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(manage_url(self.edition_of(obj)))
        messages.success(
            request, self.success_message or _("%(name)s was deleted.") % {"name": str(obj)}
        )
        return redirect(success_url)
