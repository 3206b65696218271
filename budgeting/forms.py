"""Forms for the staff's budget pages: they parse input; the services in budgeting/services save it.

Citizens' forms (proposals, ballots) live in ``forms_public.py``.
"""

import copy
import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from cities.models import City, Zone
from cities.templatetags.money import format_money

from .choices import SCHEDULED_PHASES, Phase, ProjectStatus, VotingMethod, phase_index
from .models import BudgetEdition, Heading, Project, ResidentVerification
from .services.codes import MAX_BATCH

FROZEN_MESSAGE = _("Voting has opened: this can no longer change.")
FROZEN_HELP = _("Frozen: voting has opened.")

# A printable sheet of more codes than this takes too long to render in a request (~9 s
# for 1,000 cards on two cores; gunicorn gives up at 30 s).
MAX_PDF_CODES = 1000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Entering a paper ballot takes ~25 ms (checks, the participation, the chained log entry):
# a file of 500 stays well within a request's time.
MAX_IMPORT_ROWS = 500


def _number(value: int) -> str:
    """A whole number in the reader's language: 20,000 / 20.000 / 20 000."""
    return format_decimal(value, locale=to_locale(get_language() or "en"))


def staff_cities(user):
    """The cities whose editions the user may run (every city for a platform admin)."""
    if user.is_platform_admin:
        return City.objects.order_by("name")
    return City.objects.filter(pk__in=user.scope_ids(Role.CITY_STAFF, City)).order_by("name")


def _zone_field(form, city, *, empty_label) -> None:
    """Offer only the city's zones in the form's ``zone``, with ``empty_label`` for none."""
    zones = Zone.objects.filter(city=city).order_by("name")
    form.fields["zone"].queryset = zones
    form.fields["zone"].empty_label = empty_label


class FrozenFieldsMixin:
    """Shows the fields voting froze as disabled, and refuses a stale page that changed them.

    A disabled input is not submitted, so a normal save leaves the frozen values alone. A page
    loaded before voting opened still submits them: a change there gets the model's message
    instead of being dropped in silence. The service refuses such changes in any case.
    """

    frozen_fields: tuple[str, ...] = ()

    def is_frozen(self) -> bool:
        raise NotImplementedError

    def freeze(self) -> None:
        self.frozen = [name for name in self.frozen_fields if name in self.fields]
        self.unfrozen_copies = {}
        if not self.is_frozen():
            self.frozen = []
        for name in self.frozen:
            field = self.fields[name]
            self.unfrozen_copies[name] = copy.deepcopy(field)
            field.disabled = True
            field.help_text = FROZEN_HELP

    def refuse_frozen_changes(self) -> None:
        for name in self.frozen:
            if name not in self.data:
                continue
            field = self.unfrozen_copies[name]
            initial = self.get_initial_for_field(field, name)
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if field.has_changed(initial, raw):
                self.add_error(name, FROZEN_MESSAGE)


# --- Editions -----------------------------------------------------------------------------


class EditionForm(FrozenFieldsMixin, forms.ModelForm):
    """An edition's rules: money, voting method, counting rule, who may vote."""

    frozen_fields = BudgetEdition.FROZEN_FIELDS

    class Meta:
        model = BudgetEdition
        fields = [
            "title",
            "year",
            "description",
            "total_amount",
            "currency",
            "method",
            "max_choices",
            "points",
            "counting_rule",
            "completion",
            "by_zone",
            "account_voting",
            "auto_advance",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "method": _(
                "Heading choice: voters choose which budget headings to open. Approval: they "
                "tick the projects they support. Knapsack: they pick projects whose total cost "
                "fits within the budget. Cumulative: they spread points over projects."
            ),
            "max_choices": _(
                "How many headings or projects a voter may pick; empty for any number. Not "
                "used with knapsack voting."
            ),
            "points": _("Only for cumulative voting: the points each voter spreads."),
            "completion": _(
                "Method of Equal Shares only: how to spend what the rule leaves unspent."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs.update(
            {"maxlength": 3, "autocapitalize": "characters", "size": 4}
        )
        self.freeze()

    def is_frozen(self) -> bool:
        return bool(self.instance.pk) and self.instance.is_frozen

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        self.refuse_frozen_changes()
        return cleaned


class EditionCreateForm(EditionForm):
    """A new edition, for the city fixed by the page or chosen among the user's cities."""

    city = forms.ModelChoiceField(queryset=City.objects.none(), label=_("City"))

    class Meta(EditionForm.Meta):
        fields = ["city", *EditionForm.Meta.fields]

    def __init__(self, *args, cities, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = {}
        currency = self.fields["currency"]
        currency.required = False
        if city is not None:
            del self.fields["city"]
            self.fixed["city"] = self.instance.city = city
            currency.initial = city.currency
            currency.help_text = _("ISO 4217 code; the city's is %(currency)s.") % {
                "currency": city.currency
            }
        else:
            self.fields["city"].queryset = City.objects.filter(
                pk__in=[c.pk for c in cities]
            ).order_by("name")
            currency.help_text = _("ISO 4217 code; leave empty to use the city's currency.")

    def clean(self):
        cleaned = super().clean()
        city = self.fixed.get("city") or cleaned.get("city")
        if city is not None and not cleaned.get("currency"):
            cleaned["currency"] = city.currency
        return cleaned


# --- Schedule -----------------------------------------------------------------------------

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input read and shown in a given time zone (the city's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, *, tz: ZoneInfo, **kwargs):
        self.tz = tz
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                return value
            naive = value
        else:
            naive = forms.fields.BaseTemporalField.to_python(self, str(value))
        earlier, later = (
            naive.replace(tzinfo=self.tz, fold=0),
            naive.replace(tzinfo=self.tz, fold=1),
        )
        if earlier.utcoffset() != later.utcoffset():
            raise ValidationError(
                _("%(time)s does not exist or happens twice in %(zone)s (a clock change).")
                % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": self.tz.key},
                code="ambiguous_timezone",
            )
        return earlier


class ScheduleForm(forms.Form):
    """When each phase starts, in the city's time zone; every date is optional."""

    def __init__(self, *args, edition: BudgetEdition, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = ZoneInfo(edition.city.time_zone)
        current = {row.phase: row.starts_at for row in edition.schedule.all()}
        for phase in SCHEDULED_PHASES:
            field = self.fields[phase] = LocalDateTimeField(
                tz=self.tz,
                required=False,
                label=Phase(phase).label,
                initial=current.get(phase),
            )
            # Once voting opened, the dates up to it are history: shown, no longer changed.
            if edition.is_frozen and phase_index(phase) <= phase_index(Phase.VOTING):
                field.disabled = True
                field.help_text = FROZEN_HELP

    def dates(self) -> dict:
        return {phase: self.cleaned_data.get(phase) for phase in SCHEDULED_PHASES}


# --- Headings and projects ----------------------------------------------------------------


class _EditionChildForm(FrozenFieldsMixin, forms.ModelForm):
    """A heading or project of ``edition``: zones of its city, headings of the edition."""

    def __init__(self, *args, edition: BudgetEdition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = self.instance.edition = edition
        if "zone" in self.fields:
            _zone_field(self, edition.city, empty_label=_("City-wide"))
        if "heading" in self.fields:
            self.fields["heading"].queryset = Heading.objects.filter(edition=edition).order_by(
                "name"
            )
            self.fields["heading"].empty_label = _("No heading")
        self.freeze()

    def is_frozen(self) -> bool:
        return bool(self.instance.pk) and self.edition.is_frozen

    def clean(self):
        cleaned = super().clean()
        self.refuse_frozen_changes()
        return cleaned


class HeadingForm(_EditionChildForm):
    """A budget heading; headings can only change before voting opens (see the rules)."""

    class Meta:
        model = Heading
        fields = ["name", "description", "amount", "zone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProjectForm(_EditionChildForm):
    """A project as staff enter it (or correct it)."""

    frozen_fields = ("cost", "heading", "zone")

    class Meta:
        model = Project
        fields = ["title", "description", "heading", "zone", "cost", "external_id"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class ProposalEditForm(ProjectForm):
    """What a resident may change in their own proposal until it is reviewed."""

    class Meta(ProjectForm.Meta):
        fields = ["title", "description", "heading", "zone", "cost"]
        labels = {"cost": _("Estimated cost")}


class ProjectReviewForm(forms.ModelForm):
    """Staff's decision on a project: on the ballot or not, and why, with the adjusted cost.

    Reviews happen in the proposal and review phases only (see the rules), before any freeze.
    """

    class Meta:
        model = Project
        fields = ["status", "review_explanation", "cost"]
        widgets = {
            "status": forms.RadioSelect,
            "review_explanation": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"status": _("Decision"), "cost": _("Adjusted cost")}
        help_texts = {
            "cost": _("The cost the city estimates; voters see this one."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = [
            ProjectStatus.FEASIBLE,
            ProjectStatus.UNFEASIBLE,
            ProjectStatus.WITHDRAWN,
            ProjectStatus.SUBMITTED,
        ]
        labels = {
            ProjectStatus.FEASIBLE: _("On the ballot"),
            ProjectStatus.UNFEASIBLE: _("Not feasible"),
            ProjectStatus.WITHDRAWN: _("Withdrawn"),
            ProjectStatus.SUBMITTED: _("Submitted (not reviewed yet)"),
        }
        self.fields["status"].choices = [(status.value, labels[status]) for status in order]


# --- Voting codes -------------------------------------------------------------------------


class CodesForm(forms.Form):
    """How many voting codes to generate, for which zone, and in which file."""

    CSV, PDF = "csv", "pdf"

    count = forms.IntegerField(
        label=_("Number of codes"),
        min_value=1,
        max_value=MAX_BATCH,
    )
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(),
        required=False,
        label=_("Zone"),
        help_text=_("Voters with these codes see the projects of this zone and city-wide ones."),
    )
    label = forms.CharField(
        label=_("Label"),
        max_length=120,
        required=False,
        help_text=_("For your records, e.g. “Assembly of 12 May, school hall”."),
    )
    format = forms.ChoiceField(
        label=_("File"),
        choices=[
            (CSV, _("CSV spreadsheet (for mail merge or a print shop)")),
            (PDF, _("Printable PDF of cut-out cards")),
        ],
        initial=CSV,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, edition: BudgetEdition, **kwargs):
        super().__init__(*args, **kwargs)
        _zone_field(self, edition.city, empty_label=_("No zone (city-wide)"))
        # Here, not on the class: the numbers are written in the reader's language.
        self.fields["count"].help_text = _("Up to %(max)s at a time.") % {"max": _number(MAX_BATCH)}
        self.fields["format"].help_text = _(
            "A printable sheet holds at most %(max)s codes, ten to a page."
        ) % {"max": _number(MAX_PDF_CODES)}

    def clean(self):
        cleaned = super().clean()
        count = cleaned.get("count")
        if cleaned.get("format") == self.PDF and count and count > MAX_PDF_CODES:
            self.add_error(
                "count",
                _(
                    "A printable sheet holds at most %(max)s codes. Generate several batches, "
                    "or choose the CSV file."
                )
                % {"max": _number(MAX_PDF_CODES)},
            )
        return cleaned


# --- Paper ballots ------------------------------------------------------------------------


def option_label(option, currency: str) -> str:
    """“#12 Lights on Main Street (North) · R$20,000.00”: what staff read off a ballot."""
    name = str(option)
    if isinstance(option, Project):
        if option.zone_id:
            name = f"{option.title} ({option.zone.name})"
        return f"#{option.pk} {name} · {format_money(option.cost, currency)}"
    return f"#{option.pk} {name}"


def ballot_option_list(edition: BudgetEdition) -> list:
    """Every option on the edition's ballot, for every zone: headings or projects."""
    if edition.votes_on_headings:
        options = Heading.objects.filter(edition=edition)
    else:
        options = Project.objects.filter(edition=edition).on_ballot()
    return list(
        options.select_related("zone").order_by(
            "zone__name", "name" if edition.votes_on_headings else "title", "pk"
        )
    )


class PaperBallotForm(forms.Form):
    """One paper ballot as staff read it: the options ticked (or points), the code, the zone."""

    code = forms.CharField(
        label=_("Voting code"),
        required=False,
        max_length=40,
        help_text=_("If the voter used one; it is then used up as online."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.none(),
        required=False,
        label=_("Zone where the ballot was cast"),
    )

    def __init__(self, *args, edition: BudgetEdition, options: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.cumulative = edition.method == VotingMethod.CUMULATIVE
        _zone_field(self, edition.city, empty_label=_("No zone"))
        if edition.by_zone:
            self.fields["zone"].help_text = _(
                "Voters see city-wide projects and those of their zone; a code's own zone wins."
            )
        self.point_fields = []
        if self.cumulative:
            for option in options:
                name = f"points_{option.pk}"
                self.fields[name] = forms.IntegerField(
                    label=option_label(option, edition.currency),
                    required=False,
                    min_value=0,
                    max_value=edition.points,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
                self.point_fields.append(name)
        else:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=_("Options ticked on the ballot"),
                choices=[(str(o.pk), option_label(o, edition.currency)) for o in options],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def ballot(self) -> dict:
        """The keyword arguments for ``paper_ballot_enter``."""
        data = self.cleaned_data
        kwargs = {"code": data.get("code", "").strip(), "zone": data.get("zone")}
        if self.cumulative:
            kwargs["points"] = {
                name.removeprefix("points_"): data[name]
                for name in self.point_fields
                if data.get(name)
            }
        else:
            kwargs["choices"] = data.get("choices", [])
        return kwargs


class PaperBallotImportForm(forms.Form):
    """Many paper ballots from a CSV file: ``code``, ``zone`` (slug) and ``choices`` columns."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: code (optional), zone (the zone's slug, optional), choices (option numbers "
            "separated by spaces or semicolons; for cumulative voting, number:points pairs)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    SEPARATORS = re.compile(r"[;,\s]+")

    def __init__(self, *args, edition: BudgetEdition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(
                _("The file is too large (at most %(mb)s MB).")
                % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the file as CSV in UTF-8 and try again.")) from None
        # Spreadsheets in Portuguese, Spanish or French save CSV with semicolons.
        header = text.split("\n", 1)[0]
        delimiter = ";" if ";" in header and "," not in header else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        columns = {(name or "").strip().lower() for name in reader.fieldnames or []}
        if "choices" not in columns:
            raise ValidationError(
                _(
                    "The file needs a header line with a “choices” column (and optionally “code” "
                    "and “zone”)."
                )
            )
        zones = {zone.slug: zone for zone in Zone.objects.filter(city=self.edition.city)}
        rows, errors = [], []
        for record in reader:
            line = reader.line_num
            if None in record:  # more cells than the header names
                errors.append(
                    _(
                        "Line %(line)s has more cells than the header: separate the choices "
                        "with spaces, or put them in quotes."
                    )
                    % {"line": line}
                )
                continue
            record = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
            if not any(record.values()):
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ValidationError(
                    _("A file holds at most %(max)s ballots; split it.") % {"max": MAX_IMPORT_ROWS}
                )
            row = {"line": line, "code": record.get("code", ""), "zone": None}
            slug = record.get("zone", "")
            if slug:
                row["zone"] = zones.get(slug)
                if row["zone"] is None:
                    errors.append(
                        _("Line %(line)s: %(city)s has no zone “%(zone)s”.")
                        % {"line": line, "city": self.edition.city.name, "zone": slug}
                    )
                    continue
            items = [item for item in self.SEPARATORS.split(record.get("choices", "")) if item]
            if self.edition.method == VotingMethod.CUMULATIVE:
                points = {}
                for item in items:
                    option, sep, given = item.partition(":")
                    if not sep or not option or not given:
                        errors.append(
                            _("Line %(line)s: write points as number:points, not “%(item)s”.")
                            % {"line": line, "item": item}
                        )
                        break
                    points[option] = given
                else:
                    row["points"] = points
                    rows.append(row)
            else:
                row["choices"] = items
                rows.append(row)
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("The file has no ballots."))
        return rows


# --- Verified residents -------------------------------------------------------------------


class ResidentForm(forms.Form):
    """Verify the account with this email as a resident of the city (of a zone)."""

    email = forms.EmailField(
        label=_("Email of the resident's account"),
        help_text=_("The resident signs up first; then you verify their account here."),
    )
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False, label=_("Zone"))

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city
        _zone_field(self, city, empty_label=_("No zone"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("No account uses this email address. Ask the resident to sign up first.")
            )
        if ResidentVerification.objects.filter(city=self.city, user=user).exists():
            raise ValidationError(_("This account is already verified for the city."))
        self.user = user
        return email
