"""Forms that parse what staff type; the services in services.py validate and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from cities.models import City

from .choices import KINDS_BY_SECTOR, PartnerKind, Sector
from .models import (
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCORES = [(n, str(n)) for n in range(1, 6)]


def kind_choices() -> list:
    """Kinds of organisation grouped by sector, so the select shows which belong where."""
    labels = dict(PartnerKind.choices)
    return [
        ("", "---------"),
        *[
            (Sector(sector).label, [(kind, labels[kind]) for kind in kinds])
            for sector, kinds in KINDS_BY_SECTOR.items()
        ],
    ]


def staff_cities(user):
    """The cities whose staff the user is (every city for a platform admin)."""
    if user.is_platform_admin:
        return City.objects.order_by("name")
    return City.objects.filter(pk__in=user.scope_ids(Role.CITY_STAFF, City)).order_by("name")


class PartnerForm(forms.ModelForm):
    """An organisation's details."""

    class Meta:
        model = Partner
        fields = ["name", "sector", "kind", "country", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = kind_choices()


class PartnerCreateForm(PartnerForm):
    """A new partner, registered by one of the cities the user works for."""

    home_city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        label=_("Registered by city"),
        help_text=_("Its staff, and staff of cities where it takes part, may edit it."),
    )

    class Meta(PartnerForm.Meta):
        fields = [*PartnerForm.Meta.fields, "home_city"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = {}
        cities = staff_cities(user)
        if user.is_platform_admin:
            self.fields["home_city"].queryset = cities
            self.fields["home_city"].required = False
            return
        cities = list(cities)
        if len(cities) == 1:
            # Staff of one city register partners for it: nothing to choose.
            del self.fields["home_city"]
            self.fixed["home_city"] = cities[0]
        else:
            self.fields["home_city"].queryset = staff_cities(user)


class PartnershipForm(forms.ModelForm):
    """A partnership's description, classification and dates (its city stays the same)."""

    class Meta:
        model = Partnership
        fields = [
            "name",
            "objective",
            "description",
            "theme",
            "approach",
            "pillar",
            "status",
            "start_date",
            "end_date",
            "cities_served",
        ]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "start_date": DATE,
            "end_date": DATE,
            "cities_served": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cities_served"].queryset = City.objects.order_by("name")


class PartnershipCreateForm(PartnershipForm):
    """A new partnership, for one of the cities the user may add partnerships to."""

    city = forms.ModelChoiceField(queryset=City.objects.none(), label=_("City"))

    class Meta(PartnershipForm.Meta):
        fields = ["city", *PartnershipForm.Meta.fields]

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = {}
        if len(cities) == 1:
            # Staff of one city start partnerships for it: nothing to choose.
            del self.fields["city"]
            self.fixed["city"] = cities[0]
        else:
            self.fields["city"].queryset = City.objects.filter(
                pk__in=[c.pk for c in cities]
            ).order_by("name")


class ParticipationForm(forms.ModelForm):
    """A partner and the role it plays."""

    class Meta:
        model = Participation
        fields = ["partner", "role", "is_lead", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")


class ParticipationEditForm(forms.ModelForm):
    """The role a partner plays (the partner itself stays the same)."""

    class Meta:
        model = Participation
        fields = ["role", "is_lead", "notes"]


class ContributionForm(forms.ModelForm):
    """A pledge from one of the partnership's partners; the currency starts as the city's."""

    class Meta:
        model = Contribution
        fields = [
            "partner",
            "kind",
            "description",
            "amount",
            "currency",
            "exchange_rate",
            "pledged_on",
            "received_on",
        ]
        widgets = {"pledged_on": DATE, "received_on": DATE}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partnership.partners.distinct().order_by("name")
        self.fields["currency"].initial = partnership.city.currency
        self.fields["currency"].help_text = _(
            "ISO 4217 code. In another currency than the city's, give the exchange rate."
        )
        self.fields["pledged_on"].initial = timezone.localdate

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class ReceiveForm(forms.Form):
    """When a pledged contribution arrived."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)


class RiskForm(forms.ModelForm):
    """A risk, its score and what is done about it."""

    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "description",
            "likelihood",
            "impact",
            "mitigation",
            "owner",
            "status",
            "next_review",
        ]
        widgets = {
            "likelihood": forms.Select(choices=SCORES),
            "impact": forms.Select(choices=SCORES),
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "next_review": DATE,
        }


class LessonForm(forms.ModelForm):
    """A lesson learned, with tags typed as comma-separated words."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. ownership, youth, funding."),
    )

    class Meta:
        model = Lesson
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tags(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["tags"].split(",")]
        return [name for name in names if name]


class OutcomeContractForm(forms.ModelForm):
    """The terms of a social impact bond: who pays for which result, and how much at most."""

    class Meta:
        model = OutcomeContract
        fields = [
            "indicator",
            "unit",
            "direction",
            "baseline",
            "target",
            "threshold",
            "price_per_unit",
            "cap",
            "currency",
            "outcome_payer",
            "investors",
        ]
        widgets = {"investors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        partners = partnership.partners.distinct().order_by("name")
        self.fields["outcome_payer"].queryset = partners
        self.fields["investors"].queryset = partners
        self.fields["investors"].required = False
        self.fields["outcome_payer"].help_text = _(
            "Outcome payers and investors are chosen among the partnership's partners."
        )
        if not self.instance.pk:
            self.fields["currency"].initial = partnership.city.currency

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class MeasurementForm(forms.ModelForm):
    """A measured value of the outcome contract's indicator."""

    class Meta:
        model = OutcomeMeasurement
        fields = ["measured_on", "value", "source"]
        widgets = {"measured_on": DATE}
