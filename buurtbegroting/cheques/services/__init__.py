"""Cheque services: campaigns and codes, redeeming, organisers, outcomes and statistics.

Services flush and leave the commit to the caller (a view or a command), except where
a docstring says otherwise. The public names of every module are importable from here.

Redeeming is atomic on SQLite and PostgreSQL through conditional UPDATEs in one
transaction: a cheque only goes from "issued" to "used" once, and an initiative's
collected amount only grows while it is below the target. All valid codes of one
submission are applied in that one transaction (so a submission never half-applies);
codes refused for a reason are reported one by one and left untouched.
"""

from buurtbegroting.cheques.services.campaigns import (  # noqa: F401
    address_counts,
    campaigns,
    create_campaign,
    generate_cheques,
    open_slots,
    scope_choices,
    status_counts,
    status_counts_of,
    void_unused,
)
from buurtbegroting.cheques.services.choosing import (  # noqa: F401
    Progress,
    cheque_count,
    collecting_ideas,
    progress,
    progress_of,
)
from buurtbegroting.cheques.services.common import (  # noqa: F401
    AUTHOR_MARK,
    CHEQUE_PURPOSE,
    FUNDED_STATUSES,
    INSERT_CHUNK,
    SETUP_STATUSES,
    ChequeRefused,
    cheque_hash,
    max_target_cents,
)
from buurtbegroting.cheques.services.organisers import (  # noqa: F401
    acceptance_problems,
    author_row,
    check_acceptance,
    confirm,
    invite,
    organiser_addresses,
    organiser_for_token,
    organisers,
    remove_organiser,
    save_setup,
)
from buurtbegroting.cheques.services.outcomes import (  # noqa: F401
    CloseSummary,
    close_expired,
    extend_target_date,
    initiatives_for,
    mark_not_reached,
)
from buurtbegroting.cheques.services.redeeming import (  # noqa: F401
    CodeResult,
    RedeemOutcome,
    check_codes,
    failures_allowed,
    fund,
    idea_facts,
    record_failure,
    redeem,
    redeem_and_commit,
)
from buurtbegroting.cheques.services.statistics import (  # noqa: F401
    AreaRow,
    IdeaRow,
    Stats,
    campaign_stats,
    default_dates,
)
