"""Check an edition's ballot log chain and its anonymised ballots; exit 1 on the first problem."""

from django.core.management.base import BaseCommand, CommandError

from budgeting.models import BudgetEdition
from budgeting.selectors import ballots_verify


class Command(BaseCommand):
    help = "Verify an edition's ballot log (hash chain) and that its ballots match it."

    def add_arguments(self, parser):
        parser.add_argument("edition_id", type=int)

    def handle(self, *args, edition_id: int, **options):
        edition = BudgetEdition.objects.filter(pk=edition_id).first()
        if edition is None:
            raise CommandError(f"No budget edition has id {edition_id}.")
        report = ballots_verify(edition=edition)
        if not report.ok:
            raise CommandError(f"Edition {edition_id}: {report.problems[0]}", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Edition {edition_id}: {report.entries} log entries form an intact chain "
                f"and {report.ballots} ballots match it."
            )
        )
