"""Closing a round: once, atomically; results, explanations, files anyone can recount; winners funded."""

import hashlib
import threading

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import (
    AuditEntry,
    BudgetRound,
    Funding,
    IdeaStatus,
    NetworkSignal,
    OutboxMessage,
    OutcomeRule,
    Role,
)
from buurtbegroting.rounds import closing, services
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot


def _vote(round_area, items_chosen, n):
    codes = issue_codes(round_area, n)
    for text in codes:
        code = services.find_code(round_area.round, text)
        services.cast_ballot(
            round_area,
            {item.id: 1 for item in items_chosen},
            code=code,
            client_address="198.51.100.9",
        )


@pytest.fixture()
def counted(db):
    round_ = make_round(phase="voting", max_choices=3)
    ra = round_.areas[0]
    a, b, c, d = put_on_ballot(ra, [600_000, 500_000, 300_000, 200_000])
    _vote(ra, [a, c], 5)
    _vote(ra, [b], 4)
    _vote(ra, [d], 2)
    db.session.commit()
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    return {"round": round_, "ra": ra, "items": (a, b, c, d), "admin": admin}


def test_close_early_needs_a_reason_and_then_publishes(client, db, login, counted):
    round_, ra = counted["round"], counted["ra"]
    login(counted["admin"])
    refused = client.post(
        f"/beheer/rondes/{round_.id}/sluiten", data={"confirm": "y", "reason": ""}
    )
    assert refused.status_code == 422 and "Geef een reden" in refused.get_data(as_text=True)
    unconfirmed = client.post(f"/beheer/rondes/{round_.id}/sluiten", data={"reason": "Storing"})
    assert unconfirmed.status_code == 422
    assert db.session.get(BudgetRound, round_.id).closed_at is None
    done = client.post(
        f"/beheer/rondes/{round_.id}/sluiten",
        data={"confirm": "y", "reason": "Storing bij de post"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    ra = db.session.get(type(ra), ra.id)
    assert ra.ballot_count == 11
    a, b, c, d = counted["items"]
    # Greedy, budget 10,000: A and C have 5 votes each; the cheaper C goes first, then A
    # (1,000 left); B (4 votes, 5,000) and D (2 votes, 2,000) do not fit.
    assert ra.result["selected"] == [str(c.idea_id), str(a.idea_id)]
    assert ra.result["explanation"][str(b.idea_id)]["reason"] == "did_not_fit"
    assert hashlib.sha256(ra.pb_file.encode()).hexdigest() == ra.pb_sha256
    assert db.session.scalar(select(NetworkSignal)) is None
    page = client.get(f"/rondes/{round_.id}/uitslag").get_data(as_text=True)
    assert "Gekozen" in page and "Niet gekozen: het kost" in page and ra.pb_sha256 in page
    assert "Storing bij de post" in page
    pb = client.get(f"/rondes/{round_.id}/uitslag/{ra.id}.pb")
    assert pb.status_code == 200 and hashlib.sha256(pb.data).hexdigest() == ra.pb_sha256
    csv_text = client.get(f"/rondes/{round_.id}/uitslag/{ra.id}.csv").get_data(as_text=True)
    assert "idea_id;title;cost_eur;score;selected" in csv_text
    assert (
        db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.closed")).after[
            "reason"
        ]
        == "Storing bij de post"
    )


def test_winners_are_funded_and_the_others_told(db, counted, app):
    closing.close_round(counted["round"], counted["admin"], "Test")
    db.session.commit()
    a, b, c, d = counted["items"]
    for item, status in (
        (a, IdeaStatus.FUNDED),
        (c, IdeaStatus.FUNDED),
        (b, IdeaStatus.NOT_FUNDED),
        (d, IdeaStatus.NOT_FUNDED),
    ):
        db.session.refresh(item.idea)
        assert item.idea.status == status
    funding = db.session.scalar(select(Funding).where(Funding.idea_id == a.idea_id))
    assert funding.amount_cents == 600_000 and funding.round_area_id == counted["ra"].id
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == b.idea.author.email)
    ).all()
    assert any("niet gekozen" in m.body for m in told)


def test_closing_twice_is_refused(db, counted):
    closing.close_round(counted["round"], counted["admin"], "Test")
    db.session.commit()
    with pytest.raises(services.VoteRefused):
        closing.close_round(counted["round"], counted["admin"], "Nog eens")


def test_two_administrators_closing_at_once_give_one_result(app, db, counted):
    round_id, admin_id = counted["round"].id, counted["admin"].id
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        from buurtbegroting.models import User

        with app.app_context():
            barrier.wait(timeout=30)
            try:
                round_ = _db.session.get(BudgetRound, round_id)
                closing.close_round(round_, _db.session.get(User, admin_id), "Tegelijk")
                _db.session.commit()
                outcomes.append("closed")
            except services.VoteRefused:
                _db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001 - reported below
                _db.session.rollback()
                outcomes.append(repr(error))
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["closed", "refused"], outcomes
    db.session.expire_all()
    assert len(db.session.scalars(select(Funding)).all()) == 2
    assert (
        len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "round.closed")).all())
        == 1
    )


def test_recount_with_pabutools_gives_the_same_winners(db, counted):
    from fractions import Fraction

    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import greedy_utilitarian_welfare
    from pabutools.tiebreaking import TieBreakingRule

    closing.close_round(counted["round"], counted["admin"], "Test")
    db.session.commit()
    ra = counted["ra"]
    instance, profile = parse_pabulib_from_string(ra.pb_file)
    assert instance.budget_limit == 10_000
    assert profile.num_ballots() == 11
    cheaper_first = TieBreakingRule(lambda inst, prof, proj: (Fraction(proj.cost), proj.name))
    outcome = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cost_Sat, tie_breaking=cheaper_first
    )
    assert sorted(p.name for p in outcome) == sorted(ra.result["selected"])


def test_equal_shares_round_publishes_explanations(db):
    round_ = make_round(phase="counting", rule=OutcomeRule.EQUAL_SHARES, max_choices=4)
    ra = round_.areas[0]
    a, b, c = put_on_ballot(ra, [400_000, 400_000, 200_000])
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    round_.voting_closes_at, real_close = (
        round_.voting_opens_at.replace(year=round_.voting_opens_at.year + 1),
        round_.voting_closes_at,
    )
    db.session.commit()
    _vote(ra, [a], 6)
    _vote(ra, [b, c], 4)
    round_.voting_closes_at = real_close
    db.session.commit()
    closing.close_round(round_, admin)
    db.session.commit()
    result = db.session.get(type(ra), ra.id).result
    assert result["rule"] == "equal-shares"
    reasons = {e["reason"] for e in result["explanation"].values()}
    assert "selected" in reasons
