"""Outcome contract (social impact bond) pages."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from config.generic import (
    ObjectCreateView,
)

from .. import services
from ..forms import (
    MeasurementForm,
)
from ..models import (
    OutcomeContract,
    OutcomeMeasurement,
)
from .common import visible_partnership

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
