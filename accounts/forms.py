from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User


class LoginForm(AuthenticationForm):
    """Email and password."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class TokenCreateForm(forms.ModelForm):
    """Name a new API token and, optionally, when it expires."""

    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for a token that lasts until you revoke it."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "expires_at"]


class PreferencesForm(forms.ModelForm):
    """What a person may change about their own account."""

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
