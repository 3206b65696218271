"""Who sees which budget rows, and the figures lists need."""

from django.db import models
from django.db.models import Count, Q


def _staff_city_ids(user) -> set[int] | None:
    """Cities whose editions the user manages; None means every city (platform admins)."""
    from accounts.choices import Role
    from cities.models import City

    if not user.is_authenticated:
        return set()
    if user.is_platform_admin:
        return None
    return user.scope_ids(Role.CITY_STAFF, City)


class EditionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Editions past their draft are public; drafts are seen by their city's staff."""
        city_ids = _staff_city_ids(user)
        if city_ids is None:
            return self.all()
        return self.filter(~Q(phase="draft") | Q(city_id__in=city_ids))

    def with_counts(self):
        return self.annotate(
            project_count=Count("projects", filter=Q(projects__status="feasible"), distinct=True)
        )


class HeadingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(edition__in=BudgetEditionProxy.visible(user))


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(edition__in=BudgetEditionProxy.visible(user))

    def on_ballot(self):
        return self.filter(status="feasible")

    def filter_zone(self, zone):
        """City-wide projects, and those of ``zone`` when there is one."""
        if zone is None:
            return self.filter(zone__isnull=True)
        return self.filter(Q(zone__isnull=True) | Q(zone=zone))


class BudgetEditionProxy:
    """Late lookup of the edition model (querysets load before models)."""

    @staticmethod
    def visible(user):
        from .models import BudgetEdition

        return BudgetEdition.objects.visible_to(user).values("pk")
