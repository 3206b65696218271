from django.db import models
from django.db.models import Count


class CityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cities are public: everyone sees every city."""
        return self.all()

    def editable_by(self, user):
        """Cities the user may change: all for platform admins, their own for city staff."""
        from accounts.choices import Role

        if not user.is_authenticated:
            return self.none()
        if user.is_platform_admin:
            return self.all()
        return self.filter(pk__in=user.scope_ids(Role.CITY_STAFF, self.model))

    def with_zone_count(self):
        return self.annotate(zone_count=Count("zones", distinct=True))


class ZoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Zones are public, like their cities."""
        return self.all()


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Departments are public."""
        return self.all()


class FiscalYearQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Fiscal figures are public: fiscal transparency is the point."""
        return self.all()
