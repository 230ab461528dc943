"""Labels of round phases and the plain-language reason behind every idea's result."""

from __future__ import annotations

from flask_babel import _, format_currency
from flask_babel import lazy_gettext as _l

from buurtbegroting.domain.rounds import Phase

PHASE_LABELS = {
    Phase.UPCOMING: _l("Not started yet"),
    Phase.SUBMISSION: _l("Ideas can be submitted"),
    Phase.REVIEW: _l("The municipality checks the ideas"),
    Phase.VOTING: _l("Voting is open"),
    Phase.COUNTING: _l("Voting has closed; the results follow soon"),
    Phase.CLOSED: _l("Closed"),
    Phase.PUBLISHED: _l("Results published"),
}

#: Reasons whose explanation needs no numbers.
PLAIN_REASONS = {
    "below_threshold": _l("Not chosen: too few voters chose it to reach the minimum."),
    "not_reached": _l("Not chosen: counting stopped before its turn."),
    "no_supporters": _l("Not chosen: nobody voted for it."),
    "withdrawn": _l("Withdrawn."),
}


def score_number(value) -> float:
    """Read a score as a number; exact scores come as fractions ("7/3")."""
    if isinstance(value, str) and "/" in value:
        top, bottom = value.split("/", 1)
        return int(top) / int(bottom)
    return float(value or 0)


def reason_text(row) -> str:
    """Explain in plain language why an idea was or was not chosen."""
    d = row["details"]

    def euros(key):
        return format_currency(score_number(d.get(key, 0)), "EUR")

    reason = row["reason"]
    if reason == "selected":
        if row.get("phase") == "completion":
            return _(
                "Chosen as number %(n)s: after the equal shares, it still fitted in the budget that was left.",
                n=row["step"],
            )
        if d.get("payment_per_supporter") is not None:
            return _(
                "Chosen as number %(n)s: its supporters could pay for it together.", n=row["step"]
            )
        return _("Chosen as number %(n)s.", n=row["step"])
    if reason == "did_not_fit":
        return _(
            "Not chosen: it costs %(cost)s, but only %(left)s was left when its turn came.",
            cost=euros("cost"),
            left=euros("remaining_budget"),
        )
    if reason == "mes_unaffordable":
        return _(
            "Not chosen: its supporters could still pay %(could)s of its cost of %(cost)s, and it did not fit afterwards either.",
            could=euros("supporters_budget"),
            cost=euros("cost"),
        )
    if reason in PLAIN_REASONS:
        return str(PLAIN_REASONS[reason])
    return reason
