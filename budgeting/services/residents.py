"""Verified residents: accounts a city vouches for, who may vote without a code."""

from config.services import audited_create, audited_delete

from ..models import ResidentVerification


def resident_verify(*, city, user, zone=None, actor) -> ResidentVerification:
    """Record that ``user`` is a resident of ``city`` (of ``zone``)."""
    return audited_create(ResidentVerification, city=city, user=user, zone=zone, actor=actor)


def resident_remove(*, verification: ResidentVerification, actor) -> None:
    audited_delete(verification, actor=actor)
