"""Partner directory pages."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from config.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filtersets import (
    PartnerFilterSet,
)
from ..forms import (
    PartnerCreateForm,
    PartnerForm,
)
from ..models import (
    Contribution,
    Participation,
    Partner,
)
from ..querysets import ZERO

# --- Partners -----------------------------------------------------------------------------


class PartnerListView(ObjectListView):
    """The partner directory, by sector and kind of organisation."""

    model = Partner
    filterset_class = PartnerFilterSet
    template_name = "partnerships/partner_list.html"
    results_template_name = "partnerships/partials/_partner_table.html"
    title = _("Partners")
    csv_columns = [
        (_("Name"), "name"),
        (_("Sector"), "get_sector_display"),
        (_("Kind"), "get_kind_display"),
        (_("Country"), "country"),
        (_("Website"), "website"),
        (_("Registered by city"), "home_city.name"),
        (_("Partnerships"), "partnership_count"),
    ]

    def get_queryset(self):
        return (
            super().get_queryset().select_related("home_city").with_partnership_count()
        ).order_by("name")


class PartnerDetailView(ObjectDetailView):
    """A partner: who it is, where it takes part, and what it gave in total."""

    model = Partner
    template_name = "partnerships/partner_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("home_city")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        context["participations"] = (
            Participation.objects.visible_to(self.request.user)
            .filter(partner=partner)
            .select_related("partnership__city")
            .order_by("partnership__name", "role")
        )
        # Totals per partnership are public; the rows stay private.
        context["totals"] = (
            Contribution.objects.filter(partner=partner)
            .order_by()
            .values("partnership__name", "partnership__slug", "partnership__city__currency")
            .annotate(
                pledged=Sum("value"),
                received=Coalesce(Sum("value", filter=Q(received_on__isnull=False)), ZERO),
            )
            .order_by("partnership__name")
        )
        return context


class PartnerCreateView(ObjectCreateView):
    """City staff and admins register an organisation."""

    model = Partner
    form_class = PartnerCreateForm
    create_service = services.partner_create
    title = _("New partner")
    success_message = _("The partner was registered.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_service_kwargs(self, form) -> dict:
        return {**super().get_service_kwargs(form), **form.fixed}


class PartnerEditView(ObjectEditView):
    model = Partner
    form_class = PartnerForm
    update_service = services.partner_update
    success_message = _("The partner was saved.")


class PartnerHistoryView(ObjectHistoryView):
    model = Partner
