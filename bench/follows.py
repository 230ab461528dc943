"""Benchmark telling followers: one status change of an idea with many followers.

Usage: .venv/bin/python bench/follows.py [--followers 5000]

Prints, for SQLite (a temporary file) and, when TEST_DATABASE_URL is set, PostgreSQL
(a database ``bench_follows``, dropped at the end): the time ``notify`` takes to queue
mail for half of the followers and digest lines for the other half (rendering every
mail in the follower's language, with its own unsubscribe link), the SQL statements it
sent, and the time of the weekly digest routine. Nothing is sent: the outbox only queues.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.cheques import make_app, on_postgres  # noqa: E402  (after the path is set)


def run(url: str, label: str, followers: int) -> None:
    """Fill a database, then time the fan-out and the digest."""
    from sqlalchemy import insert

    from buurtbegroting.extensions import db
    from buurtbegroting.follows.digest import send_digests
    from buurtbegroting.follows.notify import notify
    from buurtbegroting.models import (
        Area,
        AreaLevel,
        Follow,
        FollowEvent,
        FollowPreference,
        FollowTarget,
        Idea,
        IdeaStatus,
        NotifyMode,
        User,
        utcnow,
    )
    from tests.querycount import count_statements

    app = make_app(url)
    # Queue only: the development log backend would deliver on commit (timed elsewhere).
    app.config["MAIL_BACKEND"] = "smtp"
    with app.test_request_context():
        db.create_all()
        area = Area(name="Ruwaard", code="BU08280300", level=AreaLevel.NEIGHBOURHOOD)
        author = User(email="auteur@example.nl", display_name="Auteur", password_hash="!")
        db.session.add_all([area, author])
        db.session.flush()
        idea = Idea(title="Bankjes", summary="Zitten.", area=area, author=author)
        idea.status = IdeaStatus.IN_REVIEW
        db.session.add(idea)
        db.session.flush()
        now = utcnow()
        db.session.execute(
            insert(User),
            [
                {
                    "email": f"volger{n}@example.nl",
                    "display_name": f"Volger {n}",
                    "password_hash": "!",
                    "locale": "nl" if n % 3 else "en",
                    "email_verified_at": now,
                }
                for n in range(followers)
            ],
        )
        ids = [u.id for u in db.session.query(User.id).filter(User.email.like("volger%"))]
        db.session.execute(
            insert(Follow),
            [{"user_id": i, "target": FollowTarget.IDEA, "target_id": idea.id} for i in ids],
        )
        db.session.execute(
            insert(FollowPreference),
            [
                {"user_id": i, "event": FollowEvent.STATUS, "mode": NotifyMode.DIGEST}
                for i in ids[::2]
            ],
        )
        db.session.commit()
        idea.status = IdeaStatus.ACCEPTED
        started = time.perf_counter()
        with count_statements() as statements:
            told = notify(FollowEvent.STATUS, idea)
        db.session.commit()
        fan_out = time.perf_counter() - started
        started = time.perf_counter()
        digests = send_digests()
        db.session.commit()
        digest = time.perf_counter() - started
        print(
            f"{label}: {told} followers told in {fan_out:.2f} s "
            f"({fan_out / max(told, 1) * 1000:.2f} ms each, {len(statements)} statements); "
            f"{digests} digests queued in {digest:.2f} s"
        )
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    """Run the benchmark on SQLite and, when configured, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "SQLite", args.followers)
    on_postgres("bench_follows", lambda url: run(url, "PostgreSQL", args.followers))


if __name__ == "__main__":
    main()
