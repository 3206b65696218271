"""Paper ballots from assemblies and polling stations, entered one by one or from a file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import ngettext

from config.generic import errors_onto_form

from ... import services
from ...choices import Channel, VotingMethod
from ...forms import PaperBallotForm, PaperBallotImportForm, ballot_option_list
from ...models import Participation
from .common import EditionPageView


class PaperBallotView(EditionPageView):
    """Enter one paper ballot, or a CSV file of them (all or nothing)."""

    permission = "budgeting.add_paperballot"
    template_name = "budgeting/staff/paper_ballot.html"
    IMPORT = "import"

    def get(self, request, *args, **kwargs):
        if request.GET.get("template") == "csv":
            return self.csv_template()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        if request.POST.get("form") == self.IMPORT:
            return self.import_file()
        form = self.single_form(request.POST)
        if form.is_valid():
            try:
                services.paper_ballot_enter(
                    edition=self.edition, actor=request.user, **form.ballot()
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                count = self.paper_count()
                messages.success(
                    request,
                    ngettext(
                        "The paper ballot was entered: %(count)s paper ballot so far.",
                        "The paper ballot was entered: %(count)s paper ballots so far.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def import_file(self):
        form = PaperBallotImportForm(self.request.POST, self.request.FILES, edition=self.edition)
        if form.is_valid():
            try:
                entered = services.paper_ballots_import(
                    edition=self.edition, actor=self.request.user, rows=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    self.request,
                    ngettext(
                        "%(entered)s paper ballot was entered from the file (%(count)s so far).",
                        "%(entered)s paper ballots were entered from the file (%(count)s so far).",
                        entered,
                    )
                    % {"entered": entered, "count": self.paper_count()},
                )
                return redirect(self.request.path)
        return self.render_to_response(self.get_context_data(import_form=form), status=400)

    def csv_template(self) -> HttpResponse:
        response = HttpResponse("code,zone,choices\r\n", content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="paper-ballots-{self.edition.pk}-template.csv"'
        )
        return response

    @cached_property
    def options(self) -> list:
        return ballot_option_list(self.edition)

    def single_form(self, data=None) -> PaperBallotForm:
        return PaperBallotForm(data, edition=self.edition, options=self.options)

    def paper_count(self) -> int:
        return Participation.objects.filter(edition=self.edition, channel=Channel.PAPER).count()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.single_form())
        kwargs.setdefault("import_form", PaperBallotImportForm(edition=self.edition))
        context = super().get_context_data(**kwargs)
        context.update(
            options=self.options,
            cumulative=self.edition.method == VotingMethod.CUMULATIVE,
            paper_count=self.paper_count(),
            import_value=self.IMPORT,
        )
        return context
