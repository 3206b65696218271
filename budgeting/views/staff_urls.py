"""URLs of the staff's pages (set-up, review, phases, codes, paper ballots, figures)."""

from django.urls import path

from . import staff

edition = "<int:pk>/"
project = "<int:edition>/projects/<int:pk>/"

urlpatterns = [
    path("new/", staff.EditionCreateView.as_view(), name="edition_create"),
    path(f"{edition}manage/", staff.EditionManageView.as_view(), name="edition_manage"),
    path(f"{edition}edit/", staff.EditionEditView.as_view(), name="edition_edit"),
    path(f"{edition}delete/", staff.EditionDeleteView.as_view(), name="edition_delete"),
    path(f"{edition}history/", staff.EditionHistoryView.as_view(), name="edition_history"),
    path(f"{edition}schedule/", staff.EditionScheduleView.as_view(), name="edition_schedule"),
    path(f"{edition}advance/", staff.EditionAdvanceView.as_view(), name="edition_advance"),
    path(f"{edition}headings/new/", staff.HeadingCreateView.as_view(), name="heading_create"),
    path("headings/<int:pk>/edit/", staff.HeadingEditView.as_view(), name="heading_edit"),
    path("headings/<int:pk>/delete/", staff.HeadingDeleteView.as_view(), name="heading_delete"),
    path(f"{edition}projects/new/", staff.ProjectCreateView.as_view(), name="project_create"),
    path(f"{project}edit/", staff.ProjectEditView.as_view(), name="project_edit"),
    path(f"{project}review/", staff.ProjectReviewView.as_view(), name="project_review"),
    path(f"{project}delete/", staff.ProjectDeleteView.as_view(), name="project_delete"),
    path(f"{project}history/", staff.ProjectHistoryView.as_view(), name="project_history"),
    path(f"{edition}codes/", staff.CodesView.as_view(), name="codes"),
    path(f"{edition}paper/", staff.PaperBallotView.as_view(), name="paper_ballot"),
    path(f"{edition}participation/", staff.ParticipationView.as_view(), name="participation"),
    path("residents/<slug:city>/", staff.ResidentsView.as_view(), name="residents"),
    path(
        "residents/<slug:city>/<int:pk>/remove/",
        staff.ResidentRemoveView.as_view(),
        name="resident_remove",
    ),
]
