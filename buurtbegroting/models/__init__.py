"""All models, imported here so that Alembic and the app see every table."""

from buurtbegroting.models.areas import Area, AreaLevel, Postcode
from buurtbegroting.models.audit import AuditEntry
from buurtbegroting.models.mail import OutboxMessage
from buurtbegroting.models.plans import AreaPlan, Indicator, PlanStatus, Spearhead
from buurtbegroting.models.types import utcnow
from buurtbegroting.models.users import Role, User, coordinator_areas

__all__ = [
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
