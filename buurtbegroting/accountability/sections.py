"""The accountability section of a funded idea's page, prepared by the view (templates never query)."""

from __future__ import annotations

from datetime import date

from buurtbegroting.accountability import queries, services
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.models import Funding, Idea, ReportStatus
from buurtbegroting.permissions import can_manage_funding, is_idea_owner


class Section:
    """What the accountability section of an idea page needs, loaded once."""

    def __init__(self, funding: Funding, user, today: date | None = None):
        self.funding = funding
        self.today = today or today_nl()
        self.spent_cents = services.spent_cents(funding)
        self.spent_percent = queries.percent(self.spent_cents, funding.amount_cents)
        self.milestones_total = len(funding.milestones)
        self.milestones_done = sum(1 for m in funding.milestones if m.done_on is not None)
        self.milestones_percent = queries.percent(self.milestones_done, self.milestones_total)
        self.is_overdue = services.is_overdue(funding, self.today)
        self.report_public = funding.report is not None and funding.status == ReportStatus.APPROVED
        # Imported macros do not see the template's context, so the section carries these.
        self.is_owner = is_idea_owner(user, funding.idea)
        self.can_manage = can_manage_funding(user, funding)
        self.private = self.is_owner or self.can_manage


def idea_section(idea: Idea, user) -> Section | None:
    """Return the accountability of a funded idea for its page, or None when it was not funded."""
    funding = queries.load_funding(idea)
    return Section(funding, user) if funding is not None else None
