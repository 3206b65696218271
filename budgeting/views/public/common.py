"""What the citizens' pages share: finding an edition, its phases in words, refusals."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cities.templatetags.money import format_money

from ...choices import SCHEDULED_PHASES, Phase, VotingMethod, phase_index
from ...models import BudgetEdition


def edition_for(request, pk) -> BudgetEdition:
    """The edition ``pk`` if the visitor may see it (drafts are their city's staff's), or 404."""
    edition = (
        BudgetEdition.objects.visible_to(request.user).select_related("city").filter(pk=pk).first()
    )
    if edition is None or not request.user.has_perm("budgeting.view_budgetedition", edition):
        raise Http404(_("No participatory budget here."))
    return edition


def method_explained(edition: BudgetEdition) -> str:
    """How to fill the ballot, in one sentence a voter understands."""
    count = edition.max_choices
    if edition.method == VotingMethod.HEADINGS:
        if count == 1:
            return _("Choose the heading to open.")
        if count:
            return ngettext(
                "Choose up to %(count)s heading to open.",
                "Choose up to %(count)s headings to open.",
                count,
            ) % {"count": count}
        return _("Choose the headings to open.")
    if edition.method == VotingMethod.KNAPSACK:
        return _("Pick projects whose total cost fits within %(budget)s.") % {
            "budget": format_money(edition.total_amount, edition.currency)
        }
    if edition.method == VotingMethod.CUMULATIVE:
        return ngettext(
            "Spread %(points)s point over the projects you support.",
            "Spread %(points)s points over the projects you support.",
            edition.points or 0,
        ) % {"points": edition.points}
    if count:
        return ngettext(
            "Choose up to %(count)s project.", "Choose up to %(count)s projects.", count
        ) % {"count": count}
    return _("Choose every project you support.")


def schedule_of(edition: BudgetEdition) -> dict:
    """``{phase: starts_at}`` of the edition's scheduled phases (one query)."""
    return dict(edition.schedule.values_list("phase", "starts_at"))


def timeline(edition: BudgetEdition, schedule: dict) -> list[dict]:
    """Every public phase in order, with its start date and whether it is past or current."""
    current = phase_index(edition.phase)
    steps = []
    for phase in SCHEDULED_PHASES:
        index = phase_index(phase)
        state = "past" if index < current else "current" if index == current else "upcoming"
        steps.append(
            {
                "phase": phase,
                "label": Phase(phase).label,
                "starts_at": schedule.get(phase),
                "state": state,
            }
        )
    return steps


def phase_window(schedule: dict, phase: str) -> tuple:
    """When ``phase`` starts and ends (the next scheduled phase's start), if scheduled."""
    later = [
        starts
        for other, starts in schedule.items()
        if phase_index(other) > phase_index(phase) and starts is not None
    ]
    return schedule.get(phase), min(later) if later else None


def closed_page(request, edition: BudgetEdition, phase: str, *, status: int = 403):
    """A friendly refusal: what the visitor wanted is not open in the edition's phase."""
    schedule = schedule_of(edition)
    starts, ends = phase_window(schedule, phase)
    return render(
        request,
        "budgeting/public/closed.html",
        {
            "edition": edition,
            "wanted": phase,
            "before": phase_index(edition.phase) < phase_index(phase),
            "starts": starts,
            "ends": ends,
        },
        status=status,
    )


def too_many_guesses(request, edition: BudgetEdition, exc):
    """HTTP 429 with the service's message and when to try again."""
    response = render(
        request,
        "budgeting/public/too_many_guesses.html",
        {
            "edition": edition,
            "message": exc.message,
            "minutes": max(1, -(-exc.retry_after // 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    add_never_cache_headers(response)
    return response


def private(response):
    """Pages holding a voting code or a receipt must never be kept by a cache or the browser."""
    add_never_cache_headers(response)
    return response
