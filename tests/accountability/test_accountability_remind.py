"""`flask accountability remind`: reports due within 7 days or late, once per stage."""

from datetime import date, timedelta

from sqlalchemy import func, select

from buurtbegroting.models import OutboxMessage, ReminderSent, ReportStatus
from tests.factories.accountability import funded_idea


def mails(db):
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_reminders_are_sent_once_per_stage(runner, world, db):
    today = date(2026, 7, 1)
    # world.funding: planned end 2026-06-01, due 2026-06-29 -> overdue on 2026-07-01.
    soon_idea, soon = funded_idea(
        world.buurt, planned_end=today - timedelta(weeks=4) + timedelta(days=5)
    )
    _far_idea, far = funded_idea(world.buurt, planned_end=today + timedelta(weeks=10))
    _done_idea, done = funded_idea(world.buurt, planned_end=today - timedelta(weeks=10))
    done.status = ReportStatus.REPORT_SUBMITTED
    db.session.commit()
    before = mails(db)
    result = runner.invoke(args=["accountability", "remind", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 1 due soon, 1 overdue (0 already sent)." in result.output
    # world.funding has the author and a group coordinator; the other idea one author.
    assert mails(db) == before + 3
    again = runner.invoke(args=["accountability", "remind", "--today", today.isoformat()])
    assert "Reminders sent: 0 due soon, 0 overdue" in again.output
    assert mails(db) == before + 3
    stages = {
        tuple(r) for r in db.session.execute(select(ReminderSent.funding_id, ReminderSent.stage))
    }
    assert stages == {(world.funding.id, "overdue"), (soon.id, "due_soon")}
    # Later the due-soon report becomes late: one more reminder, for that stage.
    later = runner.invoke(
        args=["accountability", "remind", "--today", (today + timedelta(days=10)).isoformat()]
    )
    assert "0 due soon, 1 overdue" in later.output
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert any("te laat" in s for s in subjects) and any("bijna" in s for s in subjects)


def test_a_reminder_already_claimed_is_not_sent_again(world, db):
    from buurtbegroting.accountability.services import send_reminder

    assert send_reminder(world.funding, "overdue") is True
    assert send_reminder(world.funding, "overdue") is False
