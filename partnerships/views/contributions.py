"""Contribution pages (rows private to the city; totals public)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from config.generic import (
    LoginRequiredMixin,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
)

from .. import services
from ..filtersets import (
    ContributionFilterSet,
)
from ..forms import (
    ContributionForm,
    ReceiveForm,
)
from ..models import (
    Contribution,
)
from .common import sector_rows, sees_private_data
from .partnership import _PartnershipChildCreateView

# --- Contributions ------------------------------------------------------------------------


class ContributionListView(ObjectListView):
    """Contribution rows for staff and sponsors of the city; public totals for everyone.

    Everybody sees the totals by partner sector (for the city and partnership filters, the
    level at which totals are public); the rows are listed only where the user may read them.
    """

    model = Contribution
    filterset_class = ContributionFilterSet
    template_name = "partnerships/contribution_list.html"
    results_template_name = "partnerships/partials/_contribution_table.html"
    title = _("Contributions")
    csv_columns = [
        (_("Partnership"), "partnership.name"),
        (_("City"), "partnership.city.name"),
        (_("Partner"), "partner.name"),
        (_("Partner sector"), "partner.get_sector_display"),
        (_("Kind"), "get_kind_display"),
        (_("Description"), "description"),
        (_("Amount"), "amount"),
        (_("Currency"), "currency"),
        (_("Exchange rate"), "exchange_rate"),
        (_("Value in the city's currency"), "value"),
        (_("City currency"), "partnership.city.currency"),
        (_("Pledged on"), "pledged_on"),
        (_("Received on"), "received_on"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = Contribution.objects.all()
        if city := self.request.GET.get("city"):
            public = public.filter(partnership__city__slug=city)
        if partnership := self.request.GET.get("partnership"):
            public = public.filter(partnership__slug=partnership)
        context["by_sector"] = sector_rows(public.by_sector())
        context["sees_private"] = sees_private_data(self.request.user)
        return context


class ContributionCreateView(_PartnershipChildCreateView):
    model = Contribution
    form_class = ContributionForm
    create_service = services.contribution_record
    title = _("Record a contribution")
    success_message = _("The contribution was recorded.")

    def get_form_kwargs(self):
        return {"partnership": self.parent}


class ContributionReceiveView(LoginRequiredMixin, View):
    """Mark a pledged contribution as received (POST from the partnership page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        contribution = (
            Contribution.objects.visible_to(request.user)
            .select_related("partnership__city", "partner")
            .filter(pk=pk)
            .first()
        )
        if contribution is None:
            raise Http404
        if not request.user.has_perm("partnerships.change_contribution", contribution):
            raise PermissionDenied
        form = ReceiveForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                services.contribution_mark_received(
                    contribution=contribution,
                    received_on=form.cleaned_data["received_on"],
                    actor=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The contribution was marked as received."))
        return redirect(contribution.partnership.get_absolute_url() + "#contributions")


class ContributionEditView(ObjectEditView):
    """Correct a contribution (staff of the partnership's city)."""

    model = Contribution
    slug_field = "pk"
    form_class = ContributionForm
    update_service = services.contribution_update
    success_message = _("The contribution was saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city", "partner")

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj, partnership=obj.partnership)

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url() + "#contributions"


class ContributionDeleteView(ObjectDeleteView):
    """Remove a contribution recorded by mistake."""

    model = Contribution
    slug_field = "pk"
    delete_service = services.contribution_delete
    success_message = _("The contribution was removed.")

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city", "partner")

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url() + "#contributions"
