"""Benchmark closing a round: 60 ideas, 100,000 ballots, on SQLite and PostgreSQL.

Usage: .venv/bin/python bench/close_round.py [--ballots 100000] [--ideas 60]
       [--rule greedy|equal_shares] [--pg [URL]] [--profile]

Builds a round area directly in a fresh database (bulk inserts, outside the timing), then
times ``closing.close_round`` as a whole and, on a copy of the same data, its parts: the
query of the ballot rows, building the election, the tally, writing the .pb file and the
result JSON. SQLite always runs (a temporary file); PostgreSQL runs with --pg (default
postgresql://postgres@127.0.0.1:5432) or when TEST_DATABASE_URL is set, in a database
``bench_close`` that is dropped at the end. --profile prints the top of a cProfile of
close_round.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def make_app(url: str):
    """Return the app on a database URL (test settings: no mail is sent)."""
    from buurtbegroting import create_app
    from config import TestConfig

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(config)


def build(ballots: int, ideas: int, rule: str) -> int:
    """Make a round whose voting has ended with one area, ``ideas`` ideas and ``ballots`` ballots."""
    from sqlalchemy import insert

    from buurtbegroting.extensions import db
    from buurtbegroting.models import (
        Area,
        AreaLevel,
        BallotItem,
        BallotType,
        BudgetRound,
        CostLine,
        Destination,
        Idea,
        IdeaStatus,
        OutcomeRule,
        Role,
        RoundArea,
        SealedBallot,
        User,
    )
    from buurtbegroting.rounds import sealing

    db.create_all()
    town = Area(code="GM0828", name="Oss", level=AreaLevel.MUNICIPALITY)
    district = Area(code="WK082801", name="Centrum", level=AreaLevel.DISTRICT, parent=town)
    hood = Area(
        code="BU08280101", name="Binnenstad", level=AreaLevel.NEIGHBOURHOOD, parent=district
    )
    author = User(
        email="initiatief@example.nl",
        display_name="Initiatiefnemer",
        role=Role.RESIDENT,
        password_hash="x",
        locale="nl",
    )
    admin = User(
        email="beheer@example.nl",
        display_name="Beheer",
        role=Role.ADMIN,
        password_hash="x",
        locale="nl",
    )
    now = datetime.now(UTC)
    round_ = BudgetRound(
        name="Buurtbudget benchmark",
        description="",
        submission_opens_at=now - timedelta(days=40),
        review_opens_at=now - timedelta(days=30),
        voting_opens_at=now - timedelta(days=20),
        voting_closes_at=now - timedelta(days=1),
        results_at=now + timedelta(days=5),
        ballot_type=BallotType.APPROVAL,
        min_choices=1,
        max_choices=5,
        rule=OutcomeRule(rule),
        tie_break="cheaper",
    )
    round_area = RoundArea(round=round_, area=hood, budget_cents=50_000_000)
    db.session.add_all([town, district, hood, author, admin, round_, round_area])
    rng = random.Random(42)
    # Some ideas are much more popular than others, as in real votes.
    weights = [1 / (i + 1) ** 0.7 for i in range(ideas)]
    items = []
    for i in range(ideas):
        cents = rng.randrange(300_000, 3_000_000, 5_000)
        idea = Idea(
            area=hood,
            author=author,
            title=f"Plan {i + 1}",
            summary="Een plan voor de buurt.",
            description="Meer uitleg.",
            status=IdeaStatus.ACCEPTED,
            destination=Destination.BUDGET_ROUND,
        )
        idea.cost_lines = [CostLine(item="Alles", amount_cents=cents, position=0)]
        item = BallotItem(round_area=round_area, idea=idea, cost_cents=cents, position=i)
        db.session.add_all([idea, item])
        items.append(item)
    db.session.flush()
    item_ids = [item.id for item in items]
    day = date.today() - timedelta(days=2)
    # Ballots are sealed envelopes until closing, as the voting pages store them.
    round_.ballot_public_key = sealing.public_key_hex(round_.id)
    db.session.flush()
    chunk = 10_000
    for start in range(0, ballots, chunk):
        envelope_rows = []
        for _ in range(min(chunk, ballots - start)):
            chosen = set()
            for _ in range(rng.randint(1, 5)):
                chosen.add(rng.choices(item_ids, weights)[0])
            envelope = sealing.seal(
                round_.ballot_public_key, dict.fromkeys(chosen, 1), day, False, len(item_ids)
            )
            envelope_rows.append(
                {"id": secrets.token_hex(16), "round_area_id": round_area.id, "envelope": envelope}
            )
        db.session.execute(insert(SealedBallot), envelope_rows)
    db.session.commit()
    return round_.id, admin.id


def timed(label: str, fn, results: dict):
    """Run fn, remember and return its result and time."""
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    return value


def run(url: str, args, label: str) -> None:
    """Build, then time the parts and the whole close on one database."""
    from sqlalchemy import func, select

    from buurtbegroting import tally
    from buurtbegroting.extensions import db
    from buurtbegroting.models import BudgetRound, RoundArea, SealedBallot, User
    from buurtbegroting.rounds import closing

    app = make_app(url)
    with app.app_context():
        start = time.perf_counter()
        round_id, admin_id = build(args.ballots, args.ideas, args.rule)
        built = time.perf_counter() - start
        choices = db.session.scalar(select(func.count()).select_from(SealedBallot))
        print(
            f"\n{label}: {args.ballots:,} ballots ({choices:,} sealed), {args.ideas} ideas, "
            f"rule {args.rule} (built in {built:.1f} s)",
            flush=True,
        )

        # The parts, without writing anything.
        parts: dict[str, float] = {}
        round_area = closing.db.session.scalar(
            select(RoundArea).where(RoundArea.round_id == round_id)
        )
        _ = [item.idea.title for item in round_area.items], round_area.area.name
        timed("unseal (open+write)", lambda: closing.unseal_area(round_area), parts)
        rows = timed("query ballot rows", lambda: closing.ballot_rows(round_area), parts)
        election = timed("build election", lambda: closing.build_election(round_area, rows), parts)
        outcome = timed("tally", lambda: closing.run_tally(round_area, election), parts)
        timed("write .pb", lambda: tally.write_pb(election), parts)
        timed("result JSON", outcome.to_json, parts)
        db.session.rollback()

        # The whole close, as an administrator does it.
        round_ = db.session.get(BudgetRound, round_id)
        admin = db.session.get(User, admin_id)
        profiler = cProfile.Profile() if args.profile else None
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        closing.close_round(round_, admin)
        db.session.commit()
        if profiler:
            profiler.disable()
        whole = time.perf_counter() - start
        round_area = db.session.scalar(select(RoundArea).where(RoundArea.round_id == round_id))
        for name, seconds in parts.items():
            print(f"  {name:<20} {seconds:6.2f} s")
        print(f"  {'close_round (all)':<20} {whole:6.2f} s   {'OK' if whole < 5 else 'over 5 s'}")
        print(
            f"  stored: {round_area.ballot_count:,} ballots, .pb {len(round_area.pb_file) / 1e6:.1f} MB, "
            f"sha256 {round_area.pb_sha256[:12]}…, {len(round_area.result['selected'])} ideas selected"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--ideas", type=int, default=60)
    parser.add_argument("--rule", choices=["greedy", "equal_shares"], default="greedy")
    parser.add_argument(
        "--pg",
        nargs="?",
        const="postgresql://postgres@127.0.0.1:5432",
        default=os.environ.get("TEST_DATABASE_URL"),
    )
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.ballots <= 1_000_000 or not 1 <= args.ideas <= 500:
        raise SystemExit("use 1-1,000,000 ballots and 1-500 ideas")

    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/close.db", args, "SQLite")
    if args.pg:
        import psycopg
        from sqlalchemy.engine import make_url

        base = make_url(args.pg.replace("postgresql://", "postgresql+psycopg://", 1))
        if base.host not in ("127.0.0.1", "localhost"):
            raise SystemExit("the benchmark only uses a database on this machine")
        admin_dsn = base.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False
        )
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "bench_close" WITH (FORCE)')
            conn.execute('CREATE DATABASE "bench_close"')
        try:
            run(
                base.set(database="bench_close").render_as_string(hide_password=False),
                args,
                "PostgreSQL",
            )
        finally:
            with psycopg.connect(admin_dsn, autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "bench_close" WITH (FORCE)')


if __name__ == "__main__":
    main()
