"""The REST API at /api/v1/: one router for every app's viewsets."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api.urls import urlpatterns as account_urls  # me/
from accounts.api.views import ApiTokenViewSet
from cities.api.views import CityViewSet

app_name = "api"

router = DefaultRouter()
router.register("cities", CityViewSet, basename="city")
router.register("tokens", ApiTokenViewSet, basename="apitoken")

urlpatterns = [
    path("", include(router.urls)),
    *account_urls,
]
