"""URLs of delivery: the staff's page of a funded project, and everyone's list per edition."""

from django.urls import path

from .delivery import (
    DeliveryListView,
    MilestoneAddView,
    MilestoneDeleteView,
    MilestoneEditView,
    ProjectDeliveryView,
    UpdatePostView,
)

delivery = "<int:edition>/projects/<int:pk>/delivery/"

urlpatterns = [
    path("<int:pk>/delivery/", DeliveryListView.as_view(), name="delivery"),
    path(delivery, ProjectDeliveryView.as_view(), name="project_delivery"),
    path(f"{delivery}milestones/new/", MilestoneAddView.as_view(), name="milestone_add"),
    path(
        f"{delivery}milestones/<int:milestone>/edit/",
        MilestoneEditView.as_view(),
        name="milestone_edit",
    ),
    path(
        f"{delivery}milestones/<int:milestone>/delete/",
        MilestoneDeleteView.as_view(),
        name="milestone_delete",
    ),
    path(f"{delivery}updates/new/", UpdatePostView.as_view(), name="update_post"),
]
