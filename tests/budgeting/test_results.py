"""Counting an edition, publishing its results, and what a changed ballot log does to them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting.choices import Completion, CountingRule, CountStatus, Phase, VotingMethod
from budgeting.models import BudgetEdition, Heading
from budgeting.services import (
    ballot_cast,
    count_publish,
    count_request,
    published_count,
    tally,
)
from tests.budgeting.factories import (
    EditionFactory,
    HeadingFactory,
    ProjectFactory,
    codes_for,
)
from tests.cities.factories import ZoneFactory

pytestmark = pytest.mark.django_db


def set_phase(edition, phase):
    BudgetEdition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.refresh_from_db()
    return edition


def vote(edition, ballots):
    """Cast ``ballots`` (lists of projects or headings) with fresh codes."""
    for code, choices in zip(codes_for(edition, len(ballots)), ballots, strict=True):
        ballot_cast(edition=edition, code=code, choices=[c.pk for c in choices])


@pytest.fixture
def election(city_a):
    """Budget 100: A (cost 60) is liked by 5, B (50) by 4, C (40) by 3 of them, D (10) by 1."""
    edition = EditionFactory(city=city_a, total_amount=Decimal(100))
    a, b, c, d = (
        ProjectFactory(edition=edition, title=t, cost=Decimal(cost))
        for t, cost in (("A", 60), ("B", 50), ("C", 40), ("D", 10))
    )
    set_phase(edition, Phase.VOTING)
    vote(edition, [[a, b], [a, b], [a, b], [a, c], [a, c], [b, c, d]])
    return edition, (a, b, c, d)


def test_greedy_funds_the_most_voted_projects_that_fit(election):
    edition, (a, b, c, d) = election
    result = tally(edition, rule=CountingRule.GREEDY)
    assert result.selected == [a.pk, c.pk]  # B no longer fits after A; C just does; D not
    assert result.cost == Decimal(100)
    assert result.support == {a.pk: 5, b.pk: 4, c.pk: 3, d.pk: 1}
    assert (result.voters, result.satisfied) == (6, 6)


def test_equal_shares_gives_every_group_its_share(election):
    edition, (a, b, c, d) = election
    result = tally(edition, rule=CountingRule.EQUAL_SHARES, completion=Completion.ADD1)
    assert set(result.selected) <= {a.pk, b.pk, c.pk, d.pk}
    assert result.cost <= Decimal(100)


def test_greedy_takes_no_completion(election):
    edition, _ = election
    with pytest.raises(ValidationError):
        tally(edition, rule=CountingRule.GREEDY, completion=Completion.ADD1)


def test_heading_choice_opens_the_most_voted_heading_and_breaks_ties_by_cost(city_a):
    edition = EditionFactory(
        city=city_a, method=VotingMethod.HEADINGS, max_choices=1, total_amount=Decimal(550_000)
    )
    roads = HeadingFactory(edition=edition, name="Roadways", amount=Decimal(550_000))
    green = HeadingFactory(edition=edition, name="Green spaces", amount=Decimal(500_000))
    set_phase(edition, Phase.VOTING)
    vote(edition, [[roads], [roads], [green], [green]])  # a tie on votes
    result = tally(edition, rule=CountingRule.GREEDY)
    assert result.selected == [green.pk]  # the cheaper wins the tie, then nothing else fits


def test_a_zone_budget_is_counted_with_its_own_voters(city_a):
    north, south = ZoneFactory(city=city_a), ZoneFactory(city=city_a)
    edition = EditionFactory(city=city_a, by_zone=True, total_amount=Decimal(200))
    HeadingFactory(edition=edition, zone=north, amount=Decimal(100), name="Lighting")
    HeadingFactory(edition=edition, zone=south, amount=Decimal(100), name="Lighting")
    n1 = ProjectFactory(edition=edition, zone=north, cost=Decimal(80))
    n2 = ProjectFactory(edition=edition, zone=north, cost=Decimal(70))
    s1 = ProjectFactory(edition=edition, zone=south, cost=Decimal(90))
    set_phase(edition, Phase.VOTING)
    [north_code, north_code2] = codes_for(edition, 2, zone=north)
    [south_code] = codes_for(edition, 1, zone=south)
    ballot_cast(edition=edition, code=north_code, choices=[n1.pk])
    ballot_cast(edition=edition, code=north_code2, choices=[n2.pk, n1.pk])
    ballot_cast(edition=edition, code=south_code, choices=[s1.pk])
    result = tally(edition, rule=CountingRule.GREEDY)
    assert result.selected == [n1.pk, s1.pk]
    assert [unit["voters"] for unit in result.units] == [2, 1]
    assert result.budget == Decimal(200)


def test_results_stay_embargoed_until_staff_publish_them(election, staff_a, celery_conf):
    edition, (a, _b, c, _d) = election
    with pytest.raises(ValidationError):
        count_request(edition=edition, actor=staff_a)  # voting is still open
    edition = set_phase(edition, Phase.COUNTING)
    count = count_request(edition=edition, actor=staff_a)
    # Eager Celery runs it once the request's transaction commits; here, in the test.
    from budgeting.services import count_run

    count_run(count_id=count.pk)
    count.refresh_from_db()
    assert count.status == CountStatus.DONE
    assert published_count(edition) is None
    assert {r.rule for r in count.results.all()} == {"greedy", "equal-shares"}
    count_publish(count=count, actor=staff_a)
    edition.refresh_from_db()
    assert edition.phase == Phase.RESULTS
    assert published_count(edition) == count
    assert set(edition.projects.filter(selected=True)) == {a, c}


def test_a_count_whose_ballots_changed_is_flagged_and_not_published(election, staff_a):
    edition, (a, *_rest) = election
    edition = set_phase(edition, Phase.COUNTING)
    from budgeting.services import count_run

    count = count_request(edition=edition, actor=staff_a)
    count_run(count_id=count.pk)
    first = count.results.get(official=True).selected
    # A paper ballot arrives late: the log changes under the count.
    set_phase(edition, Phase.VOTING)
    vote(edition, [[a]])
    edition = set_phase(edition, Phase.COUNTING)
    count.refresh_from_db()
    assert count.is_stale
    with pytest.raises(ValidationError, match="count again"):
        count_publish(count=count, actor=staff_a)
    recount = count_request(edition=edition, actor=staff_a)
    count_run(count_id=recount.pk)
    recount.refresh_from_db()
    assert not recount.is_stale
    assert recount.results.get(official=True).selected == first


def test_recounting_the_same_ballots_gives_the_same_result(election, staff_a):
    edition, _ = election
    edition = set_phase(edition, Phase.COUNTING)
    from budgeting.services import count_run

    outcomes = []
    for _ in range(2):
        count = count_request(edition=edition, actor=staff_a)
        count_run(count_id=count.pk)
        outcomes.append(
            [(r.rule, r.selected, r.support, r.cost) for r in count.results.order_by("rule")]
        )
    assert outcomes[0] == outcomes[1]


def test_publishing_heading_results_opens_the_heading(city_a, staff_a):
    edition = EditionFactory(
        city=city_a, method=VotingMethod.HEADINGS, max_choices=1, total_amount=Decimal(100)
    )
    roads = HeadingFactory(edition=edition, amount=Decimal(100))
    HeadingFactory(edition=edition, amount=Decimal(100))
    set_phase(edition, Phase.VOTING)
    vote(edition, [[roads]])
    edition = set_phase(edition, Phase.COUNTING)
    from budgeting.services import count_run

    count = count_request(edition=edition, actor=staff_a)
    count_run(count_id=count.pk)
    count_publish(count=count, actor=staff_a)
    assert list(Heading.objects.filter(edition=edition, opened=True)) == [roads]
