"""Pages for partners, partnerships, contributions, risks and lessons.

Lists start from ``visible_to(user)`` and filter with the FilterSets the API uses; changes go
through services.py; permissions are the rules in rules.py (see config/generic.py for the
404/403/login answers every page shares).
"""

from .contributions import (  # noqa: F401
    ContributionCreateView,
    ContributionDeleteView,
    ContributionEditView,
    ContributionListView,
    ContributionReceiveView,
)
from .lessons import (  # noqa: F401
    LessonCreateView,
    LessonDeleteView,
    LessonDetailView,
    LessonEditView,
    LessonHistoryView,
    LessonListView,
)
from .outcomes import (  # noqa: F401
    MeasurementCreateView,
    MeasurementDeleteView,
    MeasurementEditView,
    OutcomeContractCreateView,
    OutcomeContractEditView,
)
from .partners import (  # noqa: F401
    PartnerCreateView,
    PartnerDetailView,
    PartnerEditView,
    PartnerHistoryView,
    PartnerListView,
)
from .partnership import (  # noqa: F401
    ParticipationCreateView,
    ParticipationDeleteView,
    ParticipationEditView,
    PartnershipCreateView,
    PartnershipDeleteView,
    PartnershipDetailView,
    PartnershipEditView,
    PartnershipHistoryView,
    PartnershipListView,
)
from .risks import (  # noqa: F401
    RiskCreateView,
    RiskDeleteView,
    RiskDetailView,
    RiskEditView,
    RiskHistoryView,
    RiskListView,
)
