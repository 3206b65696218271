import datetime
from decimal import Decimal

import factory
from django.utils.text import slugify

from partnerships.choices import (
    Approach,
    ContributionKind,
    ParticipationRole,
    PartnerKind,
    RiskCategory,
    Sector,
    Theme,
)
from partnerships.models import (
    Contribution,
    Lesson,
    OutcomeContract,
    Participation,
    Partner,
    Partnership,
    Risk,
)
from tests.cities.factories import CityFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.PRIVATE
    kind = PartnerKind.NATIONAL_COMPANY
    country = "BR"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    city = factory.SubFactory(CityFactory)
    objective = "Improve public services together."
    theme = Theme.CAPACITY_BUILDING
    approach = Approach.IMPLICIT
    status = "active"
    start_date = datetime.date(2024, 1, 1)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    partnership = factory.SubFactory(PartnershipFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = ParticipationRole.FUNDING


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    partnership = factory.SubFactory(PartnershipFactory)
    partner = factory.LazyAttribute(
        lambda o: ParticipationFactory(partnership=o.partnership).partner
    )
    kind = ContributionKind.MONEY
    amount = Decimal("1000.00")
    currency = factory.LazyAttribute(lambda o: o.partnership.city.currency)
    pledged_on = datetime.date(2024, 2, 1)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = RiskCategory.CREDIBILITY
    likelihood = 3
    impact = 4


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    text = "Agree on who owns the partnership before money changes hands."


class OutcomeContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeContract

    partnership = factory.SubFactory(PartnershipFactory)
    outcome_payer = factory.SubFactory(
        PartnerFactory, sector=Sector.PUBLIC, kind=PartnerKind.NATIONAL_GOVERNMENT
    )
    indicator = "Reconviction events per 100 prisoners"
    direction = "decrease"
    baseline = Decimal("100")
    target = Decimal("90")
    threshold = Decimal("7.5")
    price_per_unit = Decimal("1000")
    cap = Decimal("20000")
    currency = "GBP"
