from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    # Fixed prefixes first: a partnership slug cannot shadow them.
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/new/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<slug:slug>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path(
        "partners/<slug:slug>/history/",
        views.PartnerHistoryView.as_view(),
        name="partner_history",
    ),
    path("contributions/", views.ContributionListView.as_view(), name="contribution_list"),
    path(
        "contributions/<int:pk>/receive/",
        views.ContributionReceiveView.as_view(),
        name="contribution_receive",
    ),
    path(
        "contributions/<int:pk>/edit/",
        views.ContributionEditView.as_view(),
        name="contribution_edit",
    ),
    path(
        "contributions/<int:pk>/delete/",
        views.ContributionDeleteView.as_view(),
        name="contribution_delete",
    ),
    path(
        "participations/<int:pk>/edit/",
        views.ParticipationEditView.as_view(),
        name="participation_edit",
    ),
    path(
        "participations/<int:pk>/delete/",
        views.ParticipationDeleteView.as_view(),
        name="participation_delete",
    ),
    path("risks/", views.RiskListView.as_view(), name="risk_list"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("risks/<int:pk>/edit/", views.RiskEditView.as_view(), name="risk_edit"),
    path("risks/<int:pk>/delete/", views.RiskDeleteView.as_view(), name="risk_delete"),
    path("risks/<int:pk>/history/", views.RiskHistoryView.as_view(), name="risk_history"),
    path("lessons/", views.LessonListView.as_view(), name="lesson_list"),
    path("lessons/<int:pk>/", views.LessonDetailView.as_view(), name="lesson_detail"),
    path("lessons/<int:pk>/edit/", views.LessonEditView.as_view(), name="lesson_edit"),
    path("lessons/<int:pk>/delete/", views.LessonDeleteView.as_view(), name="lesson_delete"),
    path("lessons/<int:pk>/history/", views.LessonHistoryView.as_view(), name="lesson_history"),
    path("", views.PartnershipListView.as_view(), name="partnership_list"),
    path("new/", views.PartnershipCreateView.as_view(), name="partnership_create"),
    path("<slug:slug>/", views.PartnershipDetailView.as_view(), name="partnership_detail"),
    path("<slug:slug>/edit/", views.PartnershipEditView.as_view(), name="partnership_edit"),
    path("<slug:slug>/delete/", views.PartnershipDeleteView.as_view(), name="partnership_delete"),
    path(
        "<slug:slug>/history/", views.PartnershipHistoryView.as_view(), name="partnership_history"
    ),
    path(
        "<slug:slug>/partners/add/",
        views.ParticipationCreateView.as_view(),
        name="participation_create",
    ),
    path(
        "<slug:slug>/contributions/add/",
        views.ContributionCreateView.as_view(),
        name="contribution_create",
    ),
    path("<slug:slug>/risks/add/", views.RiskCreateView.as_view(), name="risk_create"),
    path("<slug:slug>/lessons/add/", views.LessonCreateView.as_view(), name="lesson_create"),
    path(
        "<slug:slug>/outcome-contract/add/",
        views.OutcomeContractCreateView.as_view(),
        name="outcomecontract_create",
    ),
    path(
        "measurements/<int:pk>/edit/",
        views.MeasurementEditView.as_view(),
        name="outcomemeasurement_edit",
    ),
    path(
        "measurements/<int:pk>/delete/",
        views.MeasurementDeleteView.as_view(),
        name="outcomemeasurement_delete",
    ),
    path(
        "outcome-contracts/<int:pk>/edit/",
        views.OutcomeContractEditView.as_view(),
        name="outcomecontract_edit",
    ),
    path(
        "<slug:slug>/measurements/add/",
        views.MeasurementCreateView.as_view(),
        name="outcomemeasurement_create",
    ),
]
