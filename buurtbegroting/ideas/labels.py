"""Translatable labels and messages for ideas (statuses, destinations, submission problems)."""

from flask_babel import lazy_gettext as _l

from buurtbegroting.models import Destination, IdeaStatus

STATUS_LABELS = {
    IdeaStatus.DRAFT: _l("Draft"),
    IdeaStatus.SUBMITTED: _l("Submitted"),
    IdeaStatus.IN_REVIEW: _l("Being checked"),
    IdeaStatus.CHANGES_REQUESTED: _l("Changes asked"),
    IdeaStatus.ACCEPTED: _l("Accepted"),
    IdeaStatus.REJECTED: _l("Rejected"),
    IdeaStatus.WITHDRAWN: _l("Withdrawn"),
    IdeaStatus.FUNDED: _l("Funded"),
    IdeaStatus.NOT_FUNDED: _l("Not funded"),
    IdeaStatus.IN_PROGRESS: _l("In progress"),
    IdeaStatus.COMPLETED: _l("Completed"),
    IdeaStatus.ACCOUNTED: _l("Accounted for"),
}

DESTINATION_LABELS = {
    Destination.BUDGET_ROUND: _l("Vote on the neighbourhood budget"),
    Destination.CHEQUES: _l("Collecting cheques"),
}

WARNING_LABELS = {
    "food_drink": _l("Food and drink"),
    "already_made": _l("Costs already made"),
    "venue_rent": _l("Venue rent above € 100"),
}
