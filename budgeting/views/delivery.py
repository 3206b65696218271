"""Delivery of funded projects: the staff's page to record it, everyone's list to follow it.

The staff page of a project (``budgeting.change_delivery``: the city's staff or a platform
admin, a funded project, an edition in its results or delivery phase) takes the status,
progress and money spent, the milestones and the public updates; each form parses, the
service in ``budgeting.services.results`` validates and saves, and its field errors come back
onto the form. A project the user may not see is 404, one they may not change is 403, and the
anonymous visitor is asked to log in first.

The public list of an edition's funded projects exists once its results are published (404
before, for everyone: nothing is funded until then).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from cities.models import Zone
from config.generic import ObjectListView, errors_onto_form

from .. import services
from ..api.filtersets import DeliveryFilterSet
from ..choices import DeliveryStatus
from ..forms_delivery import DeliveryForm, MilestoneForm, ProjectUpdateForm
from ..models import Milestone, Project, ProjectUpdate
from ..services.results import DELIVERY_FIELDS
from ..templatetags.budgeting_delivery import city_today, milestone_rows, spent_share
from .public.common import edition_for

# --- the staff's page -----------------------------------------------------------------------


class _ProjectDeliveryMixin:
    """A funded project the user may record the delivery of: login, then 404, then 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        project = (
            Project.objects.visible_to(user)
            .filter(edition_id=kwargs["edition"], pk=kwargs["pk"])
            .select_related("edition__city", "zone")
            .first()
        )
        if project is None or not user.has_perm("budgeting.view_project", project):
            raise Http404(_("No project here."))
        if not user.has_perm("budgeting.change_delivery", project):
            raise PermissionDenied(
                _("The delivery of funded projects is recorded by the city's staff.")
            )
        self.project, self.edition = project, project.edition
        return super().dispatch(request, *args, **kwargs)

    def page_url(self, anchor: str = "") -> str:
        """The project's delivery page (at ``anchor``), where every form comes back to."""
        url = reverse(
            "budgeting:project_delivery",
            kwargs={"edition": self.edition.pk, "pk": self.project.pk},
        )
        return f"{url}#{anchor}" if anchor else url


class ProjectDeliveryView(_ProjectDeliveryMixin, TemplateView):
    """Record a funded project's status, progress and spending; its milestones and updates."""

    template_name = "budgeting/delivery/project_delivery.html"

    def delivery_form(self, data=None) -> DeliveryForm:
        initial = {
            "delivery_status": self.project.delivery_status,
            "progress": self.project.progress,
            "spent": self.project.spent,
        }
        return DeliveryForm(data, initial=initial, currency=self.edition.currency)

    def render_page(self, *, status: int = 200, **forms):
        project = self.project
        context = {
            "project": project,
            "edition": self.edition,
            "delivery_form": forms.get("delivery_form") or self.delivery_form(),
            "milestone_form": forms.get("milestone_form") or MilestoneForm(),
            "update_form": forms.get("update_form") or ProjectUpdateForm(),
            "milestones": milestone_rows(
                project.milestones.order_by("due_on", "pk"), city_today(self.edition.city)
            ),
            "updates": list(project.updates.order_by("-published_on", "-pk")),
            "spent_share": spent_share(project),
            "over_cost": project.spent > project.cost,
            "actions": True,
        }
        return self.render_to_response(context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def post(self, request, *args, **kwargs):
        form = self.delivery_form(request.POST)
        if form.is_valid():
            try:
                services.project_delivery_update(
                    project=self.project, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
                self.project.refresh_from_db(fields=DELIVERY_FIELDS)  # as saved, not as refused
            else:
                messages.success(request, _("The delivery was saved."))
                return redirect(self.page_url())
        return self.render_page(status=400, delivery_form=form)


class MilestoneAddView(ProjectDeliveryView):
    """Add a milestone (the form is on the delivery page)."""

    def get(self, request, *args, **kwargs):
        return redirect(self.page_url("milestones-heading"))

    def post(self, request, *args, **kwargs):
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_create(
                    project=self.project, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("The milestone was added."))
                return redirect(self.page_url("milestones-heading"))
        return self.render_page(status=400, milestone_form=form)


class UpdatePostView(ProjectDeliveryView):
    """Publish a dated update on the project (the form is on the delivery page)."""

    def get(self, request, *args, **kwargs):
        return redirect(self.page_url("updates-heading"))

    def post(self, request, *args, **kwargs):
        form = ProjectUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.project_update_post(
                    project=self.project,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    published_on=form.cleaned_data["published_on"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("The update was published."))
                return redirect(self.page_url("updates-heading"))
        return self.render_page(status=400, update_form=form)


class _MilestoneMixin(_ProjectDeliveryMixin):
    """One milestone of the project in the URL: 404 for any other."""

    def dispatch(self, request, *args, **kwargs):
        self.milestone_pk = kwargs.pop("milestone")
        return super().dispatch(request, *args, **kwargs)

    def get_milestone(self) -> Milestone:
        milestone = Milestone.objects.filter(project=self.project, pk=self.milestone_pk).first()
        if milestone is None:
            raise Http404(_("No milestone here."))
        milestone.project = self.project
        return milestone


class MilestoneEditView(_MilestoneMixin, TemplateView):
    """Change a milestone: rename it, move its date, or record when it was reached."""

    template_name = "budgeting/delivery/milestone_form.html"

    def get(self, request, *args, **kwargs):
        milestone = self.get_milestone()
        initial = {
            "title": milestone.title,
            "due_on": milestone.due_on,
            "completed_on": milestone.completed_on,
        }
        return self._render(milestone, MilestoneForm(initial=initial))

    def post(self, request, *args, **kwargs):
        milestone = self.get_milestone()
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_update(
                    milestone=milestone, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("The milestone was saved."))
                return redirect(self.page_url("milestones-heading"))
        milestone = self.get_milestone()  # as saved
        return self._render(milestone, form, status=400)

    def _render(self, milestone, form, status=200):
        context = {
            "project": self.project,
            "edition": self.edition,
            "milestone": milestone,
            "form": form,
            "cancel_url": self.page_url("milestones-heading"),
        }
        return self.render_to_response(context, status=status)


class MilestoneDeleteView(_MilestoneMixin, TemplateView):
    """Remove a milestone, after a confirmation."""

    template_name = "budgeting/delivery/milestone_delete.html"

    def get(self, request, *args, **kwargs):
        milestone = self.get_milestone()
        return self.render_to_response(
            {
                "project": self.project,
                "edition": self.edition,
                "milestone": milestone,
                "cancel_url": self.page_url("milestones-heading"),
            }
        )

    def post(self, request, *args, **kwargs):
        milestone = self.get_milestone()
        try:
            services.milestone_delete(milestone=milestone, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The milestone “%(title)s” was removed.") % {"title": milestone.title}
            )
        return redirect(self.page_url("milestones-heading"))


# --- everyone's list ------------------------------------------------------------------------


def funded_projects(edition):
    """The edition's funded projects, each with its next milestone and latest update date.

    One query for any number of projects: the milestone and the update come as subqueries.
    """
    upcoming = Milestone.objects.filter(project=OuterRef("pk"), completed_on__isnull=True).order_by(
        "due_on", "pk"
    )
    latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-published_on", "-pk")
    return (
        Project.objects.filter(edition=edition, selected=True)
        .select_related("zone")
        .annotate(
            next_milestone_title=Subquery(upcoming.values("title")[:1]),
            next_milestone_due=Subquery(upcoming.values("due_on")[:1]),
            latest_update_on=Subquery(latest.values("published_on")[:1]),
        )
        .order_by("title", "pk")
    )


class DeliveryListView(ObjectListView):
    """Every funded project of an edition: status, progress, spending, what comes next.

    Filters by delivery status and zone as a plain form (htmx swaps the table in place).
    """

    model = Project
    filterset_class = DeliveryFilterSet
    template_name = "budgeting/delivery/delivery_list.html"
    results_template_name = "budgeting/delivery/_delivery_table.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        self.edition = edition_for(request, kwargs["pk"])
        if services.published_count(self.edition) is None:
            raise Http404(_("The results of this participatory budget are not published yet."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return funded_projects(self.edition)

    def get_filterset(self, *, for_page: bool = True):
        filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )
        if for_page:
            filterset.for_page(Zone.objects.filter(city_id=self.edition.city_id).order_by("name"))
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.edition
        totals = Project.objects.filter(edition=edition, selected=True).aggregate(
            projects=Count("pk"),
            completed=Count("pk", filter=Q(delivery_status=DeliveryStatus.COMPLETED)),
            cost=Sum("cost"),
            spent=Sum("spent"),
        )
        for project in context["object_list"]:
            project.spent_share = spent_share(project)
        context.update(
            edition=edition,
            totals=totals,
            today=city_today(edition.city),
            title=_("Delivery of %(edition)s") % {"edition": edition.title},
        )
        return context
