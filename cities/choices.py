from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeStatus(models.TextChoices):
    """Where a city stands in a programme such as Juntos."""

    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    CANDIDATE = "candidate", _("Candidate")
    MEMBER = "member", _("Member")
    ALUMNUS = "alumnus", _("Former member")
