from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from config.generic import ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filtersets import CityFilterSet
from .forms import CityProfileForm
from .models import City, Zone


class CityListView(ObjectListView):
    """Every city on the platform, searchable and filterable."""

    model = City
    filterset_class = CityFilterSet
    template_name = "cities/city_list.html"
    results_template_name = "cities/partials/_city_table.html"

    def get_queryset(self):
        return super().get_queryset().with_zone_count().order_by("name")


class CityDetailView(ObjectDetailView):
    """A city's public profile."""

    model = City
    template_name = "cities/city_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("name")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = self.request.user.has_perm("cities.change_city", self.object)
        return context


class CityEditView(ObjectEditView):
    """City staff (and platform admins) update the city's profile."""

    model = City
    form_class = CityProfileForm
    update_service = services.city_update
    success_message = _("The city profile was saved.")
