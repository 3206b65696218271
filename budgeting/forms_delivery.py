"""Forms of the delivery pages: they parse input; ``budgeting.services.results`` decides.

The staff's delivery page records where a funded project stands, its milestones and its
public updates. The limits (progress up to 100 %, nothing spent below zero, a title for each
milestone) are the model's: the services check them and their messages come back field by field.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DeliveryStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DeliveryForm(forms.Form):
    """Status, progress and money spent of a funded project."""

    delivery_status = forms.ChoiceField(label=_("Delivery status"), choices=DeliveryStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        help_text=_("How much of the project is done, from 0 to 100."),
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    spent = forms.DecimalField(
        label=_("Money spent"),
        max_digits=18,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["spent"].help_text = _("In %(currency)s, against the project's cost.") % {
                "currency": currency
            }


class MilestoneForm(forms.Form):
    """A dated step of the delivery; left without a completion date until it is done."""

    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty until the milestone is reached."),
    )

    def __init__(self, *args, prefix="milestone", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class ProjectUpdateForm(forms.Form):
    """A public note on how the project is going."""

    text = forms.CharField(
        label=_("Public update"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone can read it on the project's page."),
    )
    published_on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput(),
        help_text=_("Today if left empty."),
    )

    def __init__(self, *args, prefix="update", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
