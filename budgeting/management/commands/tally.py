"""Count an edition with a rule and completion, without publishing anything."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budgeting.choices import Completion, CountingRule
from budgeting.models import BudgetEdition, Heading, Project
from budgeting.services import tally


class Command(BaseCommand):
    help = "Count an edition's current ballots with a rule; nothing is published or saved."

    def add_arguments(self, parser):
        parser.add_argument("edition_id", type=int)
        parser.add_argument("--rule", required=True, choices=CountingRule.values)
        parser.add_argument("--completion", default=Completion.NONE, choices=Completion.values)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object"
        )

    def handle(self, *args, edition_id, rule, completion, as_json=False, **options):
        edition = BudgetEdition.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(f"No budget edition has id {edition_id}.")
        try:
            result = tally(edition, rule=rule, completion=completion)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        model = Heading if edition.votes_on_headings else Project
        names = {
            pk: (getattr(obj, "external_id", "") or str(pk), str(obj))
            for pk, obj in model.objects.in_bulk(result.selected).items()
        }
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "edition": edition.pk,
                        "selected": [names[pk][0] for pk in result.selected],
                        "cost": str(result.cost),
                        "budget": str(result.budget),
                        "rule": rule,
                        "completion": completion,
                        "seconds": round(result.seconds, 4),
                        "voters": result.voters,
                    },
                    ensure_ascii=False,
                )
            )
            return
        self.stdout.write(
            f"{edition} — {rule}, completion {completion}: {len(result.selected)} projects "
            f"funded for {result.cost} of {result.budget} {edition.currency} "
            f"({result.seconds:.3f} s)"
        )
        for pk in result.selected:
            ident, name = names[pk]
            self.stdout.write(f"  {ident}\t{result.support.get(pk, 0)}\t{name}")
