"""pabutools 1.2, the reference implementation, called the way ``shared/pabulib/README.md`` says.

Only the tests and the benchmark use this module; pabutools is a test-only dependency and is
imported when a function here is called. The calls are those of the README, with the engine's
explicit tie-breaking order passed to every rule, so outcomes can be compared exactly:

* approval ballots: ``Cost_Sat`` for every rule;
* cumulative ballots: ``Additive_Cardinal_Sat`` for Equal Shares and a satisfaction of
  ``points x cost`` for greedy (so that greedy ranks by total points).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .instance import CUMULATIVE, DEFAULT_TIE_BREAK, Election, ProjectId, TieBreak


def _points_cost_sat_class() -> type:
    from pabutools.election.satisfaction import AdditiveSatisfaction

    def points_times_cost(instance, profile, ballot, project, precomputed_values):
        return ballot.get(project, 0) * project.cost

    class Points_Cost_Sat(AdditiveSatisfaction):  # noqa: N801 - pabutools' naming style
        """Satisfaction ``points x cost``: greedy then ranks projects by total points."""

        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, points_times_cost)

    return Points_Cost_Sat


def to_pabutools(election: Election) -> tuple[Any, Any]:
    """The pabutools ``(instance, profile)`` of ``election`` (one ballot per voter)."""
    from pabutools.election import (
        ApprovalBallot,
        ApprovalProfile,
        CumulativeBallot,
        CumulativeProfile,
        Instance,
        Project,
    )
    from pabutools.fractions import frac

    projects = {
        pid: Project(str(pid), frac(Fraction(p.cost))) for pid, p in election.projects.items()
    }
    instance = Instance(projects.values(), budget_limit=frac(Fraction(election.budget)))
    if election.vote_type == CUMULATIVE:
        ballots = [
            CumulativeBallot({projects[pid]: frac(Fraction(pts)) for pid, pts in b.items()})
            for weight, b in election.ballots
            for _ in range(weight)
        ]
        profile = CumulativeProfile(ballots, instance=instance)
    else:
        ballots = [
            ApprovalBallot({projects[pid] for pid, pts in b.items() if pts > 0})
            for weight, b in election.ballots
            for _ in range(weight)
        ]
        profile = ApprovalProfile(ballots, instance=instance)
    return instance, profile


def pabutools_tie_break(election: Election, tie_break: TieBreak = DEFAULT_TIE_BREAK) -> Any:
    """The engine's tie-breaking order as a pabutools ``TieBreakingRule`` (by project name)."""
    from pabutools.tiebreaking import TieBreakingRule

    ranks = {str(pid): rank for pid, rank in tie_break.ranks(election).items()}
    return TieBreakingRule(lambda inst, prof, p: ranks[p.name])


def pabutools_rule(
    instance: Any,
    profile: Any,
    vote_type: str,
    rule: str,
    completion: str,
    tie_breaking: Any,
) -> Callable[[], list[str]]:
    """A function running pabutools for ``rule``/``completion``; it returns project names.

    ``profile`` is merged (``as_multiprofile``) first, as the README does.
    """
    from pabutools.election import Additive_Cardinal_Sat, Cost_Sat
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    cumulative = vote_type == CUMULATIVE
    mes_sat = Additive_Cardinal_Sat if cumulative else Cost_Sat
    greedy_sat = _points_cost_sat_class() if cumulative else Cost_Sat
    multiprofile = profile.as_multiprofile()
    n = profile.num_ballots()
    mes_params = {"sat_class": mes_sat, "tie_breaking": tie_breaking}

    def run() -> Any:
        if rule == "greedy":
            return greedy_utilitarian_welfare(
                instance, multiprofile, sat_class=greedy_sat, tie_breaking=tie_breaking
            )
        if completion == "none":
            return method_of_equal_shares(instance, multiprofile, **mes_params)
        if completion == "add1":
            return method_of_equal_shares(
                instance, multiprofile, **mes_params, voter_budget_increment=1
            )
        if completion == "add1-no-stop":
            return exhaustion_by_budget_increase(
                instance,
                multiprofile,
                rule=method_of_equal_shares,
                rule_params=dict(mes_params),
                budget_step=n,
                exhaustive_stop=False,
            )
        if completion == "add1-greedy":
            return completion_by_rule_combination(
                instance,
                multiprofile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [
                    {**mes_params, "voter_budget_increment": 1},
                    {"sat_class": greedy_sat, "tie_breaking": tie_breaking},
                ],
            )
        raise ValueError(f"unknown rule {rule!r} / completion {completion!r}")

    return lambda: [p.name for p in run()]


def pabutools_count(
    election: Election,
    rule: str,
    completion: str = "none",
    tie_break: TieBreak = DEFAULT_TIE_BREAK,
) -> list[ProjectId]:
    """pabutools' outcome for ``election``: project ids in pabutools' selection order."""
    instance, profile = to_pabutools(election)
    by_name = {str(pid): pid for pid in election.projects}
    tb = pabutools_tie_break(election, tie_break)
    names = pabutools_rule(instance, profile, election.vote_type, rule, completion, tb)()
    return [by_name[name] for name in names]
