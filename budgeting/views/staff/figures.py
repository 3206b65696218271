"""Turnout of an edition: in total, by channel and by zone. Aggregates only, never a voter."""

from decimal import Decimal

from babel.numbers import format_percent
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from config.charts import bar_chart

from ...models import Ballot
from ...selectors import participation_figures
from .common import EditionPageView


def turnout(voters: int, population: int | None) -> str | None:
    """Voters as a share of the population, in the reader's language ("0.42%"), if known."""
    if not population:
        return None
    share = Decimal(voters) / Decimal(population)
    return format_percent(share, format="#,##0.##%", locale=to_locale(get_language() or "en"))


class ParticipationView(EditionPageView):
    """For staff and the city's sponsors while voting runs; for everyone once results are out."""

    permission = "budgeting.view_participation"
    template_name = "budgeting/staff/participation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = self.edition
        city = edition.city
        figures = participation_figures(edition=edition)
        populations = dict(city.zones.values_list("name", "population"))
        no_zone = _("No zone (city-wide codes, accounts without a zone)")
        zone_rows = [
            {
                "name": name or no_zone,
                "voters": voters,
                "population": populations.get(name) if name else None,
                "share": turnout(voters, populations.get(name)) if name else None,
            }
            for name, voters in figures["by_zone"]
        ]
        chart = None
        if zone_rows:
            title = _("Voters by zone in %(edition)s") % {"edition": edition.title}
            chart = {
                "chart": bar_chart(
                    title=str(title),
                    labels=[str(row["name"]) for row in zone_rows],
                    values=[row["voters"] for row in zone_rows],
                ),
                "caption": title,
                "headers": [_("Zone"), _("Voters")],
                "rows": [[row["name"], row["voters"]] for row in zone_rows],
            }
        context.update(
            figures=figures,
            zone_rows=zone_rows,
            zone_chart=chart,
            city_share=turnout(figures["total"], city.population),
            replaced=Ballot.objects.filter(edition=edition, superseded=True).count(),
        )
        return context
