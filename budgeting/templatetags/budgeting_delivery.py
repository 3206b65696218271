"""How a funded project's delivery reads: ``{% project_delivery project %}`` and its helpers.

The tag renders ``budgeting/delivery/_project_delivery.html`` (status, a progress bar, money
spent against the cost, the dated milestones, the latest public updates) for a funded project,
and nothing for any other. Milestones are done, overdue or upcoming on the city's calendar.
The delivery pages and the API use the same helpers, so a milestone is overdue everywhere at
once.
"""

import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

DONE, OVERDUE, UPCOMING = "done", "overdue", "upcoming"
MILESTONE_STATES = {
    DONE: _("Done"),
    OVERDUE: _("Overdue"),
    UPCOMING: _("Upcoming"),
}
LATEST_UPDATES = 3  # shown open; earlier ones fold away under a <details>


def city_today(city) -> datetime.date:
    """Today's date where the city is."""
    try:
        zone = ZoneInfo(city.time_zone)
    except (ValueError, KeyError):
        zone = datetime.UTC
    return timezone.localdate(timezone=zone)


def milestone_state(milestone, today: datetime.date) -> str:
    """``done`` once completed, ``overdue`` past its due date, else ``upcoming``."""
    if milestone.completed_on:
        return DONE
    return OVERDUE if milestone.due_on < today else UPCOMING


def milestone_rows(milestones, today: datetime.date) -> list[dict]:
    """Each milestone with its state and the state in words, in the order given."""
    rows = []
    for milestone in milestones:
        state = milestone_state(milestone, today)
        rows.append({"milestone": milestone, "state": state, "label": MILESTONE_STATES[state]})
    return rows


def spent_share(project) -> float | None:
    """Money spent as a share of the cost (None for a project that costs nothing)."""
    return float(project.spent / project.cost) if project.cost else None


@register.inclusion_tag("budgeting/delivery/_project_delivery.html", takes_context=True)
def project_delivery(context, project) -> dict:
    """Where a funded project stands, for its public page; empty for an unfunded one.

    Costs two queries (milestones, updates), whatever their number.
    """
    if project is None or not project.selected:
        return {"show": False}
    edition = project.edition
    milestones = list(project.milestones.order_by("due_on", "pk"))
    updates = list(project.updates.order_by("-published_on", "-pk"))
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "show": True,
        "project": project,
        "edition": edition,
        "milestones": milestone_rows(milestones, city_today(edition.city)),
        "updates": updates[:LATEST_UPDATES],
        "earlier_updates": updates[LATEST_UPDATES:],
        "spent_share": spent_share(project),
        "over_cost": project.spent > project.cost,
        "can_change": bool(user and user.has_perm("budgeting.change_delivery", project)),
    }
