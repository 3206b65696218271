"""Participatory budgets as integrators read and write them, and the ballots voters cast.

Cities and zones are named by their slugs, editions, headings and projects by their ids.
Money is a decimal string in the edition's currency. Nothing here ever puts a ballot next to a
voter: a ballot goes in with a code (or an account) and comes back as a receipt only.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from cities.models import City, Zone
from config.api import CreateOnlyFieldsMixin

from ..choices import Channel, Completion, Phase, ProjectStatus
from ..models import BallotLogEntry, BudgetEdition, Heading, Milestone, Project, ProjectUpdate
from ..selectors import LOG_FIELDS
from ..templatetags.budgeting_delivery import MILESTONE_STATES, city_today, milestone_state


def _user(field):
    """The requesting user (anonymous when the serializer has no request)."""
    request = field.context.get("request")
    return getattr(request, "user", None) or AnonymousUser()


class VisibleEditionField(serializers.PrimaryKeyRelatedField):
    """An edition the requesting user may see: any other id is "does not exist"."""

    def get_queryset(self):
        return BudgetEdition.objects.visible_to(_user(self)).select_related("city")


class VisibleHeadingField(serializers.PrimaryKeyRelatedField):
    """A heading of an edition the requesting user may see."""

    def get_queryset(self):
        return Heading.objects.visible_to(_user(self))


class ZoneSlugField(serializers.SlugField):
    """A zone of the edition's city, by slug; null for city-wide."""

    def to_representation(self, zone):
        return zone.slug


class _ZonedMixin:
    """Resolve the ``zone`` slug within the edition's city (slugs are unique per city)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        slug = attrs.get("zone")
        if slug is None:
            return attrs
        edition = attrs.get("edition") or self.instance.edition
        zone = Zone.objects.filter(city_id=edition.city_id, slug=slug).first()
        if zone is None:
            raise serializers.ValidationError(
                {
                    "zone": _("%(city)s has no zone “%(slug)s”.")
                    % {"city": edition.city, "slug": slug}
                }
            )
        attrs["zone"] = zone
        return attrs


# --- Editions -----------------------------------------------------------------------------


class PhaseDateSerializer(serializers.Serializer):
    """When a phase starts; it ends when the next scheduled phase starts."""

    phase = serializers.ChoiceField(choices=Phase.choices)
    starts_at = serializers.DateTimeField()

    def validate_phase(self, phase):
        if phase == Phase.DRAFT:
            raise serializers.ValidationError(_("The draft is not scheduled: it comes first."))
        return phase


class EditionLinksSerializer(serializers.Serializer):
    """Where to find an edition's pages, files and endpoints."""

    page = serializers.URLField(help_text=_("The edition's public page."))
    vote = serializers.URLField(help_text=_("The page where citizens vote."))
    log_json = serializers.URLField(help_text=_("The public ballot log, for verify.py."))
    ballots_json = serializers.URLField(help_text=_("The anonymised ballots, for verify.py."))
    projects = serializers.URLField()
    headings = serializers.URLField()
    ballots = serializers.URLField(help_text=_("POST a ballot here."))
    replace = serializers.URLField(help_text=_("POST a replacement ballot here."))
    log = serializers.URLField()
    participation = serializers.URLField()
    advance = serializers.URLField()
    results = serializers.URLField(help_text=_("The published results (404 until then)."))
    ballots_anonymised = serializers.URLField(
        help_text=_("The anonymised ballots, once the results are published (404 until then).")
    )
    delivery = serializers.URLField(
        help_text=_("The funded projects and their delivery, once the results are published.")
    )


class EditionSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:edition-detail")
    city = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=City.objects.all(),
        help_text=_("The city that runs the edition (you must be its staff)."),
    )
    schedule = PhaseDateSerializer(
        many=True,
        required=False,
        help_text=_(
            "When each phase starts. Writing it replaces the whole schedule; phases left out "
            "have no date. Dates up to voting are fixed once voting has opened."
        ),
    )
    urls = serializers.SerializerMethodField()

    class Meta:
        model = BudgetEdition
        fields = [
            "id",
            "url",
            "city",
            "title",
            "year",
            "description",
            "total_amount",
            "currency",
            "phase",
            "auto_advance",
            "method",
            "max_choices",
            "points",
            "counting_rule",
            "completion",
            "by_zone",
            "account_voting",
            "schedule",
            "log_length",
            "log_head",
            "urls",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["phase", "log_length", "log_head", "created_at", "updated_at"]
        extra_kwargs = {
            "currency": {"required": False, "help_text": _("Defaults to the city's currency.")},
            "phase": {"help_text": _("Moved forward with the advance endpoint.")},
        }
        create_only_fields = ["city"]

    def validate_schedule(self, rows):
        phases = [row["phase"] for row in rows]
        if len(phases) != len(set(phases)):
            raise serializers.ValidationError(_("Give each phase one date at most."))
        return rows

    @extend_schema_field(EditionLinksSerializer)
    def get_urls(self, edition) -> dict:
        request = self.context.get("request")

        def api(name):
            return reverse(f"api:{name}", kwargs={"edition_pk": edition.pk}, request=request)

        def page(name, **kwargs):
            return reverse(f"budgeting:{name}", kwargs=kwargs, request=request)

        return {
            "page": page("edition_detail", pk=edition.pk),
            "vote": page("vote", edition=edition.pk),
            "log_json": page("ballot_log_json", edition=edition.pk),
            "ballots_json": page("ballots_json", edition=edition.pk),
            "projects": api("edition-projects"),
            "headings": api("edition-headings"),
            "ballots": api("edition-ballots"),
            "replace": api("edition-ballots-replace"),
            "log": api("edition-log"),
            "participation": api("edition-participation"),
            "advance": reverse("api:edition-advance", args=[edition.pk], request=request),
            "results": api("edition-results"),
            "ballots_anonymised": api("edition-ballots-anonymised"),
            "delivery": api("edition-delivery"),
        }


class EditionAdvanceSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(
        choices=Phase.choices,
        required=False,
        help_text=_("The phase to move to; by default the next scheduled one, else the next."),
    )


# --- Headings and projects ----------------------------------------------------------------


class HeadingSerializer(_ZonedMixin, CreateOnlyFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:heading-detail")
    edition = VisibleEditionField(queryset=BudgetEdition.objects.all())
    zone = ZoneSlugField(
        required=False, allow_null=True, help_text=_("A zone's slug; null for city-wide.")
    )

    class Meta:
        model = Heading
        fields = ["id", "url", "edition", "name", "description", "amount", "zone", "opened"]
        read_only_fields = ["opened"]
        create_only_fields = ["edition"]
        validators = []  # names unique per edition and zone: the service says so as field errors


def results_published(project: Project) -> bool:
    """Whether the project's edition has published results (annotated by the API's querysets
    as ``results_published``; asked of the database otherwise)."""
    published = getattr(project, "results_published", None)
    if published is None:
        published = project.edition.counts.filter(published_at__isnull=False).exists()
    return published


class ProjectSerializer(_ZonedMixin, CreateOnlyFieldsMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:project-detail")
    edition = VisibleEditionField(queryset=BudgetEdition.objects.all())
    heading = VisibleHeadingField(queryset=Heading.objects.all(), required=False, allow_null=True)
    zone = ZoneSlugField(
        required=False, allow_null=True, help_text=_("A zone's slug; null for city-wide.")
    )
    selected = serializers.SerializerMethodField(
        help_text=_(
            "Funded by the published count; null while the results are embargoed. "
            "PATCH the delivery fields at projects/{id}/delivery/."
        )
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "edition",
            "title",
            "description",
            "heading",
            "zone",
            "cost",
            "status",
            "review_explanation",
            "external_id",
            "selected",
            "delivery_status",
            "progress",
            "spent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["delivery_status", "progress", "spent", "created_at", "updated_at"]
        extra_kwargs = {
            "status": {"help_text": _("Set on create; later only by a review.")},
            "review_explanation": {"help_text": _("Set on create; later only by a review.")},
            "progress": {"help_text": _("How much of a funded project is done, in percent.")},
            "spent": {
                "help_text": _("Money spent on a funded project, in the edition's currency.")
            },
        }
        # A review (POST projects/{id}/review/) decides a project's place on the ballot.
        create_only_fields = ["edition", "status", "review_explanation"]
        validators = []

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_selected(self, project) -> bool | None:
        return project.selected if results_published(project) else None


class ProjectDeliverySerializer(serializers.ModelSerializer):
    """Where a funded project stands: any of its status, progress and money spent."""

    class Meta:
        model = Project
        fields = ["delivery_status", "progress", "spent"]
        extra_kwargs = {
            "delivery_status": {"required": False},
            "progress": {"required": False, "help_text": _("From 0 to 100.")},
            "spent": {"required": False, "help_text": _("In the edition's currency.")},
        }


# --- Delivery: milestones and updates -------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    """A dated step in delivering a funded project; ``state`` is on the city's calendar."""

    url = serializers.HyperlinkedIdentityField(view_name="api:milestone-detail")
    state = serializers.SerializerMethodField(
        help_text=_("done once completed, overdue past its due date, else upcoming.")
    )

    class Meta:
        model = Milestone
        fields = ["id", "url", "project", "title", "due_on", "completed_on", "state"]
        read_only_fields = ["project"]

    @extend_schema_field(serializers.ChoiceField(choices=list(MILESTONE_STATES)))
    def get_state(self, milestone) -> str:
        return milestone_state(milestone, city_today(milestone.project.edition.city))


class ProjectUpdateSerializer(serializers.ModelSerializer):
    """A public, dated note on how a funded project is going."""

    class Meta:
        model = ProjectUpdate
        fields = ["id", "project", "published_on", "text"]
        read_only_fields = ["project"]
        extra_kwargs = {"published_on": {"required": False, "help_text": _("Today if left out.")}}


class ProjectReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    review_explanation = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Public: why the project is or is not on the ballot."),
    )
    cost = serializers.DecimalField(max_digits=18, decimal_places=2, required=False)


# --- Ballots ------------------------------------------------------------------------------

_CHOICES_HELP = _(
    "The chosen project ids (heading ids in a heading-choice edition). Not for cumulative voting."
)
_POINTS_HELP = _("Cumulative voting: points given to each project, by project id.")


class BallotSerializer(serializers.Serializer):
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_(
            "The voting code, like ABCD-EFGH-JKMN-PQRS. Verified residents signed in to an "
            "edition that takes account votes leave it out."
        ),
    )
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text=_CHOICES_HELP,
    )
    points = serializers.DictField(
        child=serializers.IntegerField(min_value=1), required=False, help_text=_POINTS_HELP
    )


class BallotReplaceSerializer(serializers.Serializer):
    receipt = serializers.CharField(
        max_length=40, help_text=_("The receipt of the ballot to replace.")
    )
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text=_CHOICES_HELP,
    )
    points = serializers.DictField(
        child=serializers.IntegerField(min_value=1), required=False, help_text=_POINTS_HELP
    )


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField(
        help_text=_(
            "Keep it: it finds your ballot in the public log and lets you replace it while "
            "voting is open. It is shown only once."
        )
    )


class LogEntrySerializer(serializers.ModelSerializer):
    """One entry of the public hash chain: a receipt's fingerprint, never a voter."""

    class Meta:
        model = BallotLogEntry
        fields = list(LOG_FIELDS)
        read_only_fields = fields


class ChannelFigureSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    label = serializers.CharField()
    voters = serializers.IntegerField()


class ZoneFigureSerializer(serializers.Serializer):
    zone_name = serializers.CharField(
        allow_null=True, help_text=_("Null for voters of no particular zone.")
    )
    voters = serializers.IntegerField()


class ParticipationFiguresSerializer(serializers.Serializer):
    """Turnout: how many voted, by channel and by zone. Never who, never what."""

    total = serializers.IntegerField()
    by_channel = ChannelFigureSerializer(many=True)
    by_zone = ZoneFigureSerializer(many=True)


# --- Results --------------------------------------------------------------------------------


class ResultUnitSerializer(serializers.Serializer):
    """One budget counted on its own: a zone's, the city-wide one, or the whole edition's."""

    label = serializers.CharField()
    budget = serializers.DecimalField(max_digits=18, decimal_places=2)
    cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    selected = serializers.ListField(child=serializers.IntegerField())
    voters = serializers.IntegerField()


class RuleResultSerializer(serializers.Serializer):
    """The outcome of counting with one rule; the official one is the edition's rule."""

    # The edition's ``counting_rule`` vocabulary; a plain string here, so the schema keeps one
    # name (CountingRuleEnum) for that choice set.
    rule = serializers.CharField(help_text=_("The counting rule: `greedy` or `equal-shares`."))
    completion = serializers.ChoiceField(choices=Completion.choices)
    official = serializers.BooleanField()
    tie_break = serializers.ListField(
        child=serializers.CharField(), help_text=_("How ties were broken, criterion by criterion.")
    )
    engine_version = serializers.CharField()
    budget = serializers.DecimalField(max_digits=18, decimal_places=2)
    cost = serializers.DecimalField(
        max_digits=18, decimal_places=2, help_text=_("The cost of what was funded.")
    )
    selected = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("The funded project ids (heading ids in a heading-choice edition), in order."),
    )
    voters = serializers.IntegerField()
    satisfied = serializers.IntegerField(
        help_text=_("Voters who supported at least one of the funded options.")
    )
    satisfied_share = serializers.FloatField()
    units = ResultUnitSerializer(many=True)


class SupportSerializer(serializers.Serializer):
    """The votes (or points) one option received, and whether the official count funded it."""

    id = serializers.IntegerField(help_text=_("A project's id (a heading's in heading choice)."))
    external_id = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    support = serializers.IntegerField()
    funded = serializers.BooleanField()


class EditionResultsSerializer(serializers.Serializer):
    """A finished count of an edition: the public results once published."""

    edition = serializers.IntegerField()
    count = serializers.IntegerField(help_text=_("The count's id."))
    published = serializers.BooleanField(
        help_text=_("False only in the staff's preview of embargoed results.")
    )
    published_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    log_length = serializers.IntegerField(help_text=_("The ballot log entries counted."))
    log_head = serializers.CharField(help_text=_("The ballot log head counted."))
    stale = serializers.BooleanField(
        help_text=_("The ballot log changed after this count: it no longer matches the ballots.")
    )
    currency = serializers.CharField()
    options = serializers.ChoiceField(
        choices=[("projects", "projects"), ("headings", "headings")],
        help_text=_("What voters chose between: projects, or headings in a heading choice."),
    )
    results = RuleResultSerializer(many=True)
    support = SupportSerializer(many=True, help_text=_("Most supported first."))


class AnonymisedBallotSerializer(serializers.Serializer):
    fingerprint = serializers.CharField(help_text=_("The SHA-256 of the voter's receipt."))
    salt = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    zone = serializers.IntegerField(allow_null=True)
    choices = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Points by project id (heading id in a heading choice); 1 for approval."),
    )


class AnonymisedBallotsSerializer(serializers.Serializer):
    """The current ballots, sorted by fingerprint (a random order), without any voter."""

    edition = serializers.IntegerField()
    method = serializers.CharField()
    ballots = AnonymisedBallotSerializer(many=True)
