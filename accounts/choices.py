from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does on the platform. City staff and sponsors are scoped to an object."""

    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    CITY_STAFF = "city_staff", _("City staff")
    SPONSOR = "sponsor", _("Sponsor")
    CITIZEN = "citizen", _("Citizen")
    INTEGRATOR = "integrator", _("Integrator")
