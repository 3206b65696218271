"""The anonymised ballots as files to recount with: Pabulib (.pb) and CSV.

Both exist only once the results are published (404 before, with the reason), like the JSON
of ``ballots_json``. An edition counted as one budget downloads as one Pabulib file; one
counted as several (a budget per zone plus the city-wide one) also downloads as one file per
budget (``?unit=<n>``), each with that budget's projects, voters and amount, so that each
recounts to its published outcome. Heading-choice ballots are files of headings.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from config.generic import stream_csv

from ...choices import VotingMethod
from ...counting import pabulib
from ...models import Ballot, BudgetEdition
from ...services import published_count
from ...services.pabulib import pabulib_export
from ..public.common import edition_for


def published_edition(request, pk) -> tuple[BudgetEdition, object]:
    """The edition and its published count, or the "not published yet" page to answer."""
    edition = edition_for(request, pk)
    count = published_count(edition)
    if count is None:
        page = render(
            request, "budgeting/public/ballots_unpublished.html", {"edition": edition}, status=404
        )
        return edition, page
    return edition, count


def file_ids(edition: BudgetEdition) -> dict[int, str]:
    """How the files name each option: a project's external id (else its id), a heading's id."""
    if edition.votes_on_headings:
        return {pk: str(pk) for pk in edition.headings.values_list("pk", flat=True)}
    rows = edition.projects.on_ballot().values_list("pk", "external_id")
    return {pk: external or str(pk) for pk, external in rows}


def _filename(edition: BudgetEdition, suffix: str, label: str = "") -> str:
    parts = [edition.city.slug, str(edition.year), slugify(label), suffix]
    return "-".join(part for part in parts if part)


@require_GET
def ballots_pb(request, pk):
    """The anonymised current ballots as a Pabulib file (or one budget's, ``?unit=<n>``)."""
    edition, count = published_edition(request, pk)
    if isinstance(count, HttpResponse):
        return count
    unit = request.GET.get("unit", "")
    label = ""
    if unit or edition.votes_on_headings:
        # A heading-choice edition is one budget of headings: its file is that budget's.
        index = int(unit) if unit.isdigit() else (1 if not unit else 0)
        text = pabulib_export(edition=edition, unit=index)
        if text is None:
            raise Http404(_("No such budget in this edition."))
        label = pabulib.parse(text).meta.get("district", "")
    else:
        text = pabulib_export(edition=edition)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    filename = _filename(edition, "ballots.pb", label)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def ballots_csv(request, pk):
    """One row per current ballot: its fingerprint, channel, zone, choices (and points)."""
    edition, count = published_edition(request, pk)
    if isinstance(count, HttpResponse):
        return count
    ids = file_ids(edition)
    cumulative = edition.method == VotingMethod.CUMULATIVE
    rows = (
        Ballot.objects.filter(edition=edition, superseded=False)
        .order_by("fingerprint")
        .values("fingerprint", "channel", "zone__name", "choices")
    )

    def chosen(row) -> list[int]:
        return sorted(int(pk) for pk in row["choices"] if int(pk) in ids)

    # Column names are the file's fixed vocabulary (like the JSON keys), not page text:
    # scripts read them in every language.
    columns = [
        ("fingerprint", lambda row: row["fingerprint"]),
        ("channel", lambda row: row["channel"]),
        ("zone", lambda row: row["zone__name"] or ""),
        ("choices", lambda row: ",".join(ids[pk] for pk in chosen(row))),
    ]
    if cumulative:
        columns.append(
            (
                "points",
                lambda row: ",".join(str(row["choices"][str(pk)]) for pk in chosen(row)),
            )
        )
    return stream_csv(
        rows.iterator(chunk_size=2000),
        columns,
        _filename(edition, "ballots.csv"),
    )
