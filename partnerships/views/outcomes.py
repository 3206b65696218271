"""Outcome contract (social impact bond) pages."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from config.generic import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectEditView,
)

from .. import services
from ..forms import (
    MeasurementForm,
    OutcomeContractForm,
)
from ..models import (
    OutcomeContract,
    OutcomeMeasurement,
)
from .common import visible_partnership
from .partnership import _PartnershipChildCreateView

# --- Outcome contracts --------------------------------------------------------------------


class MeasurementCreateView(ObjectCreateView):
    """Record a measured value of the partnership's outcome contract."""

    model = OutcomeMeasurement
    form_class = MeasurementForm
    create_service = services.measurement_record
    parent_kwarg = "contract"
    title = _("Record a measurement")
    success_message = _("The measurement was recorded.")

    def get_parent(self):
        partnership = visible_partnership(self.request, self.kwargs["slug"])
        contract = OutcomeContract.objects.filter(partnership=partnership).first()
        if contract is None:
            raise Http404
        return contract

    def get_success_url(self, obj) -> str:
        return obj.contract.partnership.get_absolute_url() + "#outcome"


class OutcomeContractCreateView(_PartnershipChildCreateView):
    """Attach a social impact bond to the partnership (one per partnership)."""

    model = OutcomeContract
    form_class = OutcomeContractForm
    create_service = services.outcome_contract_create
    title = _("Add an outcome contract")
    success_message = _("The outcome contract was saved.")

    def get_parent(self):
        partnership = super().get_parent()
        if OutcomeContract.objects.filter(partnership=partnership).exists():
            raise Http404  # it has one already: edit that instead
        return partnership

    def get_form_kwargs(self):
        return {"partnership": self.parent}

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url() + "#outcome"


class OutcomeContractEditView(ObjectEditView):
    """Change the terms of an outcome contract."""

    model = OutcomeContract
    slug_field = "pk"
    form_class = OutcomeContractForm
    update_service = services.outcome_contract_update
    success_message = _("The outcome contract was saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city")

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj, partnership=obj.partnership)

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url() + "#outcome"


class _MeasurementView:
    model = OutcomeMeasurement
    slug_field = "pk"

    def get_queryset(self):
        return super().get_queryset().select_related("contract__partnership__city")

    def get_success_url(self, obj) -> str:
        return obj.contract.partnership.get_absolute_url() + "#outcome"


class MeasurementEditView(_MeasurementView, ObjectEditView):
    """Correct a measurement."""

    form_class = MeasurementForm
    update_service = services.measurement_update
    success_message = _("The measurement was saved.")


class MeasurementDeleteView(_MeasurementView, ObjectDeleteView):
    """Remove a measurement recorded by mistake."""

    delete_service = services.measurement_delete
    success_message = _("The measurement was removed.")
