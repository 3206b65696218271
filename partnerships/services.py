"""Every change to partners, partnerships and what hangs off them: validated, atomic, audited."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cities.models import City
from config.services import audited_create, audited_delete, audited_update

from .models import (
    RESERVED_PARTNERSHIP_SLUGS,
    Contribution,
    Lesson,
    OutcomeContract,
    OutcomeMeasurement,
    Participation,
    Partner,
    Partnership,
    Risk,
    Tag,
)

PARTNER_FIELDS = ("name", "slug", "sector", "kind", "country", "website", "description")
PARTNERSHIP_FIELDS = (
    "name",
    "slug",
    "objective",
    "description",
    "theme",
    "approach",
    "pillar",
    "status",
    "start_date",
    "end_date",
)
PARTICIPATION_FIELDS = ("role", "is_lead", "notes")
CONTRIBUTION_FIELDS = (
    "kind",
    "description",
    "amount",
    "currency",
    "exchange_rate",
    "pledged_on",
    "received_on",
)
RISK_FIELDS = (
    "title",
    "category",
    "description",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "status",
    "next_review",
)
OUTCOME_FIELDS = (
    "indicator",
    "unit",
    "direction",
    "baseline",
    "target",
    "threshold",
    "price_per_unit",
    "cap",
    "currency",
    "outcome_payer",
)
MEASUREMENT_FIELDS = ("measured_on", "value", "source")


def _only(fields: dict, allowed: tuple[str, ...]) -> dict:
    return {name: value for name, value in fields.items() if name in allowed}


def _unique_slug(model, name: str, slug: str | None, reserved=frozenset()) -> str:
    if slug:
        return slug
    base = slugify(name)[:180] or "item"
    candidate, n = base, 2
    while candidate in reserved or model.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- Partners -----------------------------------------------------------------------------


def partner_create(*, actor: User | None, home_city: City | None = None, **fields) -> Partner:
    """Register an organisation; the slug is made from the name when not given."""
    fields = _only(fields, PARTNER_FIELDS)
    fields["slug"] = _unique_slug(Partner, fields.get("name", ""), fields.get("slug"))
    return audited_create(Partner, actor=actor, home_city=home_city, **fields)


def partner_update(*, partner: Partner, data: dict, actor: User | None) -> Partner:
    """Change a partner's details."""
    return audited_update(partner, data=data, fields=PARTNER_FIELDS, actor=actor)


def partner_delete(*, partner: Partner, actor: User | None) -> None:
    """Remove a partner that takes part in nothing."""
    audited_delete(partner, actor=actor)


# --- Partnerships -------------------------------------------------------------------------


def partnership_create(
    *, city: City, actor: User | None, cities_served: Iterable[City] = (), **fields
) -> Partnership:
    """Start recording a partnership run by ``city``."""
    fields = _only(fields, PARTNERSHIP_FIELDS)
    fields["slug"] = _unique_slug(
        Partnership, fields.get("name", ""), fields.get("slug"), RESERVED_PARTNERSHIP_SLUGS
    )
    return audited_create(
        Partnership,
        city=city,
        actor=actor,
        m2m={"cities_served": [c for c in cities_served if c.pk != city.pk]},
        **fields,
    )


def partnership_update(*, partnership: Partnership, data: dict, actor: User | None) -> Partnership:
    """Change a partnership; its city stays the same."""
    if "cities_served" in data:
        data = {
            **data,
            "cities_served": [c for c in data["cities_served"] if c.pk != partnership.city_id],
        }
    return audited_update(
        partnership,
        data=data,
        fields=PARTNERSHIP_FIELDS,
        m2m_fields=("cities_served",),
        actor=actor,
    )


def partnership_delete(*, partnership: Partnership, actor: User | None) -> None:
    """Remove a partnership with its roles, contributions, risks and lessons."""
    audited_delete(partnership, actor=actor)


# --- Who plays which role -----------------------------------------------------------------


def participation_add(
    *, partnership: Partnership, partner: Partner, actor: User | None, **fields
) -> Participation:
    """Give a partner a role in a partnership (one lead partner at most)."""
    return audited_create(
        Participation,
        partnership=partnership,
        partner=partner,
        actor=actor,
        **_only(fields, PARTICIPATION_FIELDS),
    )


def participation_update(
    *, participation: Participation, data: dict, actor: User | None
) -> Participation:
    """Change a partner's role or lead status."""
    return audited_update(participation, data=data, fields=PARTICIPATION_FIELDS, actor=actor)


def participation_remove(*, participation: Participation, actor: User | None) -> None:
    """Take a partner's role away (refused while it has contributions recorded)."""
    # The database cannot see this: contributions point at the partner, not at its role.
    others = Participation.objects.filter(
        partnership_id=participation.partnership_id, partner_id=participation.partner_id
    ).exclude(pk=participation.pk)
    if (
        not others.exists()
        and Contribution.objects.filter(
            partnership_id=participation.partnership_id, partner_id=participation.partner_id
        ).exists()
    ):
        raise ValidationError(
            _("This partner has contributions recorded here; remove those first."),
            code="protected",
        )
    audited_delete(participation, actor=actor)


# --- Contributions ------------------------------------------------------------------------


def contribution_record(
    *, partnership: Partnership, partner: Partner, actor: User | None, **fields
) -> Contribution:
    """Record a pledge of money or in-kind support (with its value in the city's currency)."""
    return audited_create(
        Contribution,
        partnership=partnership,
        partner=partner,
        actor=actor,
        **_only(fields, CONTRIBUTION_FIELDS),
    )


def contribution_update(
    *, contribution: Contribution, data: dict, actor: User | None
) -> Contribution:
    """Correct a contribution."""
    return audited_update(contribution, data=data, fields=CONTRIBUTION_FIELDS, actor=actor)


def contribution_mark_received(
    *, contribution: Contribution, actor: User | None, received_on: date | None = None
) -> Contribution:
    """Record that a pledged contribution arrived (today unless a date is given)."""
    day = received_on or timezone.localdate()
    return audited_update(
        contribution, data={"received_on": day}, fields=("received_on",), actor=actor
    )


def contribution_delete(*, contribution: Contribution, actor: User | None) -> None:
    """Remove a contribution recorded by mistake."""
    audited_delete(contribution, actor=actor)


# --- Risks --------------------------------------------------------------------------------


def risk_create(*, partnership: Partnership, actor: User | None, **fields) -> Risk:
    """Add a risk to a partnership's register."""
    return audited_create(Risk, partnership=partnership, actor=actor, **_only(fields, RISK_FIELDS))


def risk_update(*, risk: Risk, data: dict, actor: User | None) -> Risk:
    """Re-score, mitigate or close a risk."""
    return audited_update(risk, data=data, fields=RISK_FIELDS, actor=actor)


def risk_delete(*, risk: Risk, actor: User | None) -> None:
    """Remove a risk recorded by mistake (close it instead when it passed)."""
    audited_delete(risk, actor=actor)


# --- Lessons ------------------------------------------------------------------------------


def _tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in {n.strip() for n in names if n and n.strip()}:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(name)[:60] or name[:60], defaults={"name": name[:60]}
        )
        tags.append(tag)
    return tags


@transaction.atomic
def lesson_create(
    *, partnership: Partnership, actor: User | None, tags: Iterable[str] = (), **fields
) -> Lesson:
    """Write down a lesson learned, with free tags."""
    return audited_create(
        Lesson,
        partnership=partnership,
        actor=actor,
        m2m={"tags": _tags(tags)},
        **_only(fields, ("title", "text")),
    )


@transaction.atomic
def lesson_update(*, lesson: Lesson, data: dict, actor: User | None) -> Lesson:
    """Change a lesson's text or tags."""
    if "tags" in data:
        data = {**data, "tags": _tags(data["tags"])}
    return audited_update(
        lesson, data=data, fields=("title", "text"), m2m_fields=("tags",), actor=actor
    )


def lesson_delete(*, lesson: Lesson, actor: User | None) -> None:
    """Remove a lesson."""
    audited_delete(lesson, actor=actor)


# --- Outcome contracts (social impact bonds) ----------------------------------------------


def outcome_contract_create(
    *,
    partnership: Partnership,
    actor: User | None,
    investors: Iterable[Partner] = (),
    **fields,
) -> OutcomeContract:
    """Attach a social impact bond to a partnership."""
    return audited_create(
        OutcomeContract,
        partnership=partnership,
        actor=actor,
        m2m={"investors": list(investors)},
        **_only(fields, OUTCOME_FIELDS),
    )


def outcome_contract_update(
    *, outcomecontract: OutcomeContract, data: dict, actor: User | None
) -> OutcomeContract:
    """Change the terms of an outcome contract."""
    return audited_update(
        outcomecontract,
        data=data,
        fields=OUTCOME_FIELDS,
        m2m_fields=("investors",),
        actor=actor,
    )


def measurement_record(
    *, contract: OutcomeContract, actor: User | None, **fields
) -> OutcomeMeasurement:
    """Record a measured value of the contract's indicator (one per date)."""
    return audited_create(
        OutcomeMeasurement, contract=contract, actor=actor, **_only(fields, MEASUREMENT_FIELDS)
    )


def measurement_update(
    *, outcomemeasurement: OutcomeMeasurement, data: dict, actor: User | None
) -> OutcomeMeasurement:
    """Correct a measurement (its contract stays the same)."""
    return audited_update(outcomemeasurement, data=data, fields=MEASUREMENT_FIELDS, actor=actor)


def measurement_delete(*, outcomemeasurement: OutcomeMeasurement, actor: User | None) -> None:
    """Remove a measurement recorded by mistake."""
    audited_delete(outcomemeasurement, actor=actor)
