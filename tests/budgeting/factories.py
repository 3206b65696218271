from decimal import Decimal

import factory

from budgeting.choices import Phase, ProjectStatus, VotingMethod
from budgeting.models import BudgetEdition, Heading, Project
from budgeting.services import voting_codes_generate
from tests.cities.factories import CityFactory


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetEdition

    city = factory.SubFactory(CityFactory)
    title = factory.Sequence(lambda n: f"Participatory budget {n}")
    year = 2026
    total_amount = Decimal("100000.00")
    currency = factory.LazyAttribute(lambda o: o.city.currency)
    phase = Phase.DRAFT
    method = VotingMethod.APPROVAL


class HeadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Heading

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Heading {n}")
    amount = Decimal("50000.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "A project for the neighbourhood."
    cost = Decimal("20000.00")
    status = ProjectStatus.FEASIBLE


def voting_edition(city=None, *, method=VotingMethod.APPROVAL, projects=3, **fields):
    """An edition in its voting phase with ``projects`` projects on the ballot."""
    kwargs = {"city": city} if city is not None else {}
    if method == VotingMethod.CUMULATIVE:
        fields.setdefault("points", 10)
    edition = EditionFactory(phase=Phase.DRAFT, method=method, **kwargs, **fields)
    if method == VotingMethod.HEADINGS:
        for _ in range(projects):
            HeadingFactory(edition=edition)
    else:
        for _ in range(projects):
            ProjectFactory(edition=edition)
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=Phase.VOTING)
    edition.refresh_from_db()
    return edition


def codes_for(edition, count=1, zone=None) -> list[str]:
    return voting_codes_generate(edition=edition, count=count, zone=zone)
