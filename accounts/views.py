"""Account pages: login and password flows (Django's views), profile, API tokens."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import LoginForm, PreferencesForm, TokenCreateForm
from .models import ApiToken
from .services import token_create, token_revoke


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


def _profile_context(request, **extra) -> dict:
    tokens = ApiToken.objects.visible_to(request.user).filter(user=request.user)
    roles = request.user.role_assignments.select_related("scope_type").order_by("role")
    return {
        "tokens": tokens,
        "roles": roles,
        "token_form": TokenCreateForm(),
        "preferences_form": PreferencesForm(instance=request.user),
        **extra,
    }


@login_required
def profile(request):
    """The person's own account: roles, preferences, API tokens."""
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save()
            response = redirect("accounts:profile")
            if user.preferred_language:
                translation.activate(user.preferred_language)
                response.set_cookie("django_language", user.preferred_language, samesite="Lax")
            messages.success(request, _("Your preferences were saved."))
            return response
        return render(
            request, "accounts/profile.html", _profile_context(request, preferences_form=form)
        )
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def token_create_view(request):
    """Create a token and show its key, this once."""
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, key = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expires_at"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Token created. Copy the key now: it will not be shown again.")
            )
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(
        request, "accounts/profile.html", _profile_context(request, token_form=form), status=400
    )


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    """Revoke one of the user's tokens."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.delete_apitoken", token):
        return render(request, "403.html", status=403)
    token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:profile")
