from django import forms

from .models import City


class CityProfileForm(forms.ModelForm):
    """What city staff keep up to date about their city."""

    class Meta:
        model = City
        fields = ["name", "region", "population", "currency", "time_zone", "programme_status"]
