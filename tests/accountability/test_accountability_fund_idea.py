"""fund_idea: the interface the round closing and the cheque code call."""

from datetime import date

import pytest
from sqlalchemy import func, select

from buurtbegroting.accountability.services import fund_idea
from buurtbegroting.ideas.services import IdeaRefused
from buurtbegroting.models import (
    Funding,
    FundingSource,
    IdeaStatus,
    IdeaStatusChange,
    OutboxMessage,
    ReportStatus,
)
from tests.factories import make_idea, make_user


def test_fund_idea_creates_funding_moves_idea_and_mails_author(app, db):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    admin = make_user()
    funding = fund_idea(
        idea,
        source=FundingSource.ROUND,
        amount_cents=125_050,
        actor=admin,
        planned_end_on=date(2026, 6, 1),
    )
    assert funding.id is not None
    assert funding.status == ReportStatus.FUNDED
    assert funding.amount_cents == 125_050
    assert funding.report_due_on == date(2026, 6, 29)
    assert idea.status == IdeaStatus.FUNDED
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    change = db.session.scalars(
        select(IdeaStatusChange).order_by(IdeaStatusChange.id.desc())
    ).first()
    assert change.to_status == IdeaStatus.FUNDED and change.actor_id == admin.id


def test_fund_idea_twice_returns_the_same_funding(app, db):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    first = fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=5000, actor=None)
    second = fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=9999, actor=None)
    assert first.id == second.id
    assert second.amount_cents == 5000
    assert first.report_due_on is None
    assert db.session.scalar(select(func.count(Funding.id))) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_weeks_are_configurable(app, db):
    app.config["ACCOUNTABILITY_REPORT_WEEKS"] = 6
    try:
        idea = make_idea(status=IdeaStatus.ACCEPTED)
        funding = fund_idea(
            idea,
            source=FundingSource.ROUND,
            amount_cents=100,
            actor=None,
            planned_end_on=date(2026, 1, 1),
        )
        assert funding.report_due_on == date(2026, 2, 12)
    finally:
        app.config["ACCOUNTABILITY_REPORT_WEEKS"] = 4


@pytest.mark.parametrize("status", [IdeaStatus.SUBMITTED, IdeaStatus.DRAFT, IdeaStatus.REJECTED])
def test_an_idea_that_is_not_accepted_cannot_be_funded(app, db, status):
    idea = make_idea(status=status)
    with pytest.raises(IdeaRefused):
        fund_idea(idea, source=FundingSource.ROUND, amount_cents=100, actor=None)
    assert db.session.scalar(select(func.count(Funding.id))) == 0
    assert idea.status == status


def test_negative_amount_is_refused(app, db):
    idea = make_idea(status=IdeaStatus.ACCEPTED)
    with pytest.raises(ValueError):
        fund_idea(idea, source=FundingSource.ROUND, amount_cents=-1, actor=None)
    assert idea.status == IdeaStatus.ACCEPTED


def test_an_idea_already_marked_funded_gets_its_funding_without_a_second_status_change(app, db):
    idea = make_idea(status=IdeaStatus.FUNDED)
    funding = fund_idea(idea, source=FundingSource.CHEQUES, amount_cents=700, actor=None)
    assert funding.id is not None
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
