"""Routines the worker runs on a schedule (jobs/tasks.py), each recorded as a job.

Each is safe to run twice: reminders are claimed once per stage, expiry and clean-up
change nothing the second time, and a round is never closed here (only reminded of).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.jobs import runner, services
from buurtbegroting.jobs.runner import Work, register
from buurtbegroting.models import BudgetRound, Role, User, utcnow


def run_routine(kind: str) -> int:
    """Record a routine as a job (started by nobody) and run it here; return the job id."""
    job = services.create_job(kind, {}, None)
    db.session.commit()
    runner.run(job.id)
    return job.id


@register("accountability_reminders", _l("Accountability reminders"))
def accountability_reminders(work: Work) -> None:
    """E-mail initiators whose report is due soon or late, once per stage."""
    from buurtbegroting.accountability import services as accountability

    day = today_nl()
    due = accountability.due_reminders(day)
    sent = 0
    work.step(0, len(due), _("Sending reminders"))
    for number, (funding, stage) in enumerate(due, start=1):
        work.begin()
        sent += bool(accountability.send_reminder(funding, stage, day))
        # The reminder's claim and the progress are committed together.
        work.step(number, len(due), _("Reminders sent: %(num)d", num=sent))
    work.step(len(due), len(due), _("Reminders sent: %(num)d", num=sent))


@register("unfinished_ballot_reminders", _l("Reminders of unconfirmed votes"))
def unfinished_ballot_reminders(work: Work) -> None:
    """E-mail accounts that opened a ballot but did not confirm, once, before voting closes."""
    from buurtbegroting.rounds.services import remind_unfinished

    work.step(0, 1, _("Sending reminders"))
    sent, _already = remind_unfinished()  # one commit per reminder: a claim is never lost
    work.step(1, 1, _("Reminders sent: %(num)d", num=sent))


@register("close_expired", _l("Expiry of cheques and initiatives"))
def close_expired(work: Work) -> None:
    """Fund initiatives that reached their target, close passed dates, expire unused cheques."""
    from buurtbegroting.cheques import services as cheques

    work.step(0, 1, _("Checking dates"))
    summary = cheques.close_expired()
    work.step(
        1,
        1,
        _(
            "Funded: %(funded)d. Target not reached: %(missed)d. Cheques expired: %(expired)d.",
            funded=len(summary.funded),
            missed=len(summary.not_reached),
            expired=summary.expired_cheques,
        ),
    )


@register("privacy_retention", _l("Retention clean-up"))
def privacy_retention(work: Work) -> None:
    """Run ``flask privacy retention``: delete what is kept no longer, archive old audit entries."""
    import click

    from buurtbegroting.privacy.cli import retention

    work.step(0, 1, _("Removing what is kept no longer"))
    try:
        with click.Context(retention):
            retention.callback()
    except click.ClickException as error:
        raise services.JobRefused(error.format_message()) from None
    work.step(1, 1, _("Done"))


@register("round_close_reminders", _l("Reminders to close rounds"))
def round_close_reminders(work: Work) -> None:
    """E-mail the administrators about rounds whose voting has ended; never close a round."""
    from buurtbegroting.mail import send_mail
    from buurtbegroting.urls import external_url

    ended = db.session.scalars(
        select(BudgetRound)
        .where(BudgetRound.voting_closes_at < utcnow(), BudgetRound.closed_at.is_(None))
        .order_by(BudgetRound.id)
    ).all()
    admins = db.session.scalars(
        select(User).where(User.role == Role.ADMIN, User.is_active.is_(True)).order_by(User.id)
    ).all()
    work.step(0, len(ended), _("Reminding administrators"))
    for number, round_ in enumerate(ended, start=1):
        url = external_url("rounds_admin.show", round_id=round_.id)
        for admin in admins:
            send_mail(
                admin.email,
                _("Voting has ended: close the round %(name)s", name=round_.name),
                "round_close_reminder",
                admin.locale,
                user=admin,
                round_=round_,
                url=url,
            )
        work.step(number, len(ended), _("Rounds to close: %(num)d", num=len(ended)))
    work.step(len(ended), len(ended), _("Rounds to close: %(num)d", num=len(ended)))


@register("clean_job_results", _l("Cleaning old job results"))
def clean_job_results(work: Work) -> None:
    """Delete result files past JOB_RESULT_DAYS."""
    work.step(0, 1, _("Deleting old result files"))
    count = services.delete_expired_results()
    work.step(1, 1, _("Result files deleted: %(num)d", num=count))


def _follow_step(work: Work, action: str, doing: str, done) -> None:
    """Run one routine of ``follows.digest`` as a single step; ``done(count)`` closes it."""
    from buurtbegroting.follows import digest

    work.step(0, 1, doing)
    work.begin()
    work.step(1, 1, done(getattr(digest, action)()))


@register("follow_notices", _l("Notices to followers"))
def follow_notices(work: Work) -> None:
    """Tell followers that voting started or closes soon, or that a cheque initiative ends."""
    _follow_step(
        work,
        "send_timed_notices",
        _("Telling followers"),
        lambda n: _("Followers told: %(num)d", num=n),
    )


@register("follow_digests", _l("Weekly digests for followers"))
def follow_digests(work: Work) -> None:
    """Queue one weekly digest per follower who chose "once a week"."""
    _follow_step(
        work, "send_digests", _("Sending digests"), lambda n: _("Digests queued: %(num)d", num=n)
    )
