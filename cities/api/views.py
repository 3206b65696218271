from rest_framework import viewsets

from config.api import ServiceViewSetMixin

from .. import services
from ..filtersets import CityFilterSet
from ..models import City
from .serializers import CitySerializer


class CityViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Cities: public to read; platform admins add and remove them, their staff edit them."""

    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    lookup_field = "slug"
    search_fields = []  # the FilterSet's `q` does the searching
    ordering_fields = []  # and its `ordering` the sorting
    create_service = services.city_create
    update_service = services.city_update
    delete_service = services.city_delete

    def get_queryset(self):
        return City.objects.visible_to(self.request.user).prefetch_related("zones")
