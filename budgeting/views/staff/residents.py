"""Verified residents of a city: accounts that may vote without a code where editions allow."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cities.models import City
from config.generic import errors_onto_form

from ... import services
from ...forms import ResidentForm
from ...models import ResidentVerification
from .common import manages_city


class _CityResidentsMixin:
    """The city in the URL; its staff and platform admins only (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not manages_city(request.user, self.city):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def city(self) -> City:
        return get_object_or_404(
            City.objects.visible_to(self.request.user), slug=self.kwargs["city"]
        )

    @property
    def list_url(self) -> str:
        return reverse("budgeting:residents", kwargs={"city": self.city.slug})


class ResidentsView(_CityResidentsMixin, TemplateView):
    """The city's verified residents (searchable, paged) and the form to verify one more."""

    template_name = "budgeting/staff/residents.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ResidentForm(city=self.city)))

    def post(self, request, *args, **kwargs):
        form = ResidentForm(request.POST, city=self.city)
        if form.is_valid():
            try:
                services.resident_verify(
                    city=self.city,
                    user=form.user,
                    zone=form.cleaned_data["zone"],
                    actor=request.user,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(email)s is now a verified resident of %(city)s.")
                    % {"email": form.user.email, "city": self.city.name},
                )
                return redirect(self.list_url)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        rows = (
            ResidentVerification.objects.filter(city=self.city)
            .select_related("user", "zone")
            .order_by("user__email", "pk")
        )
        if query:
            rows = rows.filter(user__email__icontains=query)
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            city=self.city,
            page_obj=page,
            verifications=page.object_list,
            query=query,
            total=(
                ResidentVerification.objects.filter(city=self.city).count()
                if query
                else page.paginator.count
            ),
        )
        return context


class ResidentRemoveView(_CityResidentsMixin, View):
    """Withdraw a verification (POST): the account votes with a code again, like anyone."""

    def post(self, request, *args, **kwargs):
        verification = get_object_or_404(
            ResidentVerification.objects.select_related("user"),
            city=self.city,
            pk=self.kwargs["pk"],
        )
        services.resident_remove(verification=verification, actor=request.user)
        messages.success(
            request,
            _("%(email)s is no longer a verified resident of %(city)s.")
            % {"email": verification.user.email, "city": self.city.name},
        )
        return redirect(self.list_url)
