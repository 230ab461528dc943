"""All models, imported here so that Alembic and the app see every table."""

from buurtbegroting.models.areas import Area, AreaLevel, Postcode
from buurtbegroting.models.audit import AuditEntry
from buurtbegroting.models.groups import (
    Advice,
    AdvicePosition,
    GroupMembership,
    MemberRole,
    ThematicGroup,
)
from buurtbegroting.models.ideas import (
    CostLine,
    Destination,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    Support,
    idea_spearheads,
)
from buurtbegroting.models.mail import OutboxMessage
from buurtbegroting.models.plans import AreaPlan, Indicator, PlanStatus, Spearhead
from buurtbegroting.models.types import utcnow
from buurtbegroting.models.users import Role, User, coordinator_areas

__all__ = [
    "Advice",
    "AdvicePosition",
    "CostLine",
    "Destination",
    "GroupMembership",
    "Idea",
    "IdeaPhoto",
    "IdeaStatus",
    "IdeaStatusChange",
    "MemberRole",
    "Support",
    "ThematicGroup",
    "idea_spearheads",
    "Area",
    "AreaLevel",
    "AreaPlan",
    "AuditEntry",
    "Indicator",
    "OutboxMessage",
    "PlanStatus",
    "Postcode",
    "Role",
    "Spearhead",
    "User",
    "coordinator_areas",
    "utcnow",
]
