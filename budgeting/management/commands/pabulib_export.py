"""Write an edition's anonymised ballots as a Pabulib file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from budgeting.models import BudgetEdition
from budgeting.services.pabulib import pabulib_export


class Command(BaseCommand):
    help = (
        "Write an edition's current ballots, anonymised and in a random order, as a Pabulib "
        "(.pb) file (standard output without -o)."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition_id", type=int)
        parser.add_argument("-o", "--output", help="file to write")

    def handle(self, *args, edition_id, output, **options):
        edition = BudgetEdition.objects.select_related("city").filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(f"No budget edition has id {edition_id}.")
        text = pabulib_export(edition=edition)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote the ballots of “{edition}” to {output}.")
        else:
            self.stdout.write(text, ending="")
