"""The citizens' pages of participatory budgets."""

from .editions import EditionDetailView, EditionListView, ProjectDetailView, ProjectProposeView
from .log import ballot_log, ballot_log_json, ballots_json, verify_script
from .voting import ballot, ballot_check, replace, vote

__all__ = [
    "EditionDetailView",
    "EditionListView",
    "ProjectDetailView",
    "ProjectProposeView",
    "ballot",
    "ballot_check",
    "ballot_log",
    "ballot_log_json",
    "ballots_json",
    "replace",
    "verify_script",
    "vote",
]
