"""Import a Pabulib election as an edition in its counting phase; prints its id last."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from budgeting.services.pabulib import pabulib_import
from cities.models import City


class Command(BaseCommand):
    help = (
        "Create an edition from a Pabulib (.pb) file, with its projects (the file's ids kept "
        "as external ids) and ballots, ready to count. The last line printed is its id."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--city", help="slug of the city (default: one named after the file)")

    def handle(self, *args, path, city, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No file at {path}.")
        city_obj = None
        if city:
            city_obj = City.objects.filter(slug=city).first()
            if city_obj is None:
                raise CommandError(f"No city has slug {city!r}.")
        try:
            edition = pabulib_import(text=file.read_text(encoding="utf-8-sig"), city=city_obj)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"Imported “{edition}” for {edition.city}: {edition.projects.count()} projects, "
            f"{edition.log_length} ballots."
        )
        self.stdout.write(str(edition.pk))
