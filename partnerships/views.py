"""Pages for partners, partnerships, contributions, risks and lessons.

Lists start from ``visible_to(user)`` and filter with the FilterSets the API uses; changes go
through services.py; permissions are the rules in rules.py (see config/generic.py for the
404/403/login answers every page shares).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from config.charts import heat_map
from config.generic import (
    LoginRequiredMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from . import services
from .choices import Sector
from .filtersets import (
    ContributionFilterSet,
    LessonFilterSet,
    PartnerFilterSet,
    PartnershipFilterSet,
    RiskFilterSet,
)
from .forms import (
    ContributionForm,
    LessonForm,
    MeasurementForm,
    ParticipationForm,
    PartnerCreateForm,
    PartnerForm,
    PartnershipCreateForm,
    PartnershipForm,
    ReceiveForm,
    RiskForm,
    staff_cities,
)
from .models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
)
from .querysets import ZERO, _private_city_ids


def sees_private_data(user) -> bool:
    """Whether the user may read risks or contribution rows of at least one city."""
    city_ids = _private_city_ids(user)
    return city_ids is None or bool(city_ids)


def visible_partnership(request, slug: str) -> Partnership:
    """The partnership named in the URL, 404 when the user may not see it."""
    return get_object_or_404(
        Partnership.objects.visible_to(request.user).select_related("city"), slug=slug
    )


def sector_rows(aggregates) -> list[dict]:
    """``by_sector()`` rows with the sector's translated name."""
    labels = dict(Sector.choices)
    return [{**row, "sector": labels.get(row["partner__sector"], "")} for row in aggregates]


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
            for action in ("participation", "contribution", "lesson", "risk")
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


# --- Lessons ------------------------------------------------------------------------------


class LessonListView(ObjectListView):
    """The lessons library, searchable across cities."""

    model = Lesson
    filterset_class = LessonFilterSet
    template_name = "partnerships/lesson_list.html"
    results_template_name = "partnerships/partials/_lesson_table.html"
    title = _("Lessons learned")
    csv_columns = [
        (_("Title"), "title"),
        (_("Partnership"), "partnership.name"),
        (_("City"), "partnership.city.name"),
        (_("Theme"), "partnership.get_theme_display"),
        (_("Tags"), "tags"),
        (_("Lesson"), "text"),
        (_("Written"), "created_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city").prefetch_related("tags")


class LessonDetailView(ObjectDetailView):
    model = Lesson
    slug_field = "pk"
    template_name = "partnerships/lesson_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partnership__city").prefetch_related("tags")


class LessonCreateView(_PartnershipChildCreateView):
    model = Lesson
    form_class = LessonForm
    create_service = services.lesson_create
    title = _("Write a lesson learned")
    success_message = _("The lesson was saved.")

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()


class LessonEditView(ObjectEditView):
    model = Lesson
    slug_field = "pk"
    form_class = LessonForm
    update_service = services.lesson_update
    success_message = _("The lesson was saved.")


class LessonHistoryView(ObjectHistoryView):
    model = Lesson
    slug_field = "pk"


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
