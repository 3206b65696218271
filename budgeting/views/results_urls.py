"""URLs of counting (staff) and of the results and ballot downloads (everyone, once published)."""

from django.urls import path

from .results import (
    ResultsView,
    ballots_csv,
    ballots_pb,
    count_page,
    count_publish_view,
    count_status,
)

urlpatterns = [
    path("<int:pk>/results/", ResultsView.as_view(), name="results"),
    path("<int:pk>/ballots.pb", ballots_pb, name="ballots_pb"),
    path("<int:pk>/ballots.csv", ballots_csv, name="ballots_csv"),
    path("<int:pk>/count/", count_page, name="count"),
    path("<int:pk>/counts/<int:count>/status/", count_status, name="count_status"),
    path("<int:pk>/counts/<int:count>/publish/", count_publish_view, name="count_publish"),
]
