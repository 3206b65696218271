"""Staff pages of participatory budgets: set-up, review, phases, codes, paper ballots, figures."""

from .ballots import PaperBallotView
from .children import (
    HeadingCreateView,
    HeadingDeleteView,
    HeadingEditView,
    ProjectCreateView,
    ProjectDeleteView,
    ProjectEditView,
    ProjectHistoryView,
    ProjectReviewView,
)
from .codes import CodesView
from .editions import (
    EditionAdvanceView,
    EditionCreateView,
    EditionDeleteView,
    EditionEditView,
    EditionHistoryView,
    EditionManageView,
    EditionScheduleView,
)
from .figures import ParticipationView
from .residents import ResidentRemoveView, ResidentsView

__all__ = [
    "CodesView",
    "EditionAdvanceView",
    "EditionCreateView",
    "EditionDeleteView",
    "EditionEditView",
    "EditionHistoryView",
    "EditionManageView",
    "EditionScheduleView",
    "HeadingCreateView",
    "HeadingDeleteView",
    "HeadingEditView",
    "PaperBallotView",
    "ParticipationView",
    "ProjectCreateView",
    "ProjectDeleteView",
    "ProjectEditView",
    "ProjectHistoryView",
    "ProjectReviewView",
    "ResidentRemoveView",
    "ResidentsView",
]
