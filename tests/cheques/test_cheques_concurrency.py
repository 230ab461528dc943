"""Fifty simultaneous attempts: a code is used once, a target is never passed by more than one cheque.

Every thread has its own app context and so its own database session and connection,
as separate web requests would. The session app runs on a file-based SQLite database,
or on PostgreSQL when TEST_DATABASE_URL is set.
"""

import threading

from sqlalchemy import func, select

from buurtbegroting.cheques import services
from buurtbegroting.extensions import db as _db
from buurtbegroting.models import Cheque, CodeStatus, Funding, Idea, IdeaStatus
from tests.factories.cheques import issue, make_campaign, make_collecting_idea, today

THREADS = 50


def _race(app, codes_for_thread, idea_id):
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [None] * THREADS, []

    def attempt(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcome = services.redeem_and_commit(
                    [codes_for_thread(i)], idea_id, client_key=None, today=today()
                )
                outcomes[i] = [
                    f"{r.status}:{outcome.idea_problem}" if outcome.idea_problem else r.status
                    for r in outcome.results
                ]
            except Exception as error:  # pragma: no cover - reported below
                errors.append(repr(error))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors[:3]
    return outcomes


def test_fifty_simultaneous_attempts_with_one_code_find_exactly_one_success(app, db):
    campaign = make_campaign(count=1)
    code = issue(campaign)[0]
    idea = make_collecting_idea(target_cents=100_000)
    db.session.commit()
    outcomes = _race(app, lambda i: code, idea.id)
    statuses = [s for outcome in outcomes for s in outcome]
    assert statuses.count("given") == 1
    # The others see the code used, by someone else or already for this very initiative.
    assert set(statuses) <= {"given", "used", "given_here"}
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).collected_cents == 750
    assert (
        db.session.scalar(select(func.count(Cheque.id)).where(Cheque.status == CodeStatus.USED))
        == 1
    )


def test_fifty_simultaneous_cheques_never_pass_the_target_by_more_than_one(app, db):
    campaign = make_campaign(count=THREADS)
    codes = issue(campaign)
    idea = make_collecting_idea(target_cents=7_000)  # 10 cheques of 7.50 reach it (75.00)
    db.session.commit()
    outcomes = _race(app, lambda i: codes[i], idea.id)
    statuses = [s for outcome in outcomes for s in outcome]
    assert statuses.count("given") == 10
    # The others find the target reached while giving, or the initiative funded before.
    assert set(statuses) <= {"given", "target_reached", "ok:funded"}
    db.session.expire_all()
    fresh = db.session.get(Idea, idea.id)
    assert fresh.collected_cents == 7_500 and fresh.status == IdeaStatus.FUNDED
    assert db.session.scalar(select(func.count(Funding.id))) == 1
    issued = db.session.scalar(
        select(func.count(Cheque.id)).where(Cheque.status == CodeStatus.ISSUED)
    )
    assert issued == THREADS - 10
