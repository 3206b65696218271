"""What a count's results page shows, computed once from the count, its results and the ballot.

A fixed number of queries whatever the number of projects: the results, the projects (or
headings) with their zones, and the turnout aggregates.
"""

from decimal import Decimal

from babel.numbers import format_percent
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext_lazy as _

from cities.templatetags.money import format_money

from ...choices import Completion, VotingMethod
from ...models import BudgetEdition, Count, Result
from ...selectors import participation_figures
from .charts import support_chart

TIE_BREAK_WORDS = {
    "lowest-cost": _("the cheaper one"),
    "highest-cost": _("the more expensive one"),
    "most-votes": _("the one with more votes"),
    "fewest-votes": _("the one with fewer votes"),
    "most-points": _("the one with more points"),
    "fewest-points": _("the one with fewer points"),
    "id": _("the one entered first (the lower number)"),
}


def share_text(part, whole) -> str:
    """``part`` of ``whole`` as a percentage with one decimal, in the reader's language."""
    if not whole:
        return "—"
    value = Decimal(part) / Decimal(whole)
    return format_percent(value, format="#,##0.#%", locale=to_locale(get_language() or "en"))


def rule_name(result: Result) -> str:
    """The rule in words, with its completion when it has one."""
    if result.completion == Completion.NONE:
        return str(result.get_rule_display())
    return _("%(rule)s, completed with %(completion)s") % {
        "rule": result.get_rule_display(),
        "completion": result.get_completion_display(),
    }


def tie_break_words(result: Result) -> list[str]:
    return [str(TIE_BREAK_WORDS.get(c, c)) for c in result.tie_break.split(",") if c]


def options_of(edition: BudgetEdition) -> dict:
    """``{pk: {title, cost, zone, url}}`` of what was voted on: headings or ballot projects."""
    if edition.votes_on_headings:
        headings = edition.headings.select_related("zone").order_by("name", "pk")
        return {
            h.pk: {"title": h.name, "cost": h.amount, "zone": h.zone, "url": None} for h in headings
        }
    projects = edition.projects.on_ballot().select_related("zone").order_by("title", "pk")
    return {
        p.pk: {
            "title": p.title,
            "cost": p.cost,
            "zone": p.zone,
            "url": p.get_absolute_url(),
        }
        for p in projects
    }


def votes_label(value: int) -> str:
    return ngettext("%(count)s vote", "%(count)s votes", value) % {"count": value}


def points_label(value: int) -> str:
    return ngettext("%(count)s point", "%(count)s points", value) % {"count": value}


def _titles(options: dict, pks) -> list[dict]:
    return [options[pk] for pk in pks if pk in options]


def results_summary(edition: BudgetEdition, count: Count) -> dict:
    """Everything the results page shows about ``count`` (a finished count of ``edition``)."""
    count.edition = edition  # is_stale compares with the edition already loaded
    results = list(count.results.all())
    official = next((r for r in results if r.official), results[0])
    options = options_of(edition)
    chosen = set(official.selected)
    cumulative = edition.method == VotingMethod.CUMULATIVE
    funded_word = _("opened") if edition.votes_on_headings else _("funded")
    rows = sorted(
        (
            {
                **option,
                "pk": pk,
                "support": int(official.support.get(str(pk), 0)),
                "funded": pk in chosen,
            }
            for pk, option in options.items()
        ),
        key=lambda row: (-row["support"], row["title"], row["pk"]),
    )
    units = []
    if len(official.units) > 1:
        for index, unit in enumerate(official.units, start=1):
            units.append(
                {
                    "index": index,
                    "label": unit["label"],
                    "budget": Decimal(unit["budget"]),
                    "cost": Decimal(unit["cost"]),
                    "used": share_text(Decimal(unit["cost"]), Decimal(unit["budget"])),
                    "voters": unit["voters"],
                    "funded": _titles(options, unit["selected"]),
                }
            )
    title = _("Support for each option in %(edition)s") % {"edition": edition.title}
    chart = {
        "chart": support_chart(
            title=str(title),
            labels=[row["title"] for row in rows],
            values=[row["support"] for row in rows],
            funded=[row["funded"] for row in rows],
            funded_word=str(funded_word),
            value_label=points_label if cumulative else votes_label,
        ),
        "caption": title,
        "headers": [
            _("Heading") if edition.votes_on_headings else _("Project"),
            _("Points") if cumulative else _("Votes"),
            _("Cost"),
            _("Opened") if edition.votes_on_headings else _("Funded"),
        ],
        "rows": [
            [
                row["title"],
                row["support"],
                format_money(row["cost"], edition.currency),
                _("yes") if row["funded"] else _("no"),
            ]
            for row in rows
        ],
    }
    comparison = []
    for result in results:
        others = set().union(*(set(r.selected) for r in results if r is not result))
        comparison.append(
            {
                "result": result,
                "name": rule_name(result),
                "funded": _titles(options, result.selected),
                "only_here": _titles(options, [pk for pk in result.selected if pk not in others]),
                "satisfied": share_text(result.satisfied, result.voters),
                "used": share_text(result.cost, result.budget),
            }
        )
    return {
        "count": count,
        "official": official,
        "official_name": rule_name(official),
        "tie_break": tie_break_words(official),
        "used": share_text(official.cost, official.budget),
        "satisfied": share_text(official.satisfied, official.voters),
        "rows": rows,
        "has_zones": any(row["zone"] for row in rows),
        "funded_rows": [row for row in rows if row["funded"]],
        "units": units,
        "chart": chart,
        "comparison": comparison,
        "compared": len(comparison) > 1,
        "differ": any(entry["only_here"] for entry in comparison),
        "figures": participation_figures(edition=edition),
        "cumulative": cumulative,
        "on_headings": edition.votes_on_headings,
    }
