"""Where the time of the voting pages goes: one process, the real app on PostgreSQL, no HTTP.

Usage: .venv/bin/python bench/vote_profile.py [--ballots 400] [--db bench_vote_profile]
       [--pg postgresql://postgres@127.0.0.1:5432] [--profile opening|casting] [--cpu] [--top 30]

It sets up the same round as ``bench/vote.py`` (60 ideas, one code per ballot), then runs
each step of a voter through Flask's test client in this one process, and prints the mean
time of a request of each step next to the trivial endpoint's (``/bench/ping``): with gunicorn's
workers busy on every core, the ratio of those times is about the ratio of request rates that
``bench/vote.py`` prints. With ``--profile`` it prints cProfile's heaviest functions of a step.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import vote  # noqa: E402 - the benchmark's set-up and app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _open(client, code: str, round_area_id: int) -> str:
    page = client.get("/stem")
    token = CSRF.search(page.text).group(1)
    answer = client.post("/stem", data={"csrf_token": token, "code": code})
    assert answer.status_code == 302, answer.status_code
    page = client.get(f"/stemmen/gebied/{round_area_id}")
    assert page.status_code == 200, page.status_code
    return CSRF.search(page.text).group(1)


def _cast(client, token: str, round_area_id: int, items: list[int]) -> None:
    data = {"csrf_token": token, "action": "confirm", "item": [str(i) for i in items]}
    answer = client.post(f"/stemmen/gebied/{round_area_id}", data=data)
    assert answer.status_code == 302, answer.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=400)
    parser.add_argument("--db", default="bench_vote_profile")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--profile", choices=["opening", "casting"])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="profile processor time only (not waiting for the database)",
    )
    args = parser.parse_args()
    if not 10 <= args.ballots <= 20_000:
        raise SystemExit("use 10-20,000 ballots")
    if "127.0.0.1" not in args.pg and "localhost" not in args.pg:
        raise SystemExit("the benchmark only talks to a database on this machine")
    url = vote.create_database(args.pg, args.db)
    os.environ.update(
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_hex(32),
        CODE_HASH_KEY=secrets.token_hex(32),
        BALLOT_KEY=secrets.token_hex(32),
        REDIS_URL="redis://127.0.0.1:6379/0",
        MAIL_BACKEND="smtp",
        BUURTBEGROTING_ENV="production",
        BASE_URL="https://127.0.0.1:8765",
    )
    try:
        round_area_id, codes, items = vote.set_up(args.ballots)
        app = vote.wsgi_app()
        half = len(codes) // 2
        warm, timed = codes[:half], codes[half:]
        # Warm up: templates, caches, connection pool; the same steps as timed below.
        for code in warm:
            with app.test_client() as client:
                _cast(client, _open(client, code, round_area_id), round_area_id, items[:3])
        ping_client = app.test_client()
        start = time.perf_counter()
        for _ in range(len(timed) * 3):
            ping_client.get("/bench/ping")
        ping = (time.perf_counter() - start) / (len(timed) * 3)

        profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
        clients = [app.test_client() for _ in timed]
        tokens = []
        if args.profile == "opening":
            profiler.enable()
        start = time.perf_counter()
        for client, code in zip(clients, timed, strict=True):
            tokens.append(_open(client, code, round_area_id))
        opening = (time.perf_counter() - start) / (len(timed) * 3)
        profiler.disable()
        if args.profile == "casting":
            profiler.enable()
        start = time.perf_counter()
        for n, (client, token) in enumerate(zip(clients, tokens, strict=True)):
            _cast(client, token, round_area_id, items[n % 50 : n % 50 + 1 + n % 5])
        casting = (time.perf_counter() - start) / len(timed)
        profiler.disable()
    finally:
        from buurtbegroting.extensions import db

        if "app" in locals():
            with app.app_context():
                db.engine.dispose()
        vote.drop_database(args.pg, args.db)

    print(f"ping      {ping * 1000:6.2f} ms a request")
    print(f"opening   {opening * 1000:6.2f} ms a request  ratio {ping / opening:.2f}")
    print(f"casting   {casting * 1000:6.2f} ms a ballot   ratio {ping / casting:.2f}")
    if args.profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
