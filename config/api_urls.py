"""The REST API at /api/v1/: one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api.urls import urlpatterns as account_urls  # me/
from accounts.api.views import ApiTokenViewSet
from budgeting.api.urls import register as register_budgeting
from budgeting.api.urls import urlpatterns as budgeting_urls
from cities.api.views import CityViewSet, DepartmentViewSet, FiscalYearViewSet, ZoneViewSet
from partnerships.api.views import (
    CityContributionsBySectorView,
    ContributionViewSet,
    LessonViewSet,
    MeasurementViewSet,
    OutcomeContractViewSet,
    ParticipationViewSet,
    PartnershipViewSet,
    PartnerViewSet,
    RiskViewSet,
)

app_name = "api"

router = DefaultRouter()
router.register("cities", CityViewSet, basename="city")
router.register("zones", ZoneViewSet, basename="zone")
router.register("departments", DepartmentViewSet, basename="department")
router.register("fiscal-years", FiscalYearViewSet, basename="fiscalyear")
router.register("partners", PartnerViewSet, basename="partner")
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("risks", RiskViewSet, basename="risk")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("outcome-contracts", OutcomeContractViewSet, basename="outcomecontract")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("tokens", ApiTokenViewSet, basename="apitoken")
register_budgeting(router)

urlpatterns = [
    # Served by the partnerships app: cities sit below it and may not import it.
    path(
        "cities/<slug:slug>/contributions-by-sector/",
        CityContributionsBySectorView.as_view(),
        name="city-contributions-by-sector",
    ),
    *budgeting_urls,
    path("", include(router.urls)),
    *account_urls,
]
