from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.charts import bar_chart, line_chart
from config.generic import ObjectDetailView, ObjectEditView, ObjectListView

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
        )
        return context


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
# config.generic has no create/delete views yet, so these three small views do the same job
# for objects that hang off a city: the city comes from the URL, the child from its pk within
# that city; add_<child> is checked against the city, change/delete against the child.


class CityManageView(ObjectDetailView):
    """One page listing the city's zones, departments and fiscal years with their actions."""

    model = City
    template_name = "cities/city_manage.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

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


class _CityChildView(TemplateView):
    model = None
    form_class = None
    template_name = "cities/child_form.html"
    action = None  # "add", "change" or "delete"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.city = get_object_or_404(City.objects.visible_to(request.user), slug=kwargs["slug"])
        self.object = None
        if "pk" in kwargs:
            children = self.model.objects.visible_to(request.user).filter(city=self.city)
            self.object = get_object_or_404(children, pk=kwargs["pk"])
        opts = self.model._meta
        target = self.city if self.action == "add" else self.object
        if not request.user.has_perm(f"{opts.app_label}.{self.action}_{opts.model_name}", target):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def success_url(self) -> str:
        return reverse("cities:city_manage", kwargs={"slug": self.city.slug})

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, instance=self.object, city=self.city)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            city=self.city,
            object=self.object,
            action=self.action,
            model_opts=self.model._meta,
            cancel_url=self.success_url(),
        )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def save(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                self.save(form)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, messages_ in errors.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CityChildCreateView(_CityChildView):
    action = "add"
    create_service = None
    success_message = _("Added.")

    def save(self, form):
        return type(self).create_service(
            city=self.city, actor=self.request.user, **form.cleaned_data
        )


class CityChildEditView(_CityChildView):
    action = "change"
    update_service = None
    success_message = _("Saved.")

    def save(self, form):
        return type(self).update_service(
            **{self.model._meta.model_name: self.object},
            data=form.cleaned_data,
            actor=self.request.user,
        )


class CityChildDeleteView(_CityChildView):
    action = "delete"
    delete_service = None
    template_name = "cities/child_delete.html"
    success_message = _("Deleted.")

    def get_form(self):
        return None

    def post(self, request, *args, **kwargs):
        try:
            type(self).delete_service(
                **{self.model._meta.model_name: self.object}, actor=request.user
            )
        except ValidationError as exc:
            context = self.get_context_data(errors=exc.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, self.success_message)
        return redirect(self.success_url())


class ZoneCreateView(CityChildCreateView):
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
