"""URLs of the citizens' pages (editions, proposals, ballots, receipts, the public log)."""

from django.urls import path

from .public import (
    EditionDetailView,
    EditionListView,
    ProjectDetailView,
    ProjectProposeView,
    ballot,
    ballot_check,
    ballot_log,
    ballot_log_json,
    ballots_json,
    replace,
    verify_script,
    vote,
)

urlpatterns: list = [
    path("", EditionListView.as_view(), name="edition_list"),
    path("verify.py", verify_script, name="verify_script"),
    path("<int:pk>/", EditionDetailView.as_view(), name="edition_detail"),
    path("<int:edition>/projects/<int:pk>/", ProjectDetailView.as_view(), name="project_detail"),
    path("<int:edition>/propose/", ProjectProposeView.as_view(), name="project_propose"),
    path("<int:edition>/vote/", vote, name="vote"),
    path("<int:edition>/vote/ballot/", ballot, name="ballot"),
    path("<int:edition>/vote/ballot/check/", ballot_check, name="ballot_check"),
    path("<int:edition>/vote/replace/", replace, name="replace"),
    path("<int:edition>/log/", ballot_log, name="ballot_log"),
    path("<int:edition>/log.json", ballot_log_json, name="ballot_log_json"),
    path("<int:edition>/ballots.json", ballots_json, name="ballots_json"),
]
