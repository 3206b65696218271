"""Generate single-use voting codes for an edition; only their hashes are kept."""

import csv
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budgeting.models import BudgetEdition
from budgeting.services import voting_codes_generate
from cities.models import Zone


class Command(BaseCommand):
    help = (
        "Write N new voting codes for an edition to a CSV file (header `code`). The platform "
        "keeps only their keyed hashes: the file is the only copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition_id", type=int)
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--zone", help="slug of the zone the codes are for")
        parser.add_argument("--label", default="", help="a name for the batch")
        parser.add_argument("-o", "--output", required=True, help="CSV file to write ('-': stdout)")

    def handle(self, *args, edition_id, count, zone, label, output, **options):
        edition = BudgetEdition.objects.filter(pk=edition_id).select_related("city").first()
        if edition is None:
            raise CommandError(f"No budget edition has id {edition_id}.")
        zone_obj = None
        if zone:
            zone_obj = Zone.objects.filter(city=edition.city, slug=zone).first()
            if zone_obj is None:
                raise CommandError(f"{edition.city} has no zone with slug {zone!r}.")
        try:
            handle = sys.stdout if output == "-" else open(output, "x", newline="")  # noqa: SIM115
        except FileExistsError:
            raise CommandError(f"{output} exists; codes are never overwritten.") from None
        try:
            codes = voting_codes_generate(
                edition=edition, count=count, zone=zone_obj, label=label or output
            )
        except ValidationError as exc:
            if handle is not sys.stdout:
                handle.close()
                os.unlink(output)
            raise CommandError("; ".join(exc.messages)) from None
        writer = csv.writer(handle)
        writer.writerow(["code"])
        writer.writerows([code] for code in codes)
        if handle is not sys.stdout:
            handle.close()
            self.stderr.write(f"Wrote {len(codes)} codes to {output}.")
