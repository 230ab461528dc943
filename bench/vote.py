"""Benchmark voting over HTTP: gunicorn and PostgreSQL on this machine, concurrent voters.

Usage: .venv/bin/python bench/vote.py [--ballots 20000] [--clients 50] [--workers 4]
       [--threads 1] [--port 8765] [--db bench_vote] [--pg postgresql://postgres@127.0.0.1:5432]
       [--redis redis://127.0.0.1:6379/0] [--max-seconds 1500] [--keep-db] [--flow cast|full]

It creates a fresh database (dropped at the end unless --keep-db), migrates it, sets up a
round in its voting phase with 60 ideas and one voting code per ballot (made with
``generate_codes``), and starts gunicorn on 127.0.0.1. Every ballot is the real flow of the
voting pages, one voter per session cookie, keep-alive connections:

    GET /stem (the QR link /stem#CODE)  POST /stem code (302)  GET /stemmen/gebied/<id> (ballot)
    POST action=review (200)   POST action=confirm (302)   GET /stemmen/bedankt/<id>  (200)

The ceiling is the same number of requests from the same number of clients against a
trivial endpoint of the same app (/bench/ping, registered by this script only). Printed:
ballots per second, latency of a whole ballot (p50, p95) and of one request, the ceiling
and the ratio of request rates. Traffic goes to 127.0.0.1 only; counts and time are bounded;
the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

IDEAS = 60
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- the app gunicorn runs -------------------------------------------------------------------


def wsgi_app():
    """Return the real app with one trivial extra endpoint, the ceiling (gunicorn 'vote:wsgi_app()')."""
    from buurtbegroting import create_app

    app = create_app(_config())

    @app.route("/bench/ping")
    def bench_ping():
        return "ok"

    return app


def _config():
    from config import ProductionConfig

    class BenchConfig(ProductionConfig):
        """Production settings over plain HTTP on 127.0.0.1 (the client keeps the cookie)."""

        SESSION_COOKIE_SECURE = False
        PREFERRED_URL_SCHEME = "http"

    return BenchConfig


# --- set-up ----------------------------------------------------------------------------------


def _admin_dsn(pg: str) -> str:
    return pg.rstrip("/") + "/postgres"


def create_database(pg: str, name: str) -> str:
    """Drop and create the benchmark database; return its URL."""
    import psycopg

    with psycopg.connect(_admin_dsn(pg), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg.rstrip("/") + "/" + name


def drop_database(pg: str, name: str) -> None:
    """Drop the benchmark database."""
    import psycopg

    with psycopg.connect(_admin_dsn(pg), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def set_up(ballots: int) -> tuple[int, list[str], list[int]]:
    """Migrate, make a round with 60 ideas and ``ballots`` codes; return (area id, codes, items)."""
    from flask_migrate import upgrade

    from buurtbegroting import create_app
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
        User,
    )
    from buurtbegroting.rounds.codes import generate_codes

    app = create_app(_config())
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
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
        db.session.add_all([town, district, hood, author])
        now = datetime.now(UTC)
        round_ = BudgetRound(
            name="Buurtbudget benchmark",
            description="",
            submission_opens_at=now - timedelta(days=30),
            review_opens_at=now - timedelta(days=20),
            voting_opens_at=now + timedelta(days=1),  # codes are made before voting starts
            voting_closes_at=now + timedelta(days=10),
            results_at=now + timedelta(days=20),
            ballot_type=BallotType.APPROVAL,
            min_choices=1,
            max_choices=5,
            rule=OutcomeRule.GREEDY,
            tie_break="cheaper",
        )
        round_area = RoundArea(round=round_, area=hood, budget_cents=50_000_000)
        db.session.add_all([round_, round_area])
        rng = random.Random(1)
        for i in range(IDEAS):
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
            db.session.add(idea)
            db.session.add(
                BallotItem(round_area=round_area, idea=idea, cost_cents=cents, position=i)
            )
        db.session.flush()
        start = time.perf_counter()
        codes = generate_codes(round_area, ballots)
        made = time.perf_counter() - start
        round_.voting_opens_at = now - timedelta(hours=1)
        db.session.commit()
        items = [item.id for item in round_area.items]
        print(f"set-up: {ballots:,} codes made and stored in {made:.1f} s", flush=True)
        return round_area.id, codes, items


# --- the server ------------------------------------------------------------------------------


def start_server(args, url: str, log: Path) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1 and wait until it answers."""
    env = dict(os.environ, **args.env)
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--pythonpath",
        f"{ROOT},{ROOT / 'bench'}",
        "--error-logfile",
        str(log),
        "--log-level",
        "warning",
        "--backlog",
        "512",
    ]
    if args.threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(args.threads)]
    command.append("vote:wsgi_app()")
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/bench/ping")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its process group), and wait for it."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- clients ---------------------------------------------------------------------------------


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, cookie=None):
        """Send one request; return (status, headers, body text, seconds)."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "nl"}
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            seconds = time.perf_counter() - start
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, response, text, seconds
        raise RuntimeError("unreachable")


def _cookie(response, jar: dict) -> str:
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def open_code_link(client: Client, code: str, jar: dict) -> tuple[str, list[float]]:
    """The QR link /stem#CODE: the page, then its script posts the code; return cookie, times."""
    status, response, text, first = client.request("GET", "/stem")
    if status != 200:
        raise RuntimeError(f"code page: {status}")
    cookie = _cookie(response, jar)
    token = CSRF.search(text).group(1)
    body = urlencode([("csrf_token", token), ("code", code)])
    status, response, _, second = client.request("POST", "/stem", body, cookie)
    if status != 302:
        raise RuntimeError(f"code link: {status}")
    return _cookie(response, jar), [first, second]


def vote(client: Client, code: str, round_area_id: int, items: list[int], rng) -> list[float]:
    """Vote once with a code through the real pages; return the time of each request."""
    jar: dict[str, str] = {}
    cookie, times = open_code_link(client, code, jar)
    ballot = f"/stemmen/gebied/{round_area_id}"
    status, response, text, s = client.request("GET", ballot, cookie=cookie)
    times.append(s)
    if status != 200:
        raise RuntimeError(f"ballot: {status}")
    cookie = _cookie(response, jar)
    token = CSRF.search(text).group(1)
    chosen = rng.sample(items, rng.randint(1, 5))
    fields = [("csrf_token", token)] + [("item", str(i)) for i in chosen]
    status, response, _, s = client.request(
        "POST", ballot, urlencode([*fields, ("action", "review")]), cookie
    )
    times.append(s)
    if status != 200:
        raise RuntimeError(f"review: {status}")
    cookie = _cookie(response, jar)
    status, response, _, s = client.request(
        "POST", ballot, urlencode([*fields, ("action", "confirm")]), cookie
    )
    times.append(s)
    if status != 302:
        raise RuntimeError(f"confirm: {status}")
    cookie = _cookie(response, jar)
    status, response, _, s = client.request(
        "GET", f"/stemmen/bedankt/{round_area_id}", cookie=cookie
    )
    times.append(s)
    if status != 200:
        raise RuntimeError(f"receipt: {status}")
    return times


def prepare(client: Client, code: str, round_area_id: int) -> tuple[str, str, list[float]]:
    """Open the code link and the ballot (as a voter does before choosing); return cookie, token, times."""
    jar: dict[str, str] = {}
    cookie, times = open_code_link(client, code, jar)
    status, response, text, second = client.request(
        "GET", f"/stemmen/gebied/{round_area_id}", cookie=cookie
    )
    if status != 200:
        raise RuntimeError(f"ballot: {status}")
    return _cookie(response, jar), CSRF.search(text).group(1), [*times, second]


def cast(
    client: Client, voter: tuple[str, str], round_area_id: int, items: list[int], rng
) -> list[float]:
    """Send one filled-in ballot (the confirm step that stores it); return its time."""
    cookie, token = voter
    chosen = rng.sample(items, rng.randint(1, 5))
    fields = [("csrf_token", token), ("action", "confirm")] + [("item", str(i)) for i in chosen]
    status, _, _, seconds = client.request(
        "POST", f"/stemmen/gebied/{round_area_id}", urlencode(fields), cookie
    )
    if status != 302:
        raise RuntimeError(f"confirm: {status}")
    return [seconds]


def run(clients: int, jobs: list, work, deadline: float) -> tuple[list, list, list[str], float]:
    """Run ``work(client, job)`` over the jobs from ``clients`` threads; return the figures."""
    lock = threading.Lock()
    feed = iter(jobs)
    done = object()
    totals, requests, errors = [], [], []
    barrier = threading.Barrier(clients + 1)

    def worker(n):
        client = Client(PORT)
        rng = random.Random(n)
        barrier.wait()
        while time.monotonic() < deadline:
            with lock:
                job = next(feed, done)
            if job is done:
                break
            start = time.perf_counter()
            try:
                times = work(client, job, rng)
            except Exception as error:  # noqa: BLE001 - counted and shown
                errors.append(repr(error))
                continue
            total = time.perf_counter() - start
            with lock:
                totals.append(total)
                requests.extend(times)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return totals, requests, errors, time.perf_counter() - start


def cpu_seconds(server_group: int) -> dict[str, float]:
    """Return the processor seconds used so far by gunicorn, PostgreSQL and this client.

    Read from /proc (Linux): gunicorn is the process group the script started, PostgreSQL
    every process named postgres on the machine. Empty where /proc is not there.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    used = {"web": 0.0, "database": 0.0, "client": 0.0}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == os.getpid():
            used["client"] += seconds
        elif int(fields[2]) == server_group:
            used["web"] += seconds
        elif name.startswith("postgres"):
            used["database"] += seconds
    return used


def cpu_per_request(before: dict, after: dict, count: int) -> str:
    """Return 'web x / database y / client z ms' of processor time per request."""
    if not before or not count:
        return "not measured"
    return (
        " / ".join(f"{kind} {(after[kind] - before[kind]) / count * 1000:.2f}" for kind in before)
        + " ms"
    )


def pct(values: list[float], p: float) -> float:
    """Return the p-th percentile in milliseconds."""
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] * 1000


PORT = 8765


def main() -> None:
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gthread threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="bench_vote")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/0", help="rate limits (production needs Redis)"
    )
    parser.add_argument("--max-seconds", type=float, default=1500, help="per phase")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--flow",
        choices=["cast", "full"],
        default="cast",
        help="cast: time the ballot submissions (after every voter opened the ballot); full: time all 5 pages",
    )
    args = parser.parse_args()
    if not 1 <= args.ballots <= 200_000 or not 1 <= args.clients <= 500:
        raise SystemExit("use 1-200,000 ballots and 1-500 clients")
    if "127.0.0.1" not in args.pg and "localhost" not in args.pg:
        raise SystemExit("the benchmark only talks to a database on this machine")
    if not args.redis.startswith(("redis://127.0.0.1", "redis://localhost")):
        raise SystemExit("the benchmark only talks to Redis on this machine")
    PORT = args.port

    url = create_database(args.pg, args.db)
    # Production settings (the app refuses to start without them); fresh keys per run.
    args.env = {
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "CODE_HASH_KEY": secrets.token_hex(32),
        "BALLOT_KEY": secrets.token_hex(32),
        "REDIS_URL": args.redis,
        "MAIL_BACKEND": "smtp",
        "BUURTBEGROTING_ENV": "production",
        "BASE_URL": f"https://127.0.0.1:{args.port}",
    }
    os.environ.update(args.env)
    round_area_id, codes, items = set_up(args.ballots)
    log = ROOT / "bench" / "out" / "vote-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = start_server(args, url, log)
    try:
        kind = f"gthread x{args.threads}" if args.threads > 1 else "sync"
        print(
            f"gunicorn: {args.workers} workers ({kind}) on 127.0.0.1:{args.port}; "
            f"{args.clients} clients; {args.ballots:,} ballots ({args.flow})",
            flush=True,
        )
        # Warm up every worker (imports, templates, connection pools).
        run(
            args.clients, [None] * 400, lambda c, _j, _r: [c.request("GET", "/bench/ping")[3]], 1e18
        )

        # The ceiling before the voting phases; measured again after them (the machine may be
        # shared, so the ratios use the mean of both).
        cpu_start = cpu_seconds(server.pid)
        _, pings_before, _, before_seconds = run(
            args.clients,
            [None] * 3000,
            lambda c, _j, _r: [c.request("GET", "/bench/ping")[3]],
            time.monotonic() + args.max_seconds,
        )
        ceiling_before = len(pings_before) / before_seconds
        cpu_pinged = cpu_seconds(server.pid)

        deadline = time.monotonic() + args.max_seconds
        if args.flow == "full":
            totals, requests, errors, seconds = run(
                args.clients,
                codes,
                lambda c, code, rng: vote(c, code, round_area_id, items, rng),
                deadline,
            )
            prepared_seconds, prepare_requests = 0.0, []
        else:
            # Voters open their code link and the ballot first; then the ballots are cast.
            voters, lock = [], threading.Lock()

            def open_ballot(c, code, _rng):
                cookie, token, times = prepare(c, code, round_area_id)
                with lock:
                    voters.append((cookie, token))
                return times

            _, prepare_requests, prepare_errors, prepared_seconds = run(
                args.clients, codes, open_ballot, deadline
            )
            cpu_opened = cpu_seconds(server.pid)
            if prepare_errors:
                print("errors while opening ballots:", prepare_errors[:5])
            deadline = time.monotonic() + args.max_seconds
            totals, requests, errors, seconds = run(
                args.clients,
                voters,
                lambda c, voter, rng: cast(c, voter, round_area_id, items, rng),
                deadline,
            )
            cpu_cast = cpu_seconds(server.pid)
        voted = len(totals)
        vote_rps = len(requests) / seconds

        n_ping = max(len(requests), 1)
        deadline = time.monotonic() + args.max_seconds
        _, pings, ping_errors, ping_seconds = run(
            args.clients,
            [None] * n_ping,
            lambda c, _j, _r: [c.request("GET", "/bench/ping")[3]],
            deadline,
        )
        ping_rps = (len(pings) / ping_seconds + ceiling_before) / 2
    finally:
        stop_server(server)

    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        stored = conn.execute(text("select count(*) from sealed_ballots")).scalar()
        used = conn.execute(text("select count(*) from voting_codes where status='used'")).scalar()
        signals = conn.execute(
            text("select coalesce(sum(ballots), 0) from network_signals")
        ).scalar()
    engine.dispose()
    if not args.keep_db:
        drop_database(args.pg, args.db)

    print()
    print(f"ballots cast      {voted:,} in {seconds:.1f} s  ({len(errors)} errors)")
    print(f"ballots/s         {voted / seconds:,.1f}")
    if args.flow == "cast":
        print(
            f"opening ballots   {len(prepare_requests):,} requests in {prepared_seconds:.1f} s "
            f"(code link + ballot page; p50 {pct(prepare_requests, 50):.1f} ms, p95 {pct(prepare_requests, 95):.1f} ms)"
        )
    print(
        f"ballot latency    p50 {pct(totals, 50):.1f} ms   p95 {pct(totals, 95):.1f} ms  "
        f"({'the submission' if args.flow == 'cast' else '5 requests'})"
    )
    print(f"request latency   p50 {pct(requests, 50):.1f} ms   p95 {pct(requests, 95):.1f} ms")
    print(
        f"requests/s        {vote_rps:,.0f}  ({'ballot submissions' if args.flow == 'cast' else 'voting flow'})"
    )
    print(
        f"ceiling           {ping_rps:,.0f} requests/s on /bench/ping  (before {ceiling_before:,.0f}, "
        f"after {len(pings) / ping_seconds:,.0f}; p50 {pct(pings, 50):.1f} ms, "
        f"p95 {pct(pings, 95):.1f} ms; {len(ping_errors)} errors)"
    )
    if args.flow == "cast":
        open_rps = len(prepare_requests) / prepared_seconds
        print(
            f"ratio opening     {open_rps / ping_rps:.2f} of the ceiling "
            f"({open_rps:,.0f} requests/s: code page, code POST, ballot page)"
        )
        print(
            f"ratio casting     {vote_rps / ping_rps:.2f} of the ceiling "
            f"({vote_rps:,.0f} ballots/s: the confirm POST that stores the ballot)"
        )
        print("processor time a request, by side (web = gunicorn; client = this script):")
        print(f"  ping            {cpu_per_request(cpu_start, cpu_pinged, len(pings_before))}")
        print(f"  opening         {cpu_per_request(cpu_pinged, cpu_opened, len(prepare_requests))}")
        print(f"  casting         {cpu_per_request(cpu_opened, cpu_cast, len(requests))}")
    else:
        print(f"ratio             {vote_rps / ping_rps:.2f} of the ceiling (requests/s)")
    print(
        f"check             {stored:,} sealed ballots and {used:,} used codes stored; {signals:,} in network signals"
    )
    if errors:
        print("first errors:", errors[:5])
    if stored != voted or used != voted:
        raise SystemExit("stored ballots do not match the successful votes")


if __name__ == "__main__":
    main()
