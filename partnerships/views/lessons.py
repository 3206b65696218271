"""Lessons-learned library pages."""

from django.utils.translation import gettext_lazy as _

from config.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from .. import services
from ..filtersets import (
    LessonFilterSet,
)
from ..forms import (
    LessonForm,
)
from ..models import (
    Lesson,
)
from .partnership import _PartnershipChildCreateView

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


class LessonDeleteView(ObjectDeleteView):
    """Remove a lesson."""

    model = Lesson
    slug_field = "pk"
    delete_service = services.lesson_delete
    success_message = _("The lesson was removed.")

    def get_success_url(self, obj) -> str:
        return obj.partnership.get_absolute_url()
