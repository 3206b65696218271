from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.charts import bar_chart, line_chart
from config.generic import (
    LoginRequiredMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)

from . import services
from .filtersets import CityFilterSet
from .forms import CityProfileForm, DepartmentForm, FiscalYearForm, ZoneForm
from .models import City, Department, FiscalYear, Zone
from .selectors import city_dashboard, cohort_summary
from .templatetags.money import format_money


class CityListView(ObjectListView):
    """Every city on the platform, searchable and filterable."""

    model = City
    filterset_class = CityFilterSet
    template_name = "cities/city_list.html"
    results_template_name = "cities/partials/_city_table.html"
    csv_columns = [
        (_("Name"), "name"),
        (_("Slug"), "slug"),
        (_("Country"), "country"),
        (_("State or region"), "region"),
        (_("Population"), "population"),
        (_("Currency"), "currency"),
        (_("Time zone"), "time_zone"),
        (_("Programme status"), "get_programme_status_display"),
        (_("Mayor"), "mayor_name"),
        (_("Mayor's party"), "mayor_party"),
        (_("Term starts"), "mayor_term_start"),
        (_("Term ends"), "mayor_term_end"),
        (_("First term"), "mayor_first_term"),
        (_("Collegial conviction"), "mayor_collegial_conviction"),
        (_("Meets the selection criteria"), "meets_selection_criteria"),
        (_("Zones"), "zone_count"),
    ]

    def get_queryset(self):
        return super().get_queryset().with_zone_count().order_by("name")


def _fiscal_chart(city: City, fiscal_years: list[FiscalYear]) -> dict | None:
    """The fiscal trend line chart and its data table, or None without figures."""
    if not fiscal_years:
        return None
    series = [
        (_("Revenue"), "revenue"),
        (_("Current spending"), "current_spending"),
        (_("Investment"), "investment"),
        (_("Investment capacity"), "investment_capacity"),
    ]
    title = _("Fiscal trend of %(city)s (%(currency)s)") % {
        "city": city.name,
        "currency": city.currency,
    }
    return {
        "chart": line_chart(
            title=title,
            x_labels=[str(fy.year) for fy in fiscal_years],
            series=[(str(label), [getattr(fy, f) for fy in fiscal_years]) for label, f in series],
            unit=city.currency,
        ),
        "caption": title,
        "headers": [_("Year"), *(label for label, _f in series)],
        "rows": [
            [fy.year, *(format_money(getattr(fy, f), city.currency) for _l, f in series)]
            for fy in fiscal_years
        ],
    }


def _sector_chart(city: City, rows: list[dict]) -> dict | None:
    """Contributions pledged per partner sector, as bars with a data table."""
    if not rows:
        return None
    title = _("Contributions to %(city)s by sector (%(currency)s)") % {
        "city": city.name,
        "currency": city.currency,
    }
    return {
        "chart": bar_chart(
            title=title,
            labels=[str(row["label"]) for row in rows],
            values=[row["pledged"] for row in rows],
            unit=city.currency,
        ),
        "caption": title,
        "headers": [_("Sector"), _("Pledged"), _("Received"), _("Contributions")],
        "rows": [
            [
                row["label"],
                format_money(row["pledged"], city.currency),
                format_money(row["received"], city.currency),
                row["count"],
            ]
            for row in rows
        ],
    }


class CityDetailView(ObjectDetailView):
    """A city's public page: profile, mayor, zones, departments, fiscal trend, partnerships."""

    model = City
    template_name = "cities/city_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city, user = self.object, self.request.user
        dashboard = city_dashboard(city=city, user=user)
        context.update(
            dashboard,
            can_change=user.has_perm("cities.change_city", city),
            fiscal_chart=_fiscal_chart(city, dashboard["fiscal_years"]),
            sector_chart=_sector_chart(city, dashboard["contributions_by_sector"]),
            # Through the reverse relation: cities sits below budgeting and never imports it.
            budget_editions=list(
                city.budget_editions.visible_to(user).order_by("-year", "title", "pk")
            ),
            funded_projects=_funded_projects(city, user),
        )
        return context


def _funded_projects(city: City, user) -> list:
    """The projects the city's participatory budgets funded, newest edition first (one query).

    Looked up by name: cities sits below budgeting and never imports it. A project is funded
    only once its edition's results are published, so nothing here is embargoed.
    """
    Project = apps.get_model("budgeting", "Project")
    return list(
        Project.objects.visible_to(user)
        .filter(edition__city=city, selected=True)
        .select_related("edition")
        .order_by("-edition__year", "edition__title", "edition_id", "title", "pk")
    )


class CityEditView(ObjectEditView):
    """City staff (and platform admins) update the city's profile and its mayor."""

    model = City
    form_class = CityProfileForm
    update_service = services.city_update
    template_name = "cities/city_edit.html"
    success_message = _("The city profile was saved.")


class CohortView(TemplateView):
    """The programme's member cities, their mayors, and the cohort's political diversity."""

    template_name = "cities/cohort.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = cohort_summary(user=self.request.user)
        chart = None
        if summary["cities_per_party"]:
            title = _("Member cities per mayor's party")
            chart = {
                "chart": bar_chart(
                    title=str(title),
                    labels=[row.party for row in summary["cities_per_party"]],
                    values=[row.count for row in summary["cities_per_party"]],
                ),
                "caption": title,
                "headers": [_("Party"), _("Cities")],
                "rows": [[row.party, row.count] for row in summary["cities_per_party"]],
            }
        context.update(summary, party_chart=chart)
        return context


# Staff management of what belongs to a city -------------------------------------------------
#
# Zones, departments and fiscal years are managed under their city's URL
# (/cities/<city>/zones/<pk>/edit/): the city comes from the URL, the child is looked up by pk
# within that city (another city's zone is 404 here), add_<child> is checked against the city
# and change/delete against the child, by the generic views in config.generic.


class CityManageView(LoginRequiredMixin, ObjectDetailView):
    """One page listing the city's zones, departments and fiscal years with their actions."""

    model = City
    template_name = "cities/city_manage.html"

    def get_object(self):
        city = super().get_object()
        if not self.request.user.has_perm("cities.change_city", city):
            raise PermissionDenied
        return city

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city = self.object
        context.update(
            zones=list(city.zones.order_by("name")),
            departments=list(city.departments.order_by("name")),
            fiscal_years=list(city.fiscal_years.order_by("-year")),
        )
        return context


class _CityChildMixin:
    """For views under ``<slug:city>/<children>/``: the city, and where to go afterwards."""

    @cached_property
    def city(self) -> City:
        cities = City.objects.visible_to(self.request.user)
        return get_object_or_404(cities, slug=self.kwargs["city"])

    @property
    def manage_url(self) -> str:
        return reverse("cities:city_manage", kwargs={"slug": self.city.slug})

    def get_success_url(self, obj=None) -> str:
        return self.manage_url

    def get_cancel_url(self) -> str:
        return self.manage_url


class CityChildCreateView(_CityChildMixin, ObjectCreateView):
    template_name = "cities/child_form.html"
    parent_kwarg = "city"
    add_title = None  # a whole translatable sentence with %(city)s, per model

    def page_title(self) -> str:
        return self.add_title % {"city": self.city.name}

    def get_parent(self):
        return self.city

    def get_form_kwargs(self) -> dict:
        return {"city": self.city}


class _CityChildObjectView(_CityChildMixin):
    slug_field = "pk"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).filter(city=self.city)


class CityChildEditView(_CityChildObjectView, ObjectEditView):
    template_name = "cities/child_form.html"

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj, city=self.city)


class CityChildDeleteView(_CityChildObjectView, ObjectDeleteView):
    template_name = "cities/child_delete.html"


class ZoneCreateView(CityChildCreateView):
    add_title = _("Add a zone to %(city)s")
    model, form_class = Zone, ZoneForm
    create_service = services.zone_create
    success_message = _("The zone was added.")


class ZoneEditView(CityChildEditView):
    model, form_class = Zone, ZoneForm
    update_service = services.zone_update
    success_message = _("The zone was saved.")


class ZoneDeleteView(CityChildDeleteView):
    model = Zone
    delete_service = services.zone_delete
    success_message = _("The zone was deleted.")


class DepartmentCreateView(CityChildCreateView):
    add_title = _("Add a department to %(city)s")
    model, form_class = Department, DepartmentForm
    create_service = services.department_create
    success_message = _("The department was added.")


class DepartmentEditView(CityChildEditView):
    model, form_class = Department, DepartmentForm
    update_service = services.department_update
    success_message = _("The department was saved.")


class DepartmentDeleteView(CityChildDeleteView):
    model = Department
    delete_service = services.department_delete
    success_message = _("The department was deleted.")


class FiscalYearCreateView(CityChildCreateView):
    add_title = _("Record a fiscal year for %(city)s")
    model, form_class = FiscalYear, FiscalYearForm
    create_service = services.fiscal_year_record
    success_message = _("The fiscal year was recorded.")


class FiscalYearEditView(CityChildEditView):
    model, form_class = FiscalYear, FiscalYearForm
    update_service = services.fiscal_year_update
    success_message = _("The fiscal year was saved.")


class FiscalYearDeleteView(CityChildDeleteView):
    model = FiscalYear
    delete_service = services.fiscal_year_delete
    success_message = _("The fiscal year was deleted.")
