"""The counting engine against pabutools 1.2: seconds for each, the ratio, identical outcomes.

For each election and each rule/completion, counts with ``budgeting.counting`` and with
pabutools (called as ``shared/pabulib/README.md`` says, with the engine's tie-breaking order),
prints both times and checks that the funded projects are the same, in the same order.

    .venv/bin/python bench/counting.py                       # Budapest + generated election
    .venv/bin/python bench/counting.py --skip-pabutools-over 600 --datasets wieliczka
    .venv/bin/python bench/counting.py --rules equal-shares/add1 --voters 20000

Times are CPU seconds of the process doing the count (the machines are shared; wall-clock
time would mostly measure the neighbours). The engine's time covers everything from the
parsed election to the outcome (merging ballots included); pabutools' covers
``as_multiprofile`` and the rule, not parsing. pabutools runs in a child process that is
stopped after ``--skip-pabutools-over`` seconds: the row then says so and gives an estimate
(the number of Equal Shares runs the scan needed times pabutools' time for one run) instead of
a measured ratio. Elections:

``budapest``
    ``Hungary_Budapest_2024.pb`` from the shared Pabulib files (28,943 voters, 175 projects,
    20,132 distinct ballots, budget 1,000,000,000 HUF: ``add1`` needs tens of thousands of
    +1 HUF steps).
``generated``
    A fixed-seed approval election, 100,000 voters and 150 projects by default: project
    popularity falls off like 1/rank, ballots list 1 to 10 projects, costs 20,000 to
    500,000, budget 10,000,000 (100 per voter).
``assen``, ``swiecie``, ``wieliczka``, ``czestochowa``
    The golden files, small enough for pabutools to finish every completion.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgeting.counting import Election, Project, TieBreak, count, pabulib  # noqa: E402
from budgeting.counting.reference import pabutools_rule, to_pabutools  # noqa: E402

RULES = [
    ("greedy", "none"),
    ("equal-shares", "none"),
    ("equal-shares", "add1"),
    ("equal-shares", "add1-no-stop"),
    ("equal-shares", "add1-greedy"),
]
FILES = {
    "budapest": "Hungary_Budapest_2024.pb",
    "assen": "Netherlands_Assen_2024.pb",
    "swiecie": "Poland_Swiecie_2023.pb",
    "wieliczka": "Poland_Wieliczka_2023_Green_Budget.pb",
    "czestochowa": "Poland_Czestochowa_2024_Tysiaclecie.pb",
}


def shared_dir() -> Path:
    configured = os.environ.get("JUNTOS_SHARED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1].parent / "shared"


def generated_election(voters: int, projects: int, seed: int) -> Election:
    """A reproducible approval election with skewed popularity and realistic costs."""
    rng = random.Random(seed)
    ids = [str(i) for i in range(1, projects + 1)]
    costs = {pid: rng.randrange(20_000, 500_001, 1_000) for pid in ids}
    popularity = list(ids)
    rng.shuffle(popularity)
    weights = [1 / (rank + 1) for rank in range(projects)]
    ballots = []
    for _ in range(voters):
        size = rng.randint(1, 10)
        chosen = set(rng.choices(popularity, weights=weights, k=size))
        ballots.append((1, dict.fromkeys(sorted(chosen, key=int), 1)))
    return Election(
        10_000_000, {pid: Project(pid, cost) for pid, cost in costs.items()}, ballots, "approval"
    )


# The election a pabutools child counts: set before forking, inherited by the child.
_CHILD_INPUT: dict = {}


def _pabutools_child(conn, rule: str, completion: str, memory_gb: float) -> None:
    if memory_gb > 0:
        limit = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from pabutools.election import parse_pabulib
        from pabutools.tiebreaking import TieBreakingRule

        election = _CHILD_INPUT["election"]
        path = _CHILD_INPUT.get("path")
        if path is not None:
            instance, profile = parse_pabulib(str(path))
        else:
            instance, profile = to_pabutools(election)
        ranks = {str(pid): rank for pid, rank in TieBreak().ranks(election).items()}
        tie_breaking = TieBreakingRule(lambda inst, prof, p: ranks[p.name])
        conn.send(("loaded", None))
        started = time.process_time()
        names = pabutools_rule(
            instance, profile, election.vote_type, rule, completion, tie_breaking
        )()
        conn.send(("done", (time.process_time() - started, names)))
    except MemoryError:
        conn.send(("error", f"out of memory (over {memory_gb} GB)"))
    except Exception as exc:  # noqa: BLE001 - report any failure of the reference
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def time_pabutools(rule: str, completion: str, limit: float, memory_gb: float):
    """``(seconds, names)``, or ``(None, reason)`` if pabutools failed or ran out of time."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_pabutools_child, args=(child, rule, completion, memory_gb))
    process.start()
    try:
        if not parent.poll(max(600, limit)):  # parsing is not timed but must end
            return None, "pabutools could not load the election"
        kind, payload = parent.recv()
        if kind == "error":
            return None, payload
        if not parent.poll(limit):
            return None, f"not finished in {limit:g} s (--skip-pabutools-over)"
        kind, payload = parent.recv()
        if kind == "error":
            return None, payload
        return payload
    finally:
        process.terminate()
        process.join()


def time_engine(election: Election, rule: str, completion: str):
    started = time.process_time()
    outcome = count(election, rule, completion)
    return time.process_time() - started, outcome


def bench(name: str, election: Election, path: Path | None, args) -> bool:
    merged = len(election.merged_ballots())
    print(
        f"\n{name}: {election.num_voters:,} voters ({merged:,} distinct ballots), "
        f"{len(election.projects)} projects, budget {election.budget}, {election.vote_type}"
    )
    print(f"{'rule':<27}{'engine s':>10}{'pabutools s':>14}{'ratio':>9}  outcome")
    _CHILD_INPUT.clear()
    _CHILD_INPUT.update({"election": election, "path": path})
    all_same = True
    one_run = None  # pabutools' seconds for one Equal Shares run (the "none" row)
    for rule, completion in RULES:
        label = f"{rule}/{completion}"
        if args.rules and label not in args.rules:
            continue
        mine_s, outcome = time_engine(election, rule, completion)
        extra = ""
        if rule == "equal-shares" and completion != "none":
            extra = f"  ({outcome.runs} engine runs, {outcome.increments} steps of +1)"
        if args.no_pabutools:
            funded = f"{len(outcome.selected)} funded"
            print(f"{label:<27}{mine_s:>10.2f}{'-':>14}{'-':>9}  {funded}{extra}")
            continue
        theirs_s, names = time_pabutools(rule, completion, args.skip_pabutools_over, args.memory_gb)
        if theirs_s is None:
            estimate = ""
            if one_run is not None and completion != "none":
                steps = outcome.increments + 2
                estimate = (
                    f"; estimated {steps:,} runs x {one_run:.1f} s = {steps * one_run:,.0f} s"
                )
            print(f"{label:<27}{mine_s:>10.2f}{'skipped':>14}{'-':>9}  {names}{estimate}{extra}")
            continue
        if completion == "none" and rule == "equal-shares":
            one_run = theirs_s
        same = [str(p) for p in outcome.selected] == names
        all_same &= same
        verdict = "identical" if same else f"DIFFERENT: engine {outcome.selected} pabutools {names}"
        ratio = theirs_s / mine_s if mine_s > 0 else float("inf")
        print(f"{label:<27}{mine_s:>10.2f}{theirs_s:>14.2f}{ratio:>8.1f}x  {verdict}{extra}")
    return all_same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--datasets", nargs="+", default=["budapest", "generated"], choices=["generated", *FILES]
    )
    parser.add_argument("--rules", nargs="+", choices=[f"{r}/{c}" for r, c in RULES])
    parser.add_argument(
        "--skip-pabutools-over",
        type=float,
        default=120,
        metavar="SECONDS",
        help="stop a pabutools count after this many CPU-bound seconds",
    )
    parser.add_argument(
        "--memory-gb",
        type=float,
        default=8,
        help="memory limit of a pabutools child process (0: none)",
    )
    parser.add_argument("--no-pabutools", action="store_true", help="time the engine only")
    parser.add_argument("--voters", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    all_same = True
    for dataset in args.datasets:
        if dataset == "generated":
            election = generated_election(args.voters, args.projects, args.seed)
            all_same &= bench(f"generated (seed {args.seed})", election, None, args)
            continue
        path = shared_dir() / "pabulib" / FILES[dataset]
        if not path.exists():
            print(f"\n{dataset}: {path} not found, skipped")
            continue
        election = pabulib.read(path).to_election()
        all_same &= bench(path.name, election, path, args)
    if not args.no_pabutools:
        print("\nall measured outcomes identical" if all_same else "\nOUTCOMES DIFFER")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
