"""Forms for the city pages: they parse input; the services in cities/services.py save it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import City, Department, FiscalYear, Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CityProfileForm(forms.ModelForm):
    """What city staff keep up to date about their city, its mayor included."""

    class Meta:
        model = City
        fields = [
            "name",
            "region",
            "population",
            "currency",
            "time_zone",
            "programme_status",
            "mayor_name",
            "mayor_party",
            "mayor_term_start",
            "mayor_term_end",
            "mayor_first_term",
            "mayor_collegial_conviction",
        ]
        widgets = {"mayor_term_start": DATE, "mayor_term_end": DATE}


class CityChildForm(forms.ModelForm):
    """A form for something that belongs to a city (zone, department, fiscal year).

    The city is not a form field, so Django's own uniqueness checks skip the "unique within
    the city" constraints; ``unique_in_city`` names the fields checked here instead, so a
    duplicate comes back as an error on the field rather than a page-level one.
    """

    unique_in_city: tuple[str, ...] = ()
    duplicate_message = _("This city already has one with this value.")

    def __init__(self, *args, city: City, **kwargs):
        super().__init__(*args, **kwargs)
        self.city = city

    def clean(self):
        cleaned = super().clean()
        others = self._meta.model.objects.filter(city=self.city)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for name in self.unique_in_city:
            value = cleaned.get(name)
            if value not in (None, "") and others.filter(**{name: value}).exists():
                self.add_error(name, self.duplicate_message)
        return cleaned


class ZoneForm(CityChildForm):
    unique_in_city = ("name", "slug")
    duplicate_message = _("This city already has a zone with this value.")

    class Meta:
        model = Zone
        fields = ["name", "slug", "population"]


class DepartmentForm(CityChildForm):
    unique_in_city = ("name",)
    duplicate_message = _("This city already has a department with this name.")

    class Meta:
        model = Department
        fields = ["name", "secretary", "email"]


class FiscalYearForm(CityChildForm):
    unique_in_city = ("year",)
    duplicate_message = _("This city already has figures for this year; edit them instead.")

    class Meta:
        model = FiscalYear
        fields = [
            "year",
            "revenue",
            "current_spending",
            "personnel_spending",
            "investment",
            "debt",
        ]
