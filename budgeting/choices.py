"""Vocabulary of participatory budgets: phases, voting methods, counting rules, channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    """The stages of an edition, in order. ``draft`` is the staff's preparation, not public."""

    DRAFT = "draft", _("Draft")
    INFORMATION = "information", _("Information")
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


PHASE_ORDER = {phase: index for index, phase in enumerate(Phase.values)}
SCHEDULED_PHASES = Phase.values[1:]


def phase_index(phase: str) -> int:
    return PHASE_ORDER[phase]


class VotingMethod(models.TextChoices):
    HEADINGS = "headings", _("Heading choice")
    APPROVAL = "approval", _("Approval")
    KNAPSACK = "knapsack", _("Knapsack")
    CUMULATIVE = "cumulative", _("Cumulative points")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Greedy (most votes first)")
    EQUAL_SHARES = "equal-shares", _("Method of Equal Shares")


class Completion(models.TextChoices):
    NONE = "none", pgettext_lazy("completion method", "None")
    ADD1 = "add1", _("Add 1 (stop when exhaustive)")
    ADD1_NO_STOP = "add1-no-stop", _("Add 1 (no exhaustiveness stop)")
    ADD1_GREEDY = "add1-greedy", _("Add 1, then greedy")


class ProjectStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    FEASIBLE = "feasible", _("On the ballot")
    UNFEASIBLE = "unfeasible", _("Not feasible")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")


class LogEntryKind(models.TextChoices):
    CAST = "cast", _("Ballot cast")
    REPLACE = "replace", _("Ballot replaced")


class CountStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", pgettext_lazy("count status", "Counting")
    DONE = "done", pgettext_lazy("count status", "Done")
    FAILED = "failed", _("Failed")


class DeliveryStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNING = "planning", _("Planning and design")
    PROCUREMENT = "procurement", _("Procurement")
    IN_PROGRESS = "in_progress", _("Works in progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
