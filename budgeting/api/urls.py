"""The budgeting endpoints, registered on the API router by ``config.api_urls``.

The viewsets hold editions, headings, projects and milestones; the paths under an edition (its
ballot's projects and headings, casting and replacing ballots, the public log, turnout, the
results, the anonymised ballots, delivery) and under a project (its milestones and updates)
are plain views.
"""

from django.urls import path

from .views import (
    AnonymisedBallotsView,
    BallotCastView,
    BallotLogView,
    BallotReplaceView,
    EditionDeliveryListView,
    EditionHeadingListView,
    EditionProjectListView,
    EditionResultsView,
    EditionViewSet,
    HeadingViewSet,
    MilestoneViewSet,
    ParticipationView,
    ProjectMilestoneListView,
    ProjectUpdateListView,
    ProjectViewSet,
)


def register(router) -> None:
    """Add the budgeting viewsets to ``router``."""
    router.register("editions", EditionViewSet, basename="edition")
    router.register("headings", HeadingViewSet, basename="heading")
    router.register("projects", ProjectViewSet, basename="project")
    router.register("milestones", MilestoneViewSet, basename="milestone")


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
    path(
        "editions/<int:edition_pk>/results/", EditionResultsView.as_view(), name="edition-results"
    ),
    path(
        "editions/<int:edition_pk>/ballots/anonymised/",
        AnonymisedBallotsView.as_view(),
        name="edition-ballots-anonymised",
    ),
    path(
        "editions/<int:edition_pk>/delivery/",
        EditionDeliveryListView.as_view(),
        name="edition-delivery",
    ),
    path(
        "projects/<int:project_pk>/milestones/",
        ProjectMilestoneListView.as_view(),
        name="project-milestones",
    ),
    path(
        "projects/<int:project_pk>/updates/",
        ProjectUpdateListView.as_view(),
        name="project-updates",
    ),
]
