"""Counting and results: the staff's counting page, the results page, the ballot downloads."""

from .counts import count_page, count_publish_view, count_status
from .downloads import ballots_csv, ballots_pb
from .pages import ResultsView

__all__ = [
    "ResultsView",
    "ballots_csv",
    "ballots_pb",
    "count_page",
    "count_publish_view",
    "count_status",
]
