"""Forms of the citizens' pages: they parse input; the services decide what is valid.

``BallotForm`` is not a Django form: its options, and what a valid choice is, come from
``ballot_options`` and ``ballot_validate``, so it only reads the ticked boxes (or the points)
from the request and keeps them for redisplay, with the service's messages next to them.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import VotingMethod
from .codes import CODE_LENGTH, RECEIPT_LENGTH
from .models import BudgetEdition, Heading


def _code_widget(placeholder: str, length: int) -> forms.TextInput:
    """A large text box for a printed code: no autocomplete, no autocorrect, any case."""
    return forms.TextInput(
        attrs={
            "class": "code-input",
            "autocomplete": "off",
            "autocapitalize": "characters",
            "autocorrect": "off",
            "spellcheck": "false",
            "inputmode": "text",
            "placeholder": placeholder,
            # Grouped by four with dashes, spaces allowed too: leave room for separators.
            "maxlength": length * 2,
        }
    )


class VotingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your voting code"),
        max_length=CODE_LENGTH * 2,
        help_text=_("16 letters and digits, as printed. Upper or lower case, dashes optional."),
        widget=_code_widget("XXXX-XXXX-XXXX-XXXX", CODE_LENGTH),
        error_messages={"required": _("Enter the voting code you received.")},
    )


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt"),
        max_length=RECEIPT_LENGTH * 2,
        help_text=_("20 letters and digits, shown when you voted. Dashes optional."),
        widget=_code_widget("XXXX-XXXX-XXXX-XXXX-XXXX", RECEIPT_LENGTH),
        error_messages={"required": _("Enter the receipt you were given when you voted.")},
    )


class ProposalForm(forms.Form):
    """A citizen's project idea: ``project_propose`` checks it against the edition."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should be done, where, and who it helps."),
    )
    heading = forms.ModelChoiceField(
        label=_("Heading"),
        queryset=Heading.objects.none(),
        required=False,
        empty_label=_("Not sure"),
        help_text=_("The line of the budget it would come from."),
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=None,
        required=False,
        empty_label=_("The whole city"),
    )
    cost = forms.DecimalField(
        label=_("Estimated cost"),
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    def __init__(self, *args, edition: BudgetEdition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["heading"].queryset = edition.headings.select_related("zone").order_by("name")
        self.fields["zone"].queryset = edition.city.zones.order_by("name")
        self.fields["cost"].help_text = _("In %(currency)s; the city checks it during review.") % {
            "currency": edition.currency
        }


class BallotForm:
    """The voter's choices on a ballot: ticked ids, or points per id for cumulative voting.

    ``options`` is ``ballot_options(edition, zone)``; ``rows`` pairs each option with what
    the voter gave it, for the template. ``errors`` holds the service's messages.
    """

    def __init__(self, edition: BudgetEdition, options: dict, data=None, initial=None):
        self.edition = edition
        self.options = options
        self.cumulative = edition.method == VotingMethod.CUMULATIVE
        self.errors: list[str] = []
        self.raw_points: dict[str, str] = {}
        if data is not None:
            self._parse(data)
        elif initial is not None:
            self._initial(initial)
        else:
            self.choices: list[str] = []
            self.points: dict[str, str] = {}

    def _parse(self, data) -> None:
        if self.cumulative:
            self.choices = []
            self.points = {}
            for name, value in data.items():
                if not name.startswith("points-"):
                    continue
                key, value = name.removeprefix("points-"), value.strip()
                self.raw_points[key] = value
                if value not in ("", "0"):
                    self.points[key] = value
        else:
            self.choices = [value for value in data.getlist("choices") if value]
            self.points = {}

    def _initial(self, stored: dict) -> None:
        """Prefill from a stored ballot's ``{"id": points}``."""
        if self.cumulative:
            self.choices = []
            self.points = {key: str(value) for key, value in stored.items()}
            self.raw_points = dict(self.points)
        else:
            self.choices = list(stored)
            self.points = {}

    def service_kwargs(self) -> dict:
        """What ``ballot_validate``/``ballot_cast`` take: ``points`` or ``choices``."""
        if self.cumulative:
            return {"points": dict(self.points)}
        return {"choices": list(self.choices)}

    def add_error(self, exc) -> None:
        self.errors.extend(exc.messages)

    @property
    def rows(self) -> list[dict]:
        chosen = set(self.choices)
        return [
            {
                "option": option,
                "key": str(pk),
                "checked": str(pk) in chosen,
                "points": self.raw_points.get(str(pk), ""),
            }
            for pk, option in self.options.items()
        ]

    def summary(self) -> dict:
        """What the live summary shows: how many chosen, money or points left."""
        edition = self.edition
        picked = [self.options[int(k)] for k in self._known(self.choices or self.points)]
        summary = {"count": len(picked), "max": edition.max_choices, "method": edition.method}
        if edition.method == VotingMethod.KNAPSACK:
            spent = sum((option.cost for option in picked), Decimal(0))
            summary.update(
                spent=spent, left=edition.total_amount - spent, budget=edition.total_amount
            )
        if self.cumulative:
            given = 0
            for value in self.points.values():
                try:
                    given += max(0, int(value))
                except ValueError:
                    continue
            summary.update(given=given, left=edition.points - given, budget=edition.points)
        summary["over"] = summary.get("left", 0) < 0 or bool(
            edition.max_choices and len(picked) > edition.max_choices
        )
        return summary

    def _known(self, keys) -> list[str]:
        known = []
        for key in keys:
            try:
                if int(key) in self.options and key not in known:
                    known.append(key)
            except ValueError:
                continue
        return known


class LogLookupForm(ReceiptForm):
    """Find a receipt in the public ballot log (by its fingerprint)."""
