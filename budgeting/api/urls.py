"""The budgeting endpoints, registered on the API router by ``config.api_urls``.

The viewsets hold editions, headings and projects; the paths under an edition (its ballot's
projects and headings, casting and replacing ballots, the public log, turnout) are plain views.
"""

from django.urls import path

from .views import (
    BallotCastView,
    BallotLogView,
    BallotReplaceView,
    EditionHeadingListView,
    EditionProjectListView,
    EditionViewSet,
    HeadingViewSet,
    ParticipationView,
    ProjectViewSet,
)


def register(router) -> None:
    """Add the budgeting viewsets to ``router``."""
    router.register("editions", EditionViewSet, basename="edition")
    router.register("headings", HeadingViewSet, basename="heading")
    router.register("projects", ProjectViewSet, basename="project")


urlpatterns: list = [
    path(
        "editions/<int:edition_pk>/projects/",
        EditionProjectListView.as_view(),
        name="edition-projects",
    ),
    path(
        "editions/<int:edition_pk>/headings/",
        EditionHeadingListView.as_view(),
        name="edition-headings",
    ),
    path("editions/<int:edition_pk>/ballots/", BallotCastView.as_view(), name="edition-ballots"),
    path(
        "editions/<int:edition_pk>/ballots/replace/",
        BallotReplaceView.as_view(),
        name="edition-ballots-replace",
    ),
    path("editions/<int:edition_pk>/log/", BallotLogView.as_view(), name="edition-log"),
    path(
        "editions/<int:edition_pk>/participation/",
        ParticipationView.as_view(),
        name="edition-participation",
    ),
]
