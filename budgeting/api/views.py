"""The participatory budgets API: editions, headings and projects, ballots, the public log.

Staff write through the same services and rules as the pages. Voters cast ballots with a
voting code, which is their credential: the ballot endpoints take anonymous JSON clients (no
session, so no CSRF token to send), while a browser session still needs its CSRF token.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import ServiceViewSetMixin

from .. import services
from ..choices import Channel, CountStatus
from ..filtersets import EditionFilterSet
from ..models import (
    BallotLogEntry,
    BudgetEdition,
    Count,
    Heading,
    Milestone,
    Project,
    ProjectUpdate,
)
from ..selectors import anonymised_ballots_export, participation_figures
from ..throttle import TooManyGuesses, client_key
from .filtersets import (
    BallotProjectFilterSet,
    DeliveryFilterSet,
    HeadingFilterSet,
    ProjectFilterSet,
)
from .serializers import (
    AnonymisedBallotsSerializer,
    BallotReplaceSerializer,
    BallotSerializer,
    EditionAdvanceSerializer,
    EditionResultsSerializer,
    EditionSerializer,
    HeadingSerializer,
    LogEntrySerializer,
    MilestoneSerializer,
    ParticipationFiguresSerializer,
    ProjectDeliverySerializer,
    ProjectReviewSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    ReceiptSerializer,
)


def with_publication(projects):
    """Annotate ``results_published`` (their edition has published results) on ``projects``:
    the serializer shows whether a project is funded only then."""
    published = Count.objects.filter(edition=OuterRef("edition_id"), published_at__isnull=False)
    return projects.annotate(results_published=Exists(published))


class CodeAlreadyUsed(exceptions.APIException):
    """The code (or account) has already voted: a conflict with a ballot already cast."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This code has already been used to vote in this edition.")
    default_code = "already_used"


def _schedule_set(edition: BudgetEdition, rows: list[dict], actor) -> None:
    """Replace the edition's phase dates; refusals come back under the ``schedule`` field."""
    dates = {row["phase"]: row["starts_at"] for row in rows}
    try:
        services.edition_schedule_set(edition=edition, dates=dates, actor=actor)
    except DjangoValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        raise exceptions.ValidationError({"schedule": errors}) from exc


class EditionViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Participatory budget editions: public once out of draft; the city's staff run them."""

    serializer_class = EditionSerializer
    filterset_class = EditionFilterSet
    parent_field = "city"  # budgeting.add_budgetedition is asked against the city
    service_object_name = "edition"
    create_service = services.edition_create
    update_service = services.edition_update
    delete_service = services.edition_delete

    def get_queryset(self):
        return (
            BudgetEdition.objects.visible_to(self.request.user)
            .select_related("city")
            .prefetch_related("schedule")
        )

    def perform_create(self, serializer):
        schedule = serializer.validated_data.pop("schedule", None)
        super().perform_create(serializer)
        if schedule is not None:
            _schedule_set(serializer.instance, schedule, self.request.user)
            serializer.instance = self.read_back(serializer.instance)

    def perform_update(self, serializer):
        schedule = serializer.validated_data.pop("schedule", None)
        super().perform_update(serializer)
        if schedule is not None:
            _schedule_set(serializer.instance, schedule, self.request.user)
            serializer.instance = self.read_back(serializer.instance)

    @extend_schema(request=EditionAdvanceSerializer, responses=EditionSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def advance(self, request, pk=None):
        """Move the edition to its next phase (or to `phase`); never backwards.

        Opening voting freezes the rules and the ballot, so it needs something to vote on.
        """
        edition = self.get_object()
        if not request.user.has_perm("budgeting.advance_budgetedition", edition):
            raise exceptions.PermissionDenied()
        form = EditionAdvanceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        edition = services.edition_advance(
            edition=edition, actor=request.user, to=form.validated_data.get("phase")
        )
        return Response(self.get_serializer(self.read_back(edition)).data)


class HeadingViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Budget headings: public with their edition; its city's staff set them up before voting."""

    serializer_class = HeadingSerializer
    filterset_class = HeadingFilterSet
    parent_field = "edition"  # budgeting.add_heading is asked against the edition
    create_service = services.heading_create
    update_service = services.heading_update
    delete_service = services.heading_delete

    def get_queryset(self):
        return Heading.objects.visible_to(self.request.user).select_related("zone", "edition__city")


class ProjectViewSet(ServiceViewSetMixin, viewsets.ModelViewSet):
    """Projects of editions: public with their edition, reviewed and put on the ballot by the
    city's staff. Anyone signed in proposes one during the proposal phase."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    parent_field = "edition"  # budgeting.add_project is asked against the edition
    create_service = services.project_create
    update_service = services.project_update
    delete_service = services.project_delete

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user).select_related(
            "zone", "edition__city"
        )
        return with_publication(projects)

    def perform_create(self, serializer):
        user, edition = self.request.user, serializer.validated_data["edition"]
        if user.has_perm("budgeting.add_project", edition):
            super().perform_create(serializer)
        elif user.has_perm("budgeting.propose_project", edition):
            # A citizen's proposal: submitted, awaiting review, whatever the payload says.
            fields = {k: v for k, v in serializer.validated_data.items() if k != "edition"}
            project = services.project_propose(edition=edition, actor=user, **fields)
            serializer.instance = self.read_back(project)
        else:
            raise exceptions.PermissionDenied(
                _("You may not add projects to %(edition)s now.") % {"edition": edition}
            )

    def perform_update(self, serializer):
        project = serializer.instance
        if not self.request.user.has_perm("budgeting.change_budgetedition", project.edition):
            # The proposer edits what they proposed; the import id is the staff's.
            serializer.validated_data.pop("external_id", None)
        super().perform_update(serializer)

    @extend_schema(request=ProjectReviewSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        """Decide whether the project goes on the ballot, with a public explanation."""
        project = self.get_object()
        if not request.user.has_perm("budgeting.review_project", project):
            raise exceptions.PermissionDenied(_("Projects are reviewed before voting opens."))
        form = ProjectReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        project = services.project_review(
            project=project, data=form.validated_data, actor=request.user
        )
        return Response(self.get_serializer(self.read_back(project)).data)

    @extend_schema(
        request=ProjectDeliverySerializer,
        responses={
            200: ProjectSerializer,
            400: OpenApiResponse(
                description=_("Invalid status, progress or amount: field errors.")
            ),
            403: OpenApiResponse(
                description=_(
                    "Not the city's staff, not a funded project, or the edition is not in its "
                    "results or delivery phase."
                )
            ),
        },
    )
    @action(detail=True, methods=["patch"], filter_backends=[])
    def delivery(self, request, pk=None):
        """Record where a funded project stands: its delivery status, progress and spending.

        Send any of the three; the others keep their values.
        """
        project = self.get_object()
        if not request.user.has_perm("budgeting.change_delivery", project):
            raise exceptions.PermissionDenied(
                _("The delivery of funded projects is recorded by the city's staff.")
            )
        form = ProjectDeliverySerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        project = services.project_delivery_update(
            project=project, data=form.validated_data, actor=request.user
        )
        return Response(self.get_serializer(self.read_back(project)).data)


# --- Under an edition ---------------------------------------------------------------------


class _UnderEdition:
    """An endpoint under ``editions/{edition_pk}/``: 404 unless the user may see the edition."""

    filter_backends = []

    def get_edition(self) -> BudgetEdition:
        if getattr(self, "_edition", None) is None:
            self._edition = get_object_or_404(
                BudgetEdition.objects.visible_to(self.request.user).select_related("city"),
                pk=self.kwargs["edition_pk"],
            )
        return self._edition


class EditionProjectListView(_UnderEdition, generics.ListAPIView):
    """The projects on the edition's ballot (``?zone=`` for what a voter of a zone sees)."""

    serializer_class = ProjectSerializer
    filterset_class = BallotProjectFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        projects = Project.objects.filter(edition=self.get_edition()).on_ballot()
        return with_publication(projects.select_related("zone"))


class EditionHeadingListView(_UnderEdition, generics.ListAPIView):
    """The edition's budget headings, city-wide and per zone."""

    serializer_class = HeadingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Heading.objects.none()
        return Heading.objects.filter(edition=self.get_edition()).select_related("zone")


class BallotLogView(_UnderEdition, generics.ListAPIView):
    """The public ballot log, in order: a hash chain of receipt fingerprints.

    The edition's `log_length` and `log_head` say where the chain ends; `verify.py` checks
    the whole log against the anonymised ballots.
    """

    serializer_class = LogEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BallotLogEntry.objects.none()
        return BallotLogEntry.objects.filter(edition=self.get_edition()).order_by("seq")


class ParticipationView(_UnderEdition, generics.GenericAPIView):
    """Turnout in total, by channel and by zone: aggregates only, never a voter.

    The city's staff and sponsors see it while voting runs; everyone once results are out.
    """

    serializer_class = ParticipationFiguresSerializer
    pagination_class = None

    def get(self, request, edition_pk=None):
        edition = self.get_edition()
        if not request.user.has_perm("budgeting.view_participation", edition):
            self.permission_denied(
                request, message=_("Turnout is published with the results."), code="forbidden"
            )
        figures = participation_figures(edition=edition)
        codes = {str(label): value for value, label in Channel.choices}
        body = {
            "total": figures["total"],
            "by_channel": [
                {"channel": codes[str(label)], "label": str(label), "voters": voters}
                for label, voters in figures["by_channel"]
            ],
            "by_zone": [
                {"zone_name": zone, "voters": voters} for zone, voters in figures["by_zone"]
            ],
        }
        return Response(ParticipationFiguresSerializer(body).data)


_BALLOT_ERRORS = {
    400: OpenApiResponse(description=_("Invalid ballot or code: field errors.")),
    403: OpenApiResponse(description=_("Voting is not open in this edition.")),
    404: OpenApiResponse(description=_("No such edition (or not public).")),
    429: OpenApiResponse(description=_("Too many wrong codes: wait Retry-After seconds.")),
}


class _BallotView(_UnderEdition, generics.GenericAPIView):
    # A code or receipt is the credential: anyone may send one (anonymous clients too).
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def open_edition(self, request) -> BudgetEdition:
        """The edition, 404 when hidden, 403 unless it is in its voting phase."""
        edition = self.get_edition()
        if not request.user.has_perm("budgeting.vote", edition):
            raise exceptions.PermissionDenied(
                _("Voting is not open in this edition."), code="voting_closed"
            )
        return edition


def _throttled(exc: TooManyGuesses) -> exceptions.Throttled:
    return exceptions.Throttled(wait=exc.retry_after, detail=str(TooManyGuesses.message))


class BallotCastView(_BallotView):
    serializer_class = BallotSerializer

    @extend_schema(
        request=BallotSerializer,
        responses={
            201: ReceiptSerializer,
            **_BALLOT_ERRORS,
            409: OpenApiResponse(description=_("This code (or account) has already voted.")),
        },
    )
    def post(self, request, edition_pk=None):
        """Cast a ballot with a voting code (or, signed in, as a verified resident).

        `choices` lists project ids (heading ids in a heading-choice edition); cumulative
        voting gives `points` per project id instead. Answers the receipt, shown only once.
        """
        edition = self.open_edition(request)
        form = BallotSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        code = data.get("code") or None
        user = request.user if request.user.is_authenticated and code is None else None
        if code is None and user is None:
            raise exceptions.ValidationError({"code": [_("Enter your voting code.")]})
        try:
            receipt = services.ballot_cast(
                edition=edition,
                code=code,
                user=user,
                choices=data.get("choices"),
                points=data.get("points"),
                channel=Channel.ONLINE,
                client=client_key(request),
            )
        except services.AlreadyVoted as exc:
            if user is not None:
                raise CodeAlreadyUsed(_("Your account has already voted in this edition.")) from exc
            raise CodeAlreadyUsed() from exc
        except TooManyGuesses as exc:
            raise _throttled(exc) from exc
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


class BallotReplaceView(_BallotView):
    serializer_class = BallotReplaceSerializer

    @extend_schema(
        request=BallotReplaceSerializer, responses={201: ReceiptSerializer, **_BALLOT_ERRORS}
    )
    def post(self, request, edition_pk=None):
        """Replace the ballot behind a receipt while voting is open; answers a new receipt.

        The old receipt stops working; the public log records the replacement.
        """
        edition = self.open_edition(request)
        form = BallotReplaceSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            receipt = services.ballot_replace(
                edition=edition,
                receipt=data["receipt"],
                choices=data.get("choices"),
                points=data.get("points"),
                client=client_key(request),
            )
        except TooManyGuesses as exc:
            raise _throttled(exc) from exc
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


# --- Results, anonymised ballots, delivery ----------------------------------------------------


def _tie_break(text: str) -> list[str]:
    return [criterion for criterion in text.split(",") if criterion]


def results_body(edition: BudgetEdition, count: Count) -> dict:
    """What ``count`` of ``edition`` gives, rule by rule, and each option's support.

    Three queries whatever the number of projects: the edition's log head is already loaded,
    then the results and the options voted on.
    """
    count.edition = edition
    results = list(count.results.all())
    official = next((r for r in results if r.official), results[0] if results else None)
    if edition.votes_on_headings:
        rows = edition.headings.order_by("pk").values_list("pk", "name", "amount")
        options = [(pk, "", name, cost) for pk, name, cost in rows]
    else:
        options = list(
            edition.projects.on_ballot()
            .order_by("pk")
            .values_list("pk", "external_id", "title", "cost")
        )
    support = official.support if official else {}
    chosen = set(official.selected) if official else set()
    rows = [
        {
            "id": pk,
            "external_id": external_id,
            "title": title,
            "cost": cost,
            "support": int(support.get(str(pk), 0)),
            "funded": pk in chosen,
        }
        for pk, external_id, title, cost in options
    ]
    rows.sort(key=lambda row: (-row["support"], row["title"], row["id"]))
    return {
        "edition": edition.pk,
        "count": count.pk,
        "published": count.published_at is not None,
        "published_at": count.published_at,
        "finished_at": count.finished_at,
        "log_length": count.log_length,
        "log_head": count.log_head,
        "stale": count.is_stale,
        "currency": edition.currency,
        "options": "headings" if edition.votes_on_headings else "projects",
        "results": [
            {
                "rule": result.rule,
                "completion": result.completion,
                "official": result.official,
                "tie_break": _tie_break(result.tie_break),
                "engine_version": result.engine_version,
                "budget": result.budget,
                "cost": result.cost,
                "selected": list(result.selected),
                "voters": result.voters,
                "satisfied": result.satisfied,
                "satisfied_share": result.satisfied_share,
                "units": result.units,
            }
            for result in results
        ],
        "support": rows,
    }


class EditionResultsView(_UnderEdition, generics.GenericAPIView):
    """The published results: each rule's outcome (the official one first) and each option's
    support, with the ballot log head and length they were counted from.

    Not found until staff publish a count. The city's staff (and platform admins) preview the
    latest finished count before that, marked `"published": false`.
    """

    serializer_class = EditionResultsSerializer
    pagination_class = None

    @extend_schema(
        responses={
            200: EditionResultsSerializer,
            404: OpenApiResponse(description=_("No such edition, or no results published yet.")),
        }
    )
    def get(self, request, edition_pk=None):
        edition = self.get_edition()
        count = services.published_count(edition)
        if count is None and request.user.has_perm("budgeting.view_results", edition):
            count = (
                edition.counts.filter(status=CountStatus.DONE)
                .order_by("-finished_at", "-pk")
                .first()
            )
        if count is None:
            raise exceptions.NotFound(_("The results of this edition are not published yet."))
        return Response(EditionResultsSerializer(results_body(edition, count)).data)


class AnonymisedBallotsView(_UnderEdition, generics.GenericAPIView):
    """The anonymised current ballots, to recount the results with: published with them.

    Sorted by fingerprint (a random order); each is found in the public log by its
    fingerprint, and nothing in it names a voter. Not found until the results are published.
    """

    serializer_class = AnonymisedBallotsSerializer
    pagination_class = None

    @extend_schema(
        responses={
            200: AnonymisedBallotsSerializer,
            404: OpenApiResponse(description=_("No such edition, or no results published yet.")),
        }
    )
    def get(self, request, edition_pk=None):
        edition = self.get_edition()
        if services.published_count(edition) is None:
            raise exceptions.NotFound(_("The anonymised ballots are published with the results."))
        return Response(anonymised_ballots_export(edition=edition))


class EditionDeliveryListView(_UnderEdition, generics.ListAPIView):
    """The edition's funded projects and where each stands (`?status=`, `?zone=`).

    Not found until the results are published: nothing is funded before.
    """

    serializer_class = ProjectSerializer
    filterset_class = DeliveryFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        edition = self.get_edition()
        if services.published_count(edition) is None:
            raise exceptions.NotFound(_("The results of this edition are not published yet."))
        projects = Project.objects.filter(edition=edition, selected=True).select_related("zone")
        return with_publication(projects).order_by("title", "pk")


class _UnderProject(generics.ListCreateAPIView):
    """A list under ``projects/{project_pk}/``: 404 unless the user may see the project;
    adding to it takes ``budgeting.change_delivery`` on the project."""

    filter_backends = []
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_project(self) -> Project:
        if getattr(self, "_project", None) is None:
            self._project = get_object_or_404(
                Project.objects.visible_to(self.request.user).select_related("edition__city"),
                pk=self.kwargs["project_pk"],
            )
        return self._project

    def check_delivery_permission(self) -> Project:
        project = self.get_project()
        if not self.request.user.has_perm("budgeting.change_delivery", project):
            raise exceptions.PermissionDenied(
                _(
                    "Only the city's staff record the delivery of a funded project, once the "
                    "results are published."
                )
            )
        return project


class ProjectMilestoneListView(_UnderProject):
    """A project's milestones by due date; its city's staff add them once it is funded."""

    serializer_class = MilestoneSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Milestone.objects.none()
        project = self.get_project()
        return Milestone.objects.filter(project=project).select_related("project__edition__city")

    def perform_create(self, serializer):
        project = self.check_delivery_permission()
        milestone = services.milestone_create(
            project=project, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=milestone.pk)


class ProjectUpdateListView(_UnderProject):
    """A project's public updates, newest first; its city's staff post them once it is funded."""

    serializer_class = ProjectUpdateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProjectUpdate.objects.none()
        return ProjectUpdate.objects.filter(project=self.get_project()).order_by(
            "-published_on", "-pk"
        )

    def perform_create(self, serializer):
        project = self.check_delivery_permission()
        data = serializer.validated_data
        serializer.instance = services.project_update_post(
            project=project,
            actor=self.request.user,
            text=data["text"],
            published_on=data.get("published_on"),
        )


class MilestoneViewSet(
    ServiceViewSetMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One milestone: public with its project; the city's staff change or remove it while
    they record the project's delivery. Add milestones at projects/{id}/milestones/."""

    serializer_class = MilestoneSerializer
    update_service = services.milestone_update
    delete_service = services.milestone_delete
    filter_backends = []

    def get_queryset(self):
        projects = Project.objects.visible_to(self.request.user)
        return Milestone.objects.filter(project__in=projects).select_related(
            "project__edition__city"
        )
