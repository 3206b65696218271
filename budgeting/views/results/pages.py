"""The results page: public once staff publish a count; before that, the staff's preview.

While the results are embargoed the page does not exist for the public (404, like any page
they may not see), so nothing of a count leaks through a status code or a figure.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from ...choices import CountStatus
from ...services import published_count
from ..public.common import edition_for
from .summary import results_summary


def may_manage(user, edition) -> bool:
    """The city's staff and platform admins: they count, preview and publish."""
    return user.has_perm("budgeting.change_budgetedition", edition)


class ResultsView(TemplateView):
    """The published results; city staff also preview any finished count (``?count=<pk>``)."""

    template_name = "budgeting/results/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        edition = edition_for(self.request, self.kwargs["pk"])
        published = published_count(edition)
        staff = may_manage(user, edition)
        if published is None and not user.has_perm("budgeting.view_results", edition):
            raise Http404(_("The results of this participatory budget are not published yet."))
        count = published
        finished = edition.counts.filter(status=CountStatus.DONE)
        wanted = self.request.GET.get("count", "")
        if staff and wanted.isdigit():
            count = finished.filter(pk=wanted).first()
            if count is None:
                raise Http404(_("No finished count here."))
        elif count is None:
            count = finished.order_by("-finished_at", "-pk").first()
        context.update(
            edition=edition,
            published=published,
            staff=staff,
            may_publish=user.has_perm("budgeting.publish_budgetedition", edition),
            embargoed=count is not None and count.published_at is None,
            summary=results_summary(edition, count) if count is not None else None,
        )
        return context
