"""The public ballot log: its pages, finding a receipt in it, the files to check it with."""

import json
from pathlib import Path

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ... import verify
from ...codes import receipt_fingerprint
from ...forms_public import LogLookupForm
from ...models import BallotLogEntry
from ...selectors import anonymised_ballots_export, ballot_log_export
from .common import edition_for
from .editions import results_published

LOG_PAGE_SIZE = 50


def _lookup(edition, form) -> dict | None:
    """Where the receipt in ``form`` is in the log: its entry, and the one replacing it."""
    fingerprint = receipt_fingerprint(form.cleaned_data["receipt"])
    if fingerprint is None:
        form.add_error(
            "receipt",
            _("A receipt has 20 letters and digits, like ABCD-EFGH-JKMN-PQRS-TUVW."),
        )
        return None
    entries = BallotLogEntry.objects.filter(edition=edition)
    entry = entries.filter(fingerprint=fingerprint).only("seq", "kind").first()
    if entry is None:
        return {"found": False, "fingerprint": fingerprint}
    replaced_by = entries.filter(supersedes=fingerprint).only("seq").first()
    return {
        "found": True,
        "fingerprint": fingerprint,
        "entry": entry,
        "replaced_by": replaced_by,
        "page": (entry.seq - 1) // LOG_PAGE_SIZE + 1,
    }


@require_http_methods(["GET", "POST"])
def ballot_log(request, edition):
    """The log, a page at a time; a POSTed receipt is looked up and its page shown."""
    edition = edition_for(request, edition)
    form, found, status = LogLookupForm(), None, 200
    page_number = request.GET.get("page")
    if request.method == "POST":
        form = LogLookupForm(request.POST)
        if form.is_valid():
            found = _lookup(edition, form)
        if found is None:
            status = 400
        elif found["found"]:
            page_number = found["page"]
    entries = (
        BallotLogEntry.objects.filter(edition=edition)
        .order_by("seq")
        .only("seq", "kind", "fingerprint", "supersedes", "entry_hash")
    )
    paginator = Paginator(entries, LOG_PAGE_SIZE)
    page = paginator.get_page(page_number)
    return render(
        request,
        "budgeting/public/ballot_log.html",
        {
            "edition": edition,
            "page_obj": page,
            "entries": page.object_list,
            "form": form,
            "found": found,
            "head": edition.log_head or verify.genesis(edition.pk),
            "ballots_published": results_published(edition),
        },
        status=status,
    )


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, indent=2, sort_keys=True), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def ballot_log_json(request, edition):
    """The whole log as JSON, for ``verify.py``."""
    edition = edition_for(request, edition)
    return _json_download(ballot_log_export(edition=edition), "ballot-log.json")


@require_GET
def ballots_json(request, edition):
    """The anonymised ballots, once the results are out (404 before, with the reason)."""
    edition = edition_for(request, edition)
    if not results_published(edition):
        return render(
            request, "budgeting/public/ballots_unpublished.html", {"edition": edition}, status=404
        )
    data = anonymised_ballots_export(edition=edition)
    return _json_download(data, "ballots.json")


@require_GET
def verify_script(request):
    """The stand-alone checker, to run on the two JSON files."""
    path = Path(verify.__file__)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="verify.py", content_type="text/x-python"
    )
