"""Voting codes: generated in batches and handed over once, as a CSV file or printable cards."""

import csv
import io

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from config.generic import errors_onto_form

from ... import services
from ...forms import CodesForm
from ...models import CodeBatch
from ...pdf import code_cards_pdf
from .common import EditionPageView, no_store


class CodesView(EditionPageView):
    """The batches generated so far, and the form that makes a new one and downloads it."""

    permission = "budgeting.add_votingcode"
    template_name = "budgeting/staff/codes.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                codes = services.voting_codes_generate(
                    edition=self.edition,
                    count=data["count"],
                    zone=data["zone"],
                    label=data["label"],
                    actor=request.user,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                if data["format"] == CodesForm.PDF:
                    return self.pdf(codes, data["zone"])
                return self.csv(codes, data["zone"])
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form(self, data=None) -> CodesForm:
        return CodesForm(data, edition=self.edition)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batches"] = (
            CodeBatch.objects.filter(edition=self.edition)
            .select_related("zone", "created_by")
            .order_by("-created_at")
        )
        context["vote_url"] = self.vote_url()
        return context

    def vote_url(self) -> str:
        return self.request.build_absolute_uri(reverse("budgeting:vote", args=[self.edition.pk]))

    def filename(self, zone, extension: str) -> str:
        parts = ["voting-codes", str(self.edition.pk), zone.slug if zone else "",
                 timezone.localtime().strftime("%Y%m%d-%H%M%S")]  # fmt: skip
        return f"{slugify('-'.join(part for part in parts if part))}.{extension}"

    def csv(self, codes: list[str], zone) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["code", "zone"] if zone else ["code"])
        for code in codes:
            writer.writerow([code, zone.slug] if zone else [code])
        return self.download(buffer.getvalue(), "text/csv; charset=utf-8", zone, "csv")

    def pdf(self, codes: list[str], zone) -> HttpResponse:
        content = code_cards_pdf(
            edition=self.edition, codes=codes, zone=zone, vote_url=self.vote_url()
        )
        return self.download(content, "application/pdf", zone, "pdf")

    def download(self, content, content_type: str, zone, extension: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename(zone, extension)}"'
        return no_store(response)
