"""The staff's counting page: ask the worker to count, follow it, publish a finished count.

A running count's status is a small partial that htmx polls every two seconds and that stops
polling once the count has finished; without JavaScript the page offers a refresh link.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ...choices import CountStatus, Phase
from ...models import BudgetEdition, Count
from ...services import count_publish, count_request, published_count

RUNNING = (CountStatus.QUEUED, CountStatus.RUNNING)


def staff_edition(request, pk) -> BudgetEdition:
    """The edition ``pk`` for its city's staff: 404 if hidden from the user, 403 otherwise."""
    edition = (
        BudgetEdition.objects.visible_to(request.user).select_related("city").filter(pk=pk).first()
    )
    if edition is None:
        raise Http404(_("No participatory budget here."))
    if not request.user.has_perm("budgeting.change_budgetedition", edition):
        raise PermissionDenied
    return edition


def _login_first(view):
    """Send the anonymous visitor to the login page instead of refusing them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def count_item(request, edition: BudgetEdition, count: Count) -> dict:
    """What a count's entry on the page shows and offers."""
    count.edition = edition
    done = count.status == CountStatus.DONE
    return {
        "edition": edition,
        "count": count,
        "running": count.status in RUNNING,
        "done": done,
        "stale": done and count.is_stale,
        "may_publish": (
            done
            and not count.is_stale
            and count.published_at is None
            and request.user.has_perm("budgeting.publish_budgetedition", edition)
        ),
        "status_url": reverse(
            "budgeting:count_status", kwargs={"pk": edition.pk, "count": count.pk}
        ),
    }


@_login_first
@require_http_methods(["GET", "POST"])
def count_page(request, pk):
    """Every count of the edition so far, and the button to count (again)."""
    edition = staff_edition(request, pk)
    if request.method == "POST":
        if not request.user.has_perm("budgeting.count_budgetedition", edition):
            messages.error(request, _("Ballots are counted once voting has closed."))
            return redirect("budgeting:count", pk=edition.pk)
        try:
            count_request(edition=edition, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "The ballots are being counted. The results stay embargoed until you "
                    "publish them."
                ),
            )
        return redirect("budgeting:count", pk=edition.pk)
    counts = list(edition.counts.select_related("requested_by").order_by("-created_at", "-pk"))
    items = [count_item(request, edition, count) for count in counts]
    return render(
        request,
        "budgeting/results/count.html",
        {
            "edition": edition,
            "items": items,
            "running": any(item["running"] for item in items),
            "may_count": request.user.has_perm("budgeting.count_budgetedition", edition),
            "before_counting": not edition.phase_reached(Phase.COUNTING),
            "published": published_count(edition),
        },
    )


@_login_first
@require_GET
def count_status(request, pk, count):
    """One count's entry (htmx polls it while the count runs)."""
    edition = staff_edition(request, pk)
    count = get_object_or_404(edition.counts.select_related("requested_by"), pk=count)
    response = render(
        request, "budgeting/results/_count_item.html", count_item(request, edition, count)
    )
    response["Cache-Control"] = "no-store"
    return response


@_login_first
@require_POST
def count_publish_view(request, pk, count):
    """Publish a finished count: the results become public and the edition shows them."""
    edition = staff_edition(request, pk)
    count = get_object_or_404(edition.counts, pk=count)
    if not request.user.has_perm("budgeting.publish_budgetedition", edition):
        raise PermissionDenied
    try:
        count_publish(count=count, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("budgeting:count", pk=edition.pk)
    messages.success(request, _("The results are published: everyone can see them now."))
    return redirect("budgeting:results", pk=edition.pk)
