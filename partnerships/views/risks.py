"""Risk register pages (private to staff and sponsors of the city)."""

from django.utils.translation import gettext_lazy as _

from config.charts import heat_map
from config.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filtersets import (
    RiskFilterSet,
)
from ..forms import (
    RiskForm,
)
from ..models import (
    Risk,
)
from .common import sees_private_data
from .partnership import _PartnershipChildCreateView

# --- Risks --------------------------------------------------------------------------------


class RiskListView(ObjectListView):
    """The risk register of the cities the user may read it for, with a heat map.

    Anyone else gets the page with an explanation and no rows: the register's existence is
    not secret, its contents are.
    """

    model = Risk
    filterset_class = RiskFilterSet
    template_name = "partnerships/risk_list.html"
    results_template_name = "partnerships/partials/_risk_table.html"
    title = _("Risk register")
    csv_columns = [
        (_("Title"), "title"),
        (_("Partnership"), "partnership.name"),
        (_("City"), "partnership.city.name"),
        (_("Category"), "get_category_display"),
        (_("Likelihood"), "likelihood"),
        (_("Impact"), "impact"),
        (_("Score"), "score"),
        (_("Status"), "get_status_display"),
        (_("Owner"), "owner"),
        (_("Mitigation"), "mitigation"),
        (_("Next review"), "next_review"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sees_private"] = sees_private_data(self.request.user)
        if context["sees_private"]:
            counts = self.filtered(context["filterset"]).heat_map()
            context["heat_map"] = heat_map(
                title=str(_("Listed risks by likelihood and impact")),
                counts=counts,
                x_label=str(_("Likelihood")),
                y_label=str(_("Impact")),
            )
            context["heat_headers"] = [_("Impact \\ likelihood"), *range(1, 6)]
            context["heat_rows"] = [
                [y, *[counts.get((x, y), 0) for x in range(1, 6)]] for y in range(5, 0, -1)
            ]
        return context


class RiskDetailView(ObjectDetailView):
    model = Risk
    slug_field = "pk"
    template_name = "partnerships/risk_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city")


class RiskCreateView(_PartnershipChildCreateView):
    model = Risk
    form_class = RiskForm
    create_service = services.risk_create
    title = _("Add a risk")
    success_message = _("The risk was added to the register.")

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()


class RiskEditView(ObjectEditView):
    model = Risk
    slug_field = "pk"
    form_class = RiskForm
    update_service = services.risk_update
    success_message = _("The risk was saved.")


class RiskHistoryView(ObjectHistoryView):
    model = Risk
    slug_field = "pk"


class RiskDeleteView(ObjectDeleteView):
    """Remove a risk recorded by mistake (a risk that passed is closed instead)."""

    model = Risk
    slug_field = "pk"
    delete_service = services.risk_delete
    success_message = _("The risk was removed.")

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url()
