"""Closing a round as a job: the administrator presses close, a worker counts and publishes."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from buurtbegroting.extensions import db
from buurtbegroting.jobs import services
from buurtbegroting.jobs.runner import Work, register
from buurtbegroting.models import BudgetRound


@register("close_round", _l("Closing a round"))
def close_round(work: Work) -> None:
    """Close the round once: the close and the job's end are committed together.

    A worker that dies before that commit leaves the round open and the job is picked up
    again; after it, the job is done. A round closed meanwhile by someone else is refused
    by the close itself (one conditional update), with its reason on the job's page.
    """
    from buurtbegroting.rounds import closing

    round_ = db.session.get(BudgetRound, work.params.get("round_id", 0))
    if round_ is None or work.job.created_by is None:
        raise services.JobRefused(_("This round no longer exists."))
    work.step(0, 1, _("Counting the votes"))
    work.begin()
    closing.close_round(round_, work.job.created_by, work.params.get("reason") or None)
    work.step(1, 1, _("The round has been closed and the results are published."))
