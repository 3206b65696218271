"""Setting an edition up and running it: create, edit, schedule, advance, the dashboard."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City
from config.generic import (
    ObjectCreateView,
    ObjectEditView,
    ObjectHistoryView,
    errors_onto_form,
)

from ... import services
from ...choices import SCHEDULED_PHASES, Phase, ProjectStatus, phase_index
from ...forms import EditionCreateForm, EditionForm, ScheduleForm, staff_cities
from ...models import BudgetEdition, CodeBatch, Heading, Project
from ...selectors import participation_figures
from ...throttle import recent_failures
from .common import EditionPageView, StaffDeleteView, manage_url, manages_city


class EditionCreateView(ObjectCreateView):
    """Staff start an edition for their city (``?city=<slug>``) or one of their cities."""

    model = BudgetEdition
    form_class = EditionCreateForm
    create_service = services.edition_create
    template_name = "budgeting/staff/edition_form.html"
    title = _("New participatory budget")
    success_message = _("The edition was created as a draft: only staff see it for now.")

    def check_permission(self, parent) -> None:
        user = self.request.user
        self.city = None
        slug = self.request.GET.get("city")
        if slug:
            self.city = get_object_or_404(City.objects.visible_to(user), slug=slug)
            if not user.has_perm("budgeting.add_budgetedition", self.city):
                raise PermissionDenied
            self.cities = [self.city]
            return
        self.cities = [
            city
            for city in staff_cities(user)
            if user.has_perm("budgeting.add_budgetedition", city)
        ]
        if not self.cities:
            raise PermissionDenied
        if len(self.cities) == 1:
            self.city = self.cities[0]

    def get_form_kwargs(self) -> dict:
        return {"cities": self.cities, "city": self.city}

    def get_service_kwargs(self, form) -> dict:
        return {**form.cleaned_data, **form.fixed}

    def get_success_url(self, obj) -> str:
        return manage_url(obj)

    def get_cancel_url(self) -> str:
        return self.city.get_absolute_url() if self.city else reverse("budgeting:edition_list")


class _EditionObjectMixin:
    model = BudgetEdition
    slug_field = "pk"

    def get_queryset(self):
        return super().get_queryset().select_related("city")

    def get_success_url(self, obj) -> str:
        return manage_url(obj)


def _edition_update(*, budgetedition: BudgetEdition, data: dict, actor) -> BudgetEdition:
    """``edition_update`` under the keyword the generic edit view passes (the model's name)."""
    return services.edition_update(edition=budgetedition, data=data, actor=actor)


class EditionEditView(_EditionObjectMixin, ObjectEditView):
    """Change an edition's rules; once voting opened, the frozen ones are shown disabled."""

    form_class = EditionForm
    update_service = _edition_update
    template_name = "budgeting/staff/edition_form.html"
    success_message = _("The edition was saved.")


class EditionDeleteView(_EditionObjectMixin, StaffDeleteView):
    """Remove a draft edition (a published one keeps its proposals and ballots)."""

    delete_service = services.edition_delete
    service_kwarg = "edition"
    success_message = _("The draft edition was deleted.")

    def edition_of(self, obj) -> BudgetEdition:
        return obj

    def get_success_url(self, obj) -> str:
        return obj.city.get_absolute_url()


class EditionHistoryView(_EditionObjectMixin, ObjectHistoryView):
    template_name = "budgeting/staff/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.object
        return context


class EditionScheduleView(EditionPageView):
    """When each phase starts, typed in the city's time zone."""

    template_name = "budgeting/staff/schedule.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.edition_schedule_set(
                    edition=self.edition, dates=form.dates(), actor=request.user
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("The schedule was saved."))
                return redirect(manage_url(self.edition, "schedule"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form(self, data=None) -> ScheduleForm:
        return ScheduleForm(data, edition=self.edition)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["time_zone"] = self.edition.city.time_zone
        return context


class EditionAdvanceView(EditionPageView):
    """Move the edition to its next phase: a confirmation page, then a POST."""

    permission = "budgeting.advance_budgetedition"
    template_name = "budgeting/staff/advance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(advance_context(self.edition))
        return context

    def post(self, request, *args, **kwargs):
        edition = self.edition
        try:
            edition = services.edition_advance(edition=edition, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The edition is now in its %(phase)s phase.")
                % {"phase": edition.get_phase_display().lower()},
            )
        return redirect(manage_url(edition))


def advance_context(edition: BudgetEdition) -> dict:
    """The phase "advance" leads to, and whether that opens voting (and freezes the rules)."""
    next_phase = services.edition_next_phase(edition)
    return {
        "next_phase": Phase(next_phase) if next_phase else None,
        "opens_voting": bool(next_phase)
        and phase_index(edition.phase) < phase_index(Phase.VOTING) <= phase_index(next_phase),
        "publishes": edition.phase == Phase.DRAFT,
    }


class EditionManageView(EditionPageView):
    """The staff's dashboard of one edition: phase, headings, projects, codes, turnout."""

    template_name = "budgeting/staff/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition, user = self.edition, self.request.user
        headings = list(
            Heading.objects.filter(edition=edition)
            .select_related("zone")
            .annotate(project_count=Count("projects"))
            .order_by("zone__name", "name")
        )
        projects = list(
            Project.objects.filter(edition=edition)
            .select_related("heading", "zone")
            .order_by("status", "title", "pk")
        )
        statuses = [project.status for project in projects]
        counts = {
            "submitted": statuses.count(ProjectStatus.SUBMITTED),
            "on_ballot": statuses.count(ProjectStatus.FEASIBLE),
        }
        batches = list(
            CodeBatch.objects.filter(edition=edition)
            .select_related("zone", "created_by")
            .order_by("-created_at")
        )
        # Child permissions depend on the edition only: ask once, not once per row.
        heading, project = Heading(edition=edition), Project(edition=edition)
        failures = recent_failures(edition.pk)
        schedule = {row.phase: row.starts_at for row in edition.schedule.all()}
        context.update(
            advance_context(edition),
            headings=headings,
            projects=projects,
            project_counts=counts,
            batches=batches,
            codes_total=sum(batch.size for batch in batches),
            figures=participation_figures(edition=edition),
            recent_failures=failures,
            failures_high=failures >= settings.VOTING_SPIKE_ALERT,
            schedule=[(Phase(phase), schedule.get(phase)) for phase in SCHEDULED_PHASES],
            may={
                "advance": user.has_perm("budgeting.advance_budgetedition", edition),
                "delete": user.has_perm("budgeting.delete_budgetedition", edition),
                "add_heading": user.has_perm("budgeting.add_heading", edition),
                "change_heading": user.has_perm("budgeting.change_heading", heading),
                "delete_heading": user.has_perm("budgeting.delete_heading", heading),
                "add_project": user.has_perm("budgeting.add_project", edition),
                "change_project": user.has_perm("budgeting.change_project", project),
                "review_project": user.has_perm("budgeting.review_project", project),
                "delete_project": user.has_perm("budgeting.delete_project", project),
                "codes": user.has_perm("budgeting.add_votingcode", edition),
                "paper": user.has_perm("budgeting.add_paperballot", edition),
                "participation": user.has_perm("budgeting.view_participation", edition),
                "residents": manages_city(user, edition.city),
            },
        )
        return context
