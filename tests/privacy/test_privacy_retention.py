"""`flask privacy retention`: old e-mail, network counts, co-organiser contacts, old audit entries."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from buurtbegroting import audit
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.models import (
    AuditEntry,
    CoOrganiser,
    Destination,
    IdeaStatus,
    IdeaStatusChange,
    MailStatus,
    NetworkSignal,
    OutboxMessage,
    Role,
    utcnow,
)
from buurtbegroting.rounds import closing
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.factories.mail import make_outbox_message
from tests.factories.rounds import make_round, put_on_ballot


def _signal(round_, days_ago, prefix="a" * 64):
    signal = NetworkSignal(
        round_id=round_.id,
        day=today_nl() - timedelta(days=days_ago),
        prefix_hash=prefix,
        ballots=30,
    )
    return signal


def _signal_rounds(db):
    return sorted(db.session.scalars(select(NetworkSignal.round_id)))


# Network-prefix counts


def test_closing_a_round_deletes_its_network_signals_and_only_those(db):
    voting = make_round(phase="voting")
    put_on_ballot(voting.areas[0], [400_000])
    other = make_round(phase="voting")
    db.session.add_all([_signal(voting, 1), _signal(voting, 0, "b" * 64), _signal(other, 0)])
    db.session.commit()
    assert _signal_rounds(db) == sorted([voting.id, voting.id, other.id])
    closing.close_round(voting, make_user(role=Role.ADMIN), reason="Storing bij de post")
    db.session.commit()
    assert _signal_rounds(db) == [other.id]


def test_retention_deletes_signals_of_closed_rounds_and_old_days(app, db, retention):
    closed = make_round(phase="counting", closed_at=utcnow())
    open_ = make_round(phase="voting")
    limit = app.config["NETWORK_SIGNAL_RETENTION_DAYS"]
    db.session.add_all(
        [
            _signal(closed, 1),  # left behind after closing
            _signal(open_, limit + 1),
            _signal(open_, limit - 1, "b" * 64),
        ]
    )
    db.session.commit()
    result = retention()
    assert "days deleted: 2." in result.output
    remaining = db.session.scalar(select(NetworkSignal))
    assert remaining.round_id == open_.id and remaining.prefix_hash == "b" * 64


# Outbox


def _mail(days_ago, **overrides):
    return make_outbox_message(overrides.pop("status", MailStatus.SENT), days_ago, **overrides)


def test_retention_deletes_outbox_messages_past_the_period(app, db, retention):
    db.session.add_all(
        [
            _mail(31),
            _mail(45, status=MailStatus.FAILED),
            _mail(29),
            _mail(0, is_secret=True),
            _mail(40, status=MailStatus.QUEUED),  # still waiting for the worker: kept
        ]
    )
    db.session.commit()
    assert app.config["OUTBOX_RETENTION_DAYS"] == 30
    assert "E-mails older than 30 days deleted: 2." in retention().output
    ages = sorted((utcnow() - m.created_at).days for m in db.session.scalars(select(OutboxMessage)))
    assert ages == [0, 29, 40]


def test_outbox_retention_period_is_configurable(app, db, retention):
    db.session.add_all([_mail(8), _mail(6)])
    db.session.commit()
    app.config["OUTBOX_RETENTION_DAYS"] = 7
    try:
        retention()
    finally:
        app.config["OUTBOX_RETENTION_DAYS"] = 30
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


# Co-organisers


def _initiative(db, area, status, decided_days_ago):
    idea = make_idea(area, status=status, destination=Destination.CHEQUES)
    idea.status_changes.append(
        IdeaStatusChange(to_status=status, created_at=utcnow() - timedelta(days=decided_days_ago))
    )
    rows = {
        "author": CoOrganiser(
            idea=idea,
            name=idea.author.display_name,
            email=f"author-{idea.id}@author.invalid",
            token_hash=f"author-{idea.id}",
            address_hash="1" * 64,
            confirmed_at=utcnow(),
        ),
        "confirmed": CoOrganiser(
            idea=idea,
            name="Bram",
            email=f"bram{idea.id}@example.nl",
            token_hash=f"{idea.id:064d}",
            address_hash="2" * 64,
            confirmed_at=utcnow(),
        ),
        "invited": CoOrganiser(
            idea=idea, name="Cor", email=f"cor{idea.id}@example.nl", token_hash=f"{idea.id:063d}c"
        ),
    }
    db.session.add_all(rows.values())
    return idea, rows


def _organiser_rows(db, idea):
    return {
        c.name: (c.email, c.token_hash, c.address_hash, c.confirmed_at is not None)
        for c in db.session.scalars(select(CoOrganiser).where(CoOrganiser.idea_id == idea.id))
    }


def test_retention_erases_co_organiser_contacts_after_the_initiative_is_decided(
    app, client, db, login, retention
):
    area = make_neighbourhood(make_district(), postcodes=())
    done, rows = _initiative(db, area, IdeaStatus.FUNDED, 31)
    collecting, _ = _initiative(db, area, IdeaStatus.ACCEPTED, 60)
    recent, _ = _initiative(db, area, IdeaStatus.NOT_FUNDED, 5)
    db.session.commit()
    before = {idea.id: _organiser_rows(db, idea) for idea in (collecting, recent)}
    result = retention()
    assert "contact data erased for 2, unconfirmed invitations deleted: 1." in result.output
    author = rows["author"]
    assert _organiser_rows(db, done) == {
        author.name: (author.email, author.token_hash, None, True),
        "Bram": (None, None, None, True),
    }
    assert {idea.id: _organiser_rows(db, idea) for idea in (collecting, recent)} == before
    # The initiative's page still names who organised it.
    login(done.author)
    page = client.get(f"/ideeen/{done.id}/cheques")
    assert page.status_code == 200 and "Bram" in page.get_data(as_text=True)
    assert "contact data erased for 0" in retention().output


# Audit log


def _entry(years_ago, days=0, summary=""):
    entry = audit.record(None, "area.update", object_type="areas", object_id=1, summary=summary)
    entry.created_at = utcnow() - timedelta(days=365 * years_ago + 2 + days)
    entry.after = {"name": summary, "ü": "ë"}
    return entry


def test_retention_archives_audit_entries_older_than_the_legal_period(
    app, db, retention, archive_folder
):
    assert app.config["AUDIT_RETENTION_YEARS"] == 7
    _entry(8, summary="oud")
    _entry(7, 3, summary="net te oud")
    _entry(6, summary="blijft")
    db.session.commit()
    result = retention()
    (archive,) = archive_folder.iterdir()
    assert archive.suffix == ".jsonl" and str(archive) in result.output
    lines = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    assert [line["summary"] for line in lines] == ["oud", "net te oud"]
    assert lines[0]["after"] == {"name": "oud", "ü": "ë"} and lines[0]["actor_label"] == "cli"
    kept = {e.summary: e.action for e in db.session.scalars(select(AuditEntry))}
    assert kept.pop("blijft") == "area.update"
    # The run itself is audited.
    ((summary, action),) = kept.items()
    assert action == "privacy.retention" and "audit_entries_archived: 2" in summary
    # A second run finds nothing and writes no empty file.
    assert "none" in retention().output
    assert len(list(archive_folder.iterdir())) == 1


def test_audit_archive_that_cannot_be_written_deletes_nothing(app, db, retention, archive_folder):
    archive_folder.parent.mkdir(exist_ok=True)
    archive_folder.write_text("not a folder")
    _entry(9, summary="oud")
    db.session.add(_mail(40))
    db.session.commit()
    result = retention(ok=False)
    assert result.exit_code == 1 and "Nothing has been deleted" in result.output
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    # All or nothing: the other steps of the run are undone as well.
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
