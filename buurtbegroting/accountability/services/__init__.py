"""Accountability services: funding an idea, what initiators report, what the municipality decides.

Services flush and leave the commit to the caller. The public names of every module are
importable from here.
"""

from buurtbegroting.accountability.services.funding import (  # noqa: F401
    IDEA_MIRROR,
    NOT_POSSIBLE,
    OPEN_STATUSES,
    TRANSITIONS,
    AccountabilityRefused,
    NotFundable,
    fund_idea,
    funding_of,
    initiators,
    is_overdue,
    mark_completed,
    mark_started,
    report_due,
    set_bank_account,
    set_planned_end,
    spent_cents,
)
from buurtbegroting.accountability.services.municipality import (  # noqa: F401
    approve_report,
    record_payout,
    record_return,
    request_changes,
)
from buurtbegroting.accountability.services.reminders import (  # noqa: F401
    DUE_SOON_DAYS,
    due_reminders,
    reminder_stage,
    send_reminder,
)
from buurtbegroting.accountability.services.reporting import (  # noqa: F401
    DUPLICATE_WINDOW,
    add_expense,
    add_milestone,
    add_update,
    delete_expense,
    delete_milestone,
    delete_update,
    mark_milestone_done,
    photo_folder,
    receipt_folder,
    save_report,
)
