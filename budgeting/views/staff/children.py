"""An edition's headings and projects: added, corrected, reviewed and removed by staff.

A resident also edits their own proposal here while it waits for review in the proposal phase,
with only the fields they proposed.
"""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from config.generic import ObjectCreateView, ObjectEditView, ObjectHistoryView

from ... import services
from ...forms import HeadingForm, ProjectForm, ProjectReviewForm, ProposalEditForm
from ...models import BudgetEdition, Heading, Project
from .common import StaffDeleteView, manage_url


class _EditionChildCreateView(ObjectCreateView):
    """Add a heading or project to the edition in the URL (``add_<model>`` against it)."""

    template_name = "budgeting/staff/child_form.html"
    parent_kwarg = "edition"

    def get_parent(self):
        editions = BudgetEdition.objects.visible_to(self.request.user).select_related("city")
        return get_object_or_404(editions, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict:
        return {"edition": self.parent}

    def get_success_url(self, obj) -> str:
        return manage_url(self.parent, self.anchor)

    def get_cancel_url(self) -> str:
        return manage_url(self.parent, self.anchor)

    def _context(self, form) -> dict:
        return {**super()._context(form), "edition": self.parent}


class _EditionChildMixin:
    """For pages about one heading or project: the edition comes along, links go back to it."""

    slug_field = "pk"
    template_name = "budgeting/staff/child_form.html"
    anchor = ""  # the dashboard's section to come back to

    def get_queryset(self):
        return super().get_queryset().select_related("edition__city")

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj, edition=obj.edition)

    def get_success_url(self, obj) -> str:
        return manage_url(obj.edition, self.anchor)

    def _context(self, obj, form) -> dict:
        return {
            **super()._context(obj, form),
            "edition": obj.edition,
            "cancel_url": manage_url(obj.edition, self.anchor),
        }


# --- Headings -----------------------------------------------------------------------------


class HeadingCreateView(_EditionChildCreateView):
    model = Heading
    form_class = HeadingForm
    create_service = services.heading_create
    title = _("Add a budget heading")
    success_message = _("The heading was added.")
    anchor = "headings"


class HeadingEditView(_EditionChildMixin, ObjectEditView):
    model = Heading
    form_class = HeadingForm
    update_service = services.heading_update
    success_message = _("The heading was saved.")
    anchor = "headings"


class HeadingDeleteView(_EditionChildMixin, StaffDeleteView):
    model = Heading
    anchor = "headings"
    template_name = "budgeting/staff/confirm_delete.html"
    delete_service = services.heading_delete
    service_kwarg = "heading"
    success_message = _("The heading was removed.")


# --- Projects -----------------------------------------------------------------------------


class _ProjectMixin(_EditionChildMixin):
    """Projects are addressed under their edition: ``/budgets/<edition>/projects/<pk>/``."""

    model = Project
    anchor = "projects"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(edition_id=self.kwargs["edition"])
            .select_related("heading", "zone", "proposed_by")
        )


class ProjectCreateView(_EditionChildCreateView):
    """Staff add a project (an idea from an assembly, say); it waits for review like any other."""

    model = Project
    form_class = ProjectForm
    create_service = services.project_create
    title = _("Add a project")
    success_message = _("The project was added; review it to put it on the ballot.")
    anchor = "projects"


class ProjectEditView(_ProjectMixin, ObjectEditView):
    """Staff correct a project; its proposer edits it while it waits for review."""

    update_service = services.project_update

    @cached_property
    def manages(self) -> bool:
        return self.request.user.has_perm("budgeting.change_budgetedition", self.object.edition)

    def get_object(self):
        self.object = super().get_object()
        return self.object

    def get_form(self, obj, data=None):
        form_class = ProjectForm if self.manages else ProposalEditForm
        return form_class(data, instance=obj, edition=obj.edition)

    @property
    def success_message(self):
        if self.manages:
            return _("The project was saved.")
        return _("Your proposal was saved. It will be reviewed after the proposal phase.")

    def get_success_url(self, obj) -> str:
        return super().get_success_url(obj) if self.manages else obj.get_absolute_url()

    def _context(self, obj, form) -> dict:
        context = super()._context(obj, form)
        if not self.manages:
            context["cancel_url"] = obj.get_absolute_url()
        context["manages"] = self.manages
        return context


class ProjectReviewView(_ProjectMixin, ObjectEditView):
    """Staff decide whether the project goes on the ballot, and say why in public."""

    action_permission = "budgeting.review_project"
    form_class = ProjectReviewForm
    update_service = services.project_review
    template_name = "budgeting/staff/project_review.html"
    success_message = _("The review was saved.")

    def get_form(self, obj, data=None):
        return self.form_class(data, instance=obj)


class ProjectDeleteView(_ProjectMixin, StaffDeleteView):
    template_name = "budgeting/staff/confirm_delete.html"
    delete_service = services.project_delete
    service_kwarg = "project"
    success_message = _("The project was removed.")


class ProjectHistoryView(_ProjectMixin, ObjectHistoryView):
    template_name = "budgeting/staff/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["edition"] = self.object.edition
        return context
