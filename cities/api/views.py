from rest_framework import viewsets

from config.api import ServiceViewSetMixin

from .. import services
from ..filtersets import CityFilterSet
from ..models import City, Department, FiscalYear, Zone
from .filtersets import DepartmentFilterSet, FiscalYearFilterSet, ZoneFilterSet
from .serializers import CitySerializer, DepartmentSerializer, FiscalYearSerializer, ZoneSerializer


class CityViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Cities: public to read; platform admins add and remove them, their staff edit them."""

    serializer_class = CitySerializer
    filterset_class = CityFilterSet
    lookup_field = "slug"
    create_service = services.city_create
    update_service = services.city_update
    delete_service = services.city_delete

    def get_queryset(self):
        return City.objects.visible_to(self.request.user).prefetch_related("zones")


class ZoneViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """A city's zones (neighbourhoods, districts): public; its staff keep them."""

    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
    parent_field = "city"
    create_service = services.zone_create
    update_service = services.zone_update
    delete_service = services.zone_delete

    def get_queryset(self):
        return Zone.objects.visible_to(self.request.user).select_related("city")


class DepartmentViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """A city's departments (secretariats) and their secretaries: public; its staff keep them."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    parent_field = "city"
    create_service = services.department_create
    update_service = services.department_update
    delete_service = services.department_delete

    def get_queryset(self):
        return Department.objects.visible_to(self.request.user).select_related("city")


class FiscalYearViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """A city's fiscal figures per year: public; its staff record and correct them."""

    serializer_class = FiscalYearSerializer
    filterset_class = FiscalYearFilterSet
    parent_field = "city"
    create_service = services.fiscal_year_record
    update_service = services.fiscal_year_update
    delete_service = services.fiscal_year_delete

    def get_queryset(self):
        return FiscalYear.objects.visible_to(self.request.user).select_related("city")
