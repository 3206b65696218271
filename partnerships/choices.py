"""Vocabulary of partnerships, from the Strong Cities Network briefing and IATI."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    COMMUNITY = "community", _("Community")


class PartnerKind(models.TextChoices):
    # public
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    POLICE = "police", _("Police")
    EDUCATION = "education", _("School or university")
    HEALTH_SERVICE = "health_service", _("Health service")
    # private
    MULTINATIONAL = "multinational", _("Multinational company")
    NATIONAL_COMPANY = "national_company", _("National company")
    LOCAL_BUSINESS = "local_business", _("Small or local business")
    FOUNDATION = "foundation", _("Foundation")
    SPORTS_CLUB = "sports_club", _("Sports club")
    # community
    GRASSROOTS = "grassroots", _("Grassroots initiative")
    VOLUNTEER_GROUP = "volunteer_group", _("Volunteer group")
    YOUTH_GROUP = "youth_group", _("Youth group")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CHARITY = "charity", _("Charity")
    NGO = "ngo", _("Non-governmental organisation")


KINDS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    Sector.PUBLIC: (
        PartnerKind.LOCAL_AUTHORITY,
        PartnerKind.NATIONAL_GOVERNMENT,
        PartnerKind.POLICE,
        PartnerKind.EDUCATION,
        PartnerKind.HEALTH_SERVICE,
    ),
    Sector.PRIVATE: (
        PartnerKind.MULTINATIONAL,
        PartnerKind.NATIONAL_COMPANY,
        PartnerKind.LOCAL_BUSINESS,
        PartnerKind.FOUNDATION,
        PartnerKind.SPORTS_CLUB,
    ),
    Sector.COMMUNITY: (
        PartnerKind.GRASSROOTS,
        PartnerKind.VOLUNTEER_GROUP,
        PartnerKind.YOUTH_GROUP,
        PartnerKind.COMMUNITY_CENTRE,
        PartnerKind.CHARITY,
        PartnerKind.NGO,
    ),
}
SECTOR_OF_KIND = {kind: sector for sector, kinds in KINDS_BY_SECTOR.items() for kind in kinds}


class Theme(models.TextChoices):
    TRUST_BUILDING = "trust_building", _("Trust building")
    ENGAGEMENT = "engagement", _("Engagement")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    EDUCATION = "education", _("Education")
    MESSAGING = "messaging", _("Messaging")


class Approach(models.TextChoices):
    EXPLICIT = "explicit", _("Explicit: tackles the problem directly")
    IMPLICIT = "implicit", _("Implicit: works on root causes")


class Pillar(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    INNOVATION = "innovation", _("Innovation")
    LEADERSHIP = "leadership", _("Strengthening leadership")
    SOCIAL_ENGAGEMENT = "social_engagement", _("Social engagement")


class PartnershipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ParticipationRole(models.TextChoices):
    """IATI organisation roles (codes 1-4), plus the beneficiaries a partnership serves."""

    FUNDING = "funding", _("Funding")
    ACCOUNTABLE = "accountable", _("Accountable")
    EXTENDING = "extending", _("Extending")
    IMPLEMENTING = "implementing", _("Implementing")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    EXPERTISE = "expertise", _("Expertise")
    FACILITIES = "facilities", _("Facilities")
    SERVICES = "services", _("Services")
    VOLUNTEER_TIME = "volunteer_time", _("Volunteer time")


class RiskCategory(models.TextChoices):
    CREDIBILITY = "credibility", _("Credibility")
    CORRUPTION = "corruption", _("Corruption")
    OWNERSHIP = "ownership", _("Ownership")
    BALANCE_OF_INTERESTS = "balance_of_interests", _("Balance of interests")
    FINANCIAL = "financial", _("Financial")
    DELIVERY = "delivery", _("Delivery")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", _("Closed")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")
