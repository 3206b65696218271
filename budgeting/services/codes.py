"""Voting codes: generated in batches, handed over once, kept only as keyed hashes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..choices import Phase, phase_index
from ..codes import code_hash, new_code
from ..models import BudgetEdition, CodeBatch, VotingCode

MAX_BATCH = 20_000


@transaction.atomic
def voting_codes_generate(
    *, edition: BudgetEdition, count: int, zone=None, label: str = "", actor=None
) -> list[str]:
    """Create ``count`` single-use codes; returns them in plain text, the only time they exist.

    The caller hands them over (a CSV or a printable sheet) and forgets them.
    """
    errors = {}
    if not 1 <= count <= MAX_BATCH:
        errors["count"] = _("Generate between 1 and %(max)s codes at a time.") % {"max": MAX_BATCH}
    if zone is not None and zone.city_id != edition.city_id:
        errors["zone"] = _("The zone must be in the edition's city.")
    if phase_index(edition.phase) > phase_index(Phase.VOTING):
        errors["count"] = _("Voting has closed: no more codes can be generated.")
    if errors:
        raise ValidationError(errors)
    batch = CodeBatch.objects.create(
        edition=edition, zone=zone, label=label, size=count, created_by=actor
    )
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = new_code()
        digest = code_hash(edition.pk, code.replace("-", ""))
        if digest not in hashes:
            hashes.add(digest)
            codes.append(code)
    VotingCode.objects.bulk_create(
        [VotingCode(edition=edition, batch=batch, zone=zone, code_hash=h) for h in hashes],
        batch_size=2000,
    )
    return codes
