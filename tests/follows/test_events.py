"""Each kind of news reaches the followers (not the actor), as they chose: now, weekly, or not."""

from __future__ import annotations

from datetime import timedelta

from buurtbegroting.accountability.services import add_update
from buurtbegroting.extensions import db
from buurtbegroting.follows.digest import send_digests, send_timed_notices
from buurtbegroting.follows.notify import notify
from buurtbegroting.follows.services import follow
from buurtbegroting.ideas.services import change_status
from buurtbegroting.models import (
    FollowEvent,
    FollowTarget,
    IdeaStatus,
    NotifyMode,
    ProgressUpdate,
    RoundVoter,
    VoterIdentification,
    utcnow,
)
from buurtbegroting.review.services import decide
from buurtbegroting.rounds.closing import close_round
from tests.factories import make_group, make_idea, make_neighbourhood, make_user
from tests.factories.accountability import funded_idea
from tests.factories.cheques import make_collecting_idea, today
from tests.factories.rounds import make_round, put_on_ballot
from tests.follows.helpers import digest_for, followers_of, news_to


def test_a_status_change_reaches_followers_of_the_idea_and_its_group_not_the_actor(app):
    area = make_neighbourhood(postcodes=())
    group = make_group(area)
    idea = make_idea(area, group=group, status=IdeaStatus.SUBMITTED)
    on_idea = followers_of(FollowTarget.IDEA, idea.id, 2)
    on_group = followers_of(FollowTarget.GROUP, group.id, 1)
    stranger = make_user()
    reviewer = make_user()
    follow(reviewer, FollowTarget.IDEA, idea.id)
    follow(idea.author, FollowTarget.IDEA, idea.id)
    change_status(idea, IdeaStatus.IN_REVIEW, reviewer)
    told = news_to()
    assert sorted(told) == sorted(p.email for p in on_idea + on_group)
    assert stranger.email not in told and reviewer.email not in told
    # The author gets the status mail itself, not a second one as follower.
    assert idea.author.email not in told and news_to("idea_status") == [idea.author.email]


def test_the_review_decision_reaches_followers(app, people):
    idea = make_idea(people["neighbourhood"], status=IdeaStatus.IN_REVIEW)
    fans = followers_of(FollowTarget.IDEA, idea.id, 2)
    decide(idea, people["coordinator"], "reject", "Dit past niet in het plan.", 0)
    assert idea.status == IdeaStatus.REJECTED
    assert sorted(news_to()) == sorted(p.email for p in fans)


def test_a_progress_update_reaches_followers_not_its_author(app):
    area = make_neighbourhood(postcodes=())
    idea, funding = funded_idea(area)
    fans = followers_of(FollowTarget.IDEA, idea.id, 2)
    follow(idea.author, FollowTarget.IDEA, idea.id)
    db.session.flush()
    before = len(news_to())
    add_update(funding, "De bankjes staan er.", [], idea.author)
    assert sorted(news_to()[before:]) == sorted(p.email for p in fans)


def test_published_results_reach_followers_of_the_areas(app, people):
    round_ = make_round(phase="counting")
    round_area = round_.areas[0]
    put_on_ballot(round_area, [100_000])
    fans = followers_of(FollowTarget.AREA, round_area.area_id, 2)
    followers_of(FollowTarget.AREA, people["neighbourhood"].id, 1)  # another area
    close_round(round_, people["admin"])
    told = [m for m in news_to() if m in {p.email for p in fans}]
    assert sorted(told) == sorted(p.email for p in fans)
    assert len(news_to()) == 2


def test_a_cheque_initiative_reaching_its_target_and_its_end_date_nearing(app):
    idea = make_collecting_idea()
    fans = followers_of(FollowTarget.IDEA, idea.id, 2)
    notify(FollowEvent.CHEQUES, idea, reason="reached")
    assert sorted(news_to()) == sorted(p.email for p in fans)
    ending = make_collecting_idea(target_date=today() + timedelta(days=3))
    late = followers_of(FollowTarget.IDEA, ending.id, 1)
    send_timed_notices()
    send_timed_notices()  # once only
    assert news_to()[2:] == [late[0].email]


def test_digest_and_off_settings_are_kept(app):
    idea = make_idea()
    now = followers_of(FollowTarget.IDEA, idea.id, 1)
    weekly = followers_of(FollowTarget.IDEA, idea.id, 2, NotifyMode.DIGEST)
    off = followers_of(FollowTarget.IDEA, idea.id, 1, NotifyMode.OFF)
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    change_status(idea, IdeaStatus.ACCEPTED, None, "Goed plan.")
    assert news_to() == [now[0].email, now[0].email]
    assert sorted(digest_for()) == sorted([p.id for p in weekly] * 2)
    assert off[0].email not in news_to()
    assert send_digests() == 2
    assert sorted(news_to("follow_digest")) == sorted(p.email for p in weekly)
    assert digest_for() == []
    assert send_digests() == 0  # the lines are gone with their digest


def test_unconfirmed_and_blocked_accounts_are_not_told(app):
    idea = make_idea()
    followers_of(FollowTarget.IDEA, idea.id, 1, email_verified_at=None)
    followers_of(FollowTarget.IDEA, idea.id, 1, is_active=False)
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    assert news_to() == []


def _voting_round(identification, closes_in=timedelta(days=1)):
    round_ = make_round(
        phase="voting",
        identification=identification,
        voting_opens_at=utcnow() - timedelta(hours=3),
        voting_closes_at=utcnow() + closes_in,
    )
    return round_, round_.areas[0]


def test_voting_opening_is_announced_to_area_followers_once(app):
    round_, round_area = _voting_round(VoterIdentification.BOTH, timedelta(days=10))
    fans = followers_of(FollowTarget.AREA, round_area.area_id, 2)
    send_timed_notices()
    send_timed_notices()
    assert sorted(news_to()) == sorted(p.email for p in fans)


def test_the_reminder_goes_only_to_account_followers_who_have_not_voted(app):
    round_, round_area = _voting_round(VoterIdentification.BOTH)
    voted, waiting = followers_of(FollowTarget.AREA, round_area.area_id, 2)
    db.session.add(RoundVoter(round_area_id=round_area.id, user_id=voted.id))
    stranger = make_user()
    db.session.flush()
    send_timed_notices()
    reminders = [m for m in news_to() if m in {voted.email, waiting.email, stranger.email}]
    # Both heard that voting opened; only the one who has not voted is reminded.
    assert sorted(reminders) == sorted([voted.email, waiting.email, waiting.email])
    send_timed_notices()
    assert len(news_to()) == 3


def test_no_reminder_in_a_round_where_only_codes_vote(app):
    round_, round_area = _voting_round(VoterIdentification.CODE)
    fans = followers_of(FollowTarget.AREA, round_area.area_id, 2)
    send_timed_notices()
    # Only "voting has started": no reminder based on codes.
    assert sorted(news_to()) == sorted(p.email for p in fans)


def test_no_reminder_more_than_two_days_before_the_end(app):
    round_, round_area = _voting_round(VoterIdentification.ACCOUNT, timedelta(days=3))
    followers_of(FollowTarget.AREA, round_area.area_id, 1)
    send_timed_notices()
    assert len(news_to()) == 1  # the opening only


def test_the_fan_out_takes_the_same_statements_for_5_and_50_followers(app, count_queries):
    area = make_neighbourhood(postcodes=())
    counts = []
    for n in (5, 50):
        idea, funding = funded_idea(area)
        followers_of(FollowTarget.IDEA, idea.id, n)
        followers_of(FollowTarget.IDEA, idea.id, n, NotifyMode.DIGEST)
        update = ProgressUpdate(
            funding=funding, text="Het werk is begonnen.", author_id=idea.author_id
        )
        db.session.add(update)
        db.session.flush()
        before = len(news_to())
        with count_queries() as statements:
            notify(FollowEvent.PROGRESS, update, idea.author)
        counts.append(len(statements))
        assert len(news_to()) - before == n
    assert digest_for().count(digest_for()[-1]) == 1 and len(digest_for()) == 55
    assert counts[0] == counts[1] <= 3


def test_the_routines_run_as_jobs_on_their_schedule(app):
    from datetime import datetime

    from buurtbegroting.jobs.kinds.routines import run_routine
    from buurtbegroting.models import Job, JobState

    huey = app.extensions["huey"]
    due = {
        when: {
            t.name.rsplit(".", 1)[-1]
            for t in huey._registry.periodic_tasks
            if t.validate_datetime(when)
        }
        for when in (
            datetime(2027, 3, 1, 8, 0),
            datetime(2027, 3, 2, 8, 0),
            datetime(2027, 3, 2, 9, 25),
        )
    }
    assert "routine_follow_digests" in due[datetime(2027, 3, 1, 8, 0)]  # Monday
    assert "routine_follow_digests" not in due[datetime(2027, 3, 2, 8, 0)]
    assert "routine_follow_notices" in due[datetime(2027, 3, 2, 9, 25)]  # every hour
    idea = make_idea()
    (fan,) = followers_of(FollowTarget.IDEA, idea.id, 1, NotifyMode.DIGEST)
    change_status(idea, IdeaStatus.IN_REVIEW, None)
    db.session.commit()
    for kind in ("follow_notices", "follow_digests"):
        job = db.session.get(Job, run_routine(kind))
        assert job.state == JobState.DONE, job.error
    assert news_to("follow_digest") == [fan.email]
