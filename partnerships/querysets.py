"""Who sees which rows, and the figures the database computes for lists and dashboards."""

from decimal import Decimal

from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=30, decimal_places=2))


def _private_city_ids(user) -> set[int] | None:
    """Cities whose private partnership data (risks, contribution rows) the user may read.

    None means every city (platform admins).
    """
    from accounts.choices import Role
    from cities.models import City

    if not user.is_authenticated:
        return set()
    if user.is_platform_admin:
        return None
    return user.scope_ids(Role.CITY_STAFF, City) | user.scope_ids(Role.SPONSOR, City)


def _scoped_to_city(queryset, user, path: str):
    city_ids = _private_city_ids(user)
    if city_ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": city_ids})


class PartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The partner directory is public."""
        return self.all()

    def with_partnership_count(self):
        return self.annotate(partnership_count=Count("participations__partnership", distinct=True))


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partnerships are public."""
        return self.all()

    def with_totals(self):
        """Money pledged and received (city currency) and the number of partners, per row."""
        from .models import Contribution, Participation

        def total(received: bool):
            rows = Contribution.objects.filter(partnership=OuterRef("pk"))
            if received:
                rows = rows.filter(received_on__isnull=False)
            return Coalesce(
                Subquery(
                    rows.order_by()
                    .values("partnership")
                    .annotate(total=Sum("value"))
                    .values("total")[:1]
                ),
                ZERO,
            )

        partner_count = (
            Participation.objects.filter(partnership=OuterRef("pk"))
            .order_by()
            .values("partnership")
            .annotate(n=Count("partner", distinct=True))
            .values("n")[:1]
        )
        return self.annotate(
            pledged_total=total(received=False),
            received_total=total(received=True),
            partner_count=Coalesce(Subquery(partner_count), 0),
        )


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who plays which role is public."""
        return self.all()


class ContributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Contribution rows: staff and sponsors of the partnership's city (totals are public)."""
        return _scoped_to_city(self, user, "partnership__city_id")

    def totals(self) -> dict:
        """Pledged and received value in the city's currency."""
        return self.aggregate(
            pledged=Coalesce(Sum("value"), ZERO),
            received=Coalesce(Sum("value", filter=Q(received_on__isnull=False)), ZERO),
            count=Count("id"),
        )

    def by_sector(self):
        """Totals per partner sector, largest first."""
        return (
            self.order_by()
            .values("partner__sector")
            .annotate(
                pledged=Sum("value"),
                received=Coalesce(Sum("value", filter=Q(received_on__isnull=False)), ZERO),
                count=Count("id"),
            )
            .order_by("-pledged")
        )

    def by_kind(self):
        """Totals per kind of contribution (money, expertise, ...), largest first."""
        return (
            self.order_by()
            .values("kind")
            .annotate(
                pledged=Sum("value"),
                received=Coalesce(Sum("value", filter=Q(received_on__isnull=False)), ZERO),
                count=Count("id"),
            )
            .order_by("-pledged")
        )


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Risks are private to staff and sponsors of the partnership's city."""
        return _scoped_to_city(self, user, "partnership__city_id")

    def heat_map(self) -> dict[tuple[int, int], int]:
        """How many risks sit in each (likelihood, impact) cell."""
        rows = self.order_by().values("likelihood", "impact").annotate(n=Count("id"))
        return {(row["likelihood"], row["impact"]): row["n"] for row in rows}


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lessons learned are public."""
        return self.all()


def measurement_payment_expression():
    """The payment one measurement earns: improvement × price once it reaches the threshold."""
    improvement = Case(
        When(
            contract__direction="increase",
            then=F("value") - F("contract__baseline"),
        ),
        default=F("contract__baseline") - F("value"),
        output_field=DecimalField(max_digits=18, decimal_places=4),
    )
    return Case(
        When(
            Q(improvement__gte=F("contract__threshold")) & Q(improvement__gt=0),
            then=ExpressionWrapper(
                F("improvement") * F("contract__price_per_unit"),
                output_field=DecimalField(max_digits=30, decimal_places=2),
            ),
        ),
        default=ZERO,
        output_field=DecimalField(max_digits=30, decimal_places=2),
    ), improvement


class OutcomeContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Outcome contracts (social impact bonds) are public."""
        return self.all()

    def with_payments_due(self):
        """``payments_due``: the sum of what the measurements earn, capped, in the database."""
        from .models import OutcomeMeasurement

        payment, improvement = measurement_payment_expression()
        earned = (
            OutcomeMeasurement.objects.filter(contract=OuterRef("pk"))
            .annotate(improvement=improvement, payment=payment)
            .order_by()
            .values("contract")
            .annotate(total=Sum("payment"))
            .values("total")[:1]
        )
        return self.annotate(payments_earned=Coalesce(Subquery(earned), ZERO)).annotate(
            payments_due=Least(F("payments_earned"), F("cap"))
        )


class OutcomeMeasurementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Measurements of outcome contracts are public, like the contracts."""
        return self.all()
