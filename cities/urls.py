from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("", views.CityListView.as_view(), name="city_list"),
    # Before <slug>/: a city cannot be called "cohort".
    path("cohort/", views.CohortView.as_view(), name="cohort"),
    path("<slug:slug>/", views.CityDetailView.as_view(), name="city_detail"),
    path("<slug:slug>/edit/", views.CityEditView.as_view(), name="city_edit"),
    path("<slug:slug>/manage/", views.CityManageView.as_view(), name="city_manage"),
    path("<slug:city>/zones/add/", views.ZoneCreateView.as_view(), name="zone_add"),
    path("<slug:city>/zones/<int:pk>/edit/", views.ZoneEditView.as_view(), name="zone_edit"),
    path("<slug:city>/zones/<int:pk>/delete/", views.ZoneDeleteView.as_view(), name="zone_delete"),
    path(
        "<slug:city>/departments/add/",
        views.DepartmentCreateView.as_view(),
        name="department_add",
    ),
    path(
        "<slug:city>/departments/<int:pk>/edit/",
        views.DepartmentEditView.as_view(),
        name="department_edit",
    ),
    path(
        "<slug:city>/departments/<int:pk>/delete/",
        views.DepartmentDeleteView.as_view(),
        name="department_delete",
    ),
    path(
        "<slug:city>/fiscal-years/add/",
        views.FiscalYearCreateView.as_view(),
        name="fiscalyear_add",
    ),
    path(
        "<slug:city>/fiscal-years/<int:pk>/edit/",
        views.FiscalYearEditView.as_view(),
        name="fiscalyear_edit",
    ),
    path(
        "<slug:city>/fiscal-years/<int:pk>/delete/",
        views.FiscalYearDeleteView.as_view(),
        name="fiscalyear_delete",
    ),
]
