"""The editions citizens follow: the list, an edition's page, a project, and proposing one."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from config.generic import ObjectDetailView, ObjectListView, errors_onto_form

from ...choices import Phase, ProjectStatus
from ...filtersets import EditionFilterSet
from ...forms_public import ProposalForm
from ...models import BudgetEdition, Project
from ...services import project_propose, published_count
from .common import closed_page, edition_for, method_explained, schedule_of, timeline


def results_published(edition: BudgetEdition) -> bool:
    """The results are public (a count is published): the embargo on figures and ballots ends."""
    return published_count(edition) is not None


class EditionListView(ObjectListView):
    """Participatory budgets past their draft, by city, phase, year and method."""

    model = BudgetEdition
    filterset_class = EditionFilterSet
    template_name = "budgeting/public/edition_list.html"
    results_template_name = "budgeting/public/partials/_edition_list.html"
    title = _("Participatory budgets")
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().select_related("city").order_by("-year", "title", "pk")


class EditionDetailView(ObjectDetailView):
    """An edition's public page: money, phases, how to vote, headings and projects."""

    model = BudgetEdition
    slug_field = "pk"
    template_name = "budgeting/public/edition_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("city")

    def object_links(self, obj) -> dict:
        return {}  # the staff's links come from budgeting/staff/_edition_actions.html

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.object
        schedule = schedule_of(edition)
        projects = list(edition.projects.select_related("zone", "heading").order_by("title", "pk"))
        by_status = {status: [] for status in ProjectStatus.values}
        for project in projects:
            by_status[project.status].append(project)
        context.update(
            edition=edition,
            timeline=timeline(edition, schedule),
            method_explained=method_explained(edition),
            headings=list(edition.headings.select_related("zone").order_by("name")),
            on_ballot=by_status[ProjectStatus.FEASIBLE],
            under_review=by_status[ProjectStatus.SUBMITTED],
            not_feasible=by_status[ProjectStatus.UNFEASIBLE],
            withdrawn=by_status[ProjectStatus.WITHDRAWN],
            results_published=results_published(edition),
        )
        return context


class ProjectDetailView(TemplateView):
    """A project: what, where, how much, its review; never the proposer's name."""

    template_name = "budgeting/public/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = (
            Project.objects.visible_to(user)
            .filter(edition_id=self.kwargs["edition"], pk=self.kwargs["pk"])
            .select_related("edition__city", "heading", "zone")
            .first()
        )
        if project is None or not user.has_perm("budgeting.view_project", project):
            raise Http404(_("No project here."))
        context.update(
            project=project,
            edition=project.edition,
            can_change=user.has_perm("budgeting.change_project", project),
        )
        return context


class ProjectProposeView(TemplateView):
    """A signed-in resident proposes a project while the edition takes proposals.

    Outside the proposal phase anyone is told when proposals open (or that they closed);
    during it, the anonymous visitor is asked to log in first.
    """

    template_name = "budgeting/public/project_propose.html"

    def dispatch(self, request, *args, **kwargs):
        self.edition = edition_for(request, kwargs["edition"])
        if self.edition.phase != Phase.PROPOSALS:
            return closed_page(request, self.edition, Phase.PROPOSALS)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("budgeting.propose_project", self.edition):
            return closed_page(request, self.edition, Phase.PROPOSALS)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self._context(ProposalForm(edition=self.edition)))

    def post(self, request, *args, **kwargs):
        form = ProposalForm(request.POST, edition=self.edition)
        if form.is_valid():
            try:
                project = project_propose(
                    edition=self.edition, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you: your proposal was received and is awaiting review."),
                )
                return redirect(project.get_absolute_url())
        return self.render_to_response(self._context(form), status=400)

    def _context(self, form) -> dict:
        return {"edition": self.edition, "form": form}
