"""Partnership pages and the roles partners play in them."""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from config.generic import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filtersets import (
    PartnershipFilterSet,
)
from ..forms import (
    ParticipationEditForm,
    ParticipationForm,
    PartnershipCreateForm,
    PartnershipForm,
    staff_cities,
)
from ..models import (
    Contribution,
    Lesson,
    OutcomeContract,
    Participation,
    Partnership,
    Risk,
)
from .common import sector_rows, visible_partnership

# --- Partnerships -------------------------------------------------------------------------


def lead_partner(field: str):
    return Subquery(
        Participation.objects.filter(partnership=OuterRef("pk"), is_lead=True).values(
            f"partner__{field}"
        )[:1]
    )


class PartnershipListView(ObjectListView):
    """Every partnership, with its city, lead partner and money pledged and received."""

    model = Partnership
    filterset_class = PartnershipFilterSet
    template_name = "partnerships/partnership_list.html"
    results_template_name = "partnerships/partials/_partnership_table.html"
    title = _("Partnerships")
    csv_columns = [
        (_("Name"), "name"),
        (_("City"), "city.name"),
        (_("Status"), "get_status_display"),
        (_("Theme"), "get_theme_display"),
        (_("Approach"), "get_approach_display"),
        (_("Pillar"), "get_pillar_display"),
        (_("Lead partner"), "lead_name"),
        (_("Start date"), "start_date"),
        (_("End date"), "end_date"),
        (_("Currency"), "city.currency"),
        (_("Pledged"), "pledged_total"),
        (_("Received"), "received_total"),
        (_("Partners"), "partner_count"),
    ]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("city")
            .with_totals()
            .annotate(lead_name=lead_partner("name"), lead_slug=lead_partner("slug"))
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = (
            self.request.user.is_authenticated and staff_cities(self.request.user).exists()
        )
        return context


class PartnershipDetailView(ObjectDetailView):
    """A partnership's public page, with private parts for staff and sponsors of its city."""

    model = Partnership
    template_name = "partnerships/partnership_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("city")
            .prefetch_related(
                "cities_served",
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("partner"),
                ),
                Prefetch("lessons", queryset=Lesson.objects.prefetch_related("tags")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership, user = self.object, self.request.user
        contributions = Contribution.objects.filter(partnership=partnership)
        context["totals"] = contributions.totals()
        context["by_sector"] = sector_rows(contributions.by_sector())
        rows = Contribution.objects.visible_to(user).filter(partnership=partnership)
        context["may_see_contributions"] = user.has_perm(
            "partnerships.view_contribution", Contribution(partnership=partnership)
        )
        if context["may_see_contributions"]:
            context["contributions"] = rows.select_related("partner").order_by("-pledged_on", "id")
        context["may_see_risks"] = user.has_perm(
            "partnerships.view_risk", Risk(partnership=partnership)
        )
        context["contract"] = (
            OutcomeContract.objects.visible_to(user)
            .filter(partnership=partnership)
            .with_payments_due()
            .select_related("outcome_payer")
            .prefetch_related("investors", "measurements")
            .first()
        )
        may = {
            action: user.has_perm(f"partnerships.add_{action}", partnership)
            for action in ("participation", "contribution", "lesson", "risk", "outcomecontract")
        }
        context["may_add"] = may
        context["may_change_children"] = may["contribution"]  # same rule for every child
        context["may_add_measurement"] = context["contract"] is not None and user.has_perm(
            "partnerships.add_outcomemeasurement", context["contract"]
        )
        return context


class PartnershipCreateView(ObjectCreateView):
    """Staff start a partnership for one of their cities (admins for any city)."""

    model = Partnership
    form_class = PartnershipCreateForm
    create_service = services.partnership_create
    title = _("New partnership")
    success_message = _("The partnership was created.")

    def check_permission(self, parent) -> None:
        # The city is chosen in the form, among those the user may add partnerships to.
        user = self.request.user
        self.cities = [
            city
            for city in staff_cities(user)
            if user.has_perm("partnerships.add_partnership", city)
        ]
        if not self.cities:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {"cities": self.cities}

    def get_service_kwargs(self, form) -> dict:
        return {**super().get_service_kwargs(form), **form.fixed}


class PartnershipEditView(ObjectEditView):
    model = Partnership
    form_class = PartnershipForm
    update_service = services.partnership_update
    success_message = _("The partnership was saved.")


class PartnershipDeleteView(ObjectDeleteView):
    model = Partnership
    delete_service = services.partnership_delete


class PartnershipHistoryView(ObjectHistoryView):
    model = Partnership


class _PartnershipChildCreateView(ObjectCreateView):
    """Something added to the partnership in the URL (checked: add_<model> on it)."""

    parent_kwarg = "partnership"

    def get_parent(self):
        return visible_partnership(self.request, self.kwargs["slug"])

    def get_success_url(self, obj) -> str:
        return self.parent.get_absolute_url()


class ParticipationCreateView(_PartnershipChildCreateView):
    model = Participation
    form_class = ParticipationForm
    create_service = services.participation_add
    title = _("Add a partner")
    success_message = _("The partner was added.")


class ParticipationDeleteView(ObjectDeleteView):
    model = Participation
    slug_field = "pk"
    delete_service = services.participation_remove
    success_message = _("The partner's role was removed.")

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city", "partner")

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url()


class ParticipationEditView(ObjectEditView):
    """Change the role a partner plays, or make it the lead."""

    model = Participation
    slug_field = "pk"
    form_class = ParticipationEditForm
    update_service = services.participation_update
    success_message = _("The partner's role was saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city", "partner")

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url()
