"""Benchmark the job queue: a 50,000-household code run started from the browser.

Usage: .venv/bin/python bench/jobs.py [--count 50000] [--output pdf|html] [--workers 1]

The run goes the way an administrator's does: a POST to the codes page (the test client)
creates the job, a real huey consumer (threads, SQLite queue in a temporary folder) runs
it, and the job's status endpoint is read twice a second, as the page's script does. It
prints when each stage started and ended, how long the whole run took, the status reads'
time, and the peak memory of the process (page through ``ru_maxrss``). SQLite always; PostgreSQL
too when TEST_DATABASE_URL is set (a database ``bench_jobs``, dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def _postgres_url() -> str | None:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return None
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "bench_jobs" WITH (FORCE)')
        conn.execute('CREATE DATABASE "bench_jobs"')
    return url.set(database="bench_jobs").render_as_string(False)


def run(url: str, folder: Path, count: int, output: str, workers: int) -> None:
    """Start one code run from the browser and follow it to its end."""
    from buurtbegroting import create_app
    from buurtbegroting.extensions import db
    from buurtbegroting.models import Role
    from config import TestConfig
    from tests.factories import make_district, make_neighbourhood, make_user
    from tests.factories.rounds import make_round

    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "HUEY_IMMEDIATE": False,
        "HUEY_SQLITE_PATH": str(folder / "huey.db"),
        "JOB_RESULT_FOLDER": str(folder / "results"),
        "WTF_CSRF_ENABLED": False,
    }
    app = create_app(type("BenchConfig", (TestConfig,), settings))
    with app.app_context():
        db.create_all()
        district = make_district()
        area = make_neighbourhood(district, postcodes=(), name="Ruwaard")
        round_ = make_round([(area, 1_000_000)], phase="review")
        admin = make_user(role=Role.ADMIN, email="bench@oss.nl")
        db.session.commit()
        round_id, round_area_id, user_id = round_.id, round_.areas[0].id, admin.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    huey = app.extensions["huey"]
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = huey.create_consumer(workers=workers, periodic=False, initial_delay=0.05)
    consumer.start()
    try:
        started = time.perf_counter()
        response = client.post(
            f"/beheer/rondes/{round_id}/codes",
            data={"round_area_id": round_area_id, "count": str(count), "output": output},
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        status_url = response.headers["Location"].rstrip("/") + "/status.json"
        stages: dict[str, list[float]] = {}
        reads = []
        while True:
            t0 = time.perf_counter()
            status = client.get(status_url).json
            reads.append(time.perf_counter() - t0)
            now = time.perf_counter() - started
            stage = stages.setdefault(status["message"] or "waiting", [now, now])
            stage[1] = now
            if status["finished"]:
                break
            time.sleep(0.5)
        total = time.perf_counter() - started
    finally:
        consumer.stop(graceful=True)
        for s, handler in handlers.items():
            signal.signal(s, handler)
    print(f"  state: {status['state']} ({status['done']:,}/{status['total']:,})")
    for name, (first, last) in stages.items():
        print(f"  {name:<28} seen from {first:7.1f} s to {last:7.1f} s")
    print(f"  whole run: {total:.1f} s for {count:,} codes ({output})")
    reads.sort()
    print(
        f"  status reads: {len(reads)}, median {reads[len(reads) // 2] * 1000:.1f} ms, "
        f"slowest {reads[-1] * 1000:.1f} ms"
    )
    size = sum(p.stat().st_size for p in (folder / "results").glob("job-*.zip"))
    print(f"  result ZIP: {size / 1e6:.1f} MB")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    """Parse the arguments and run on SQLite (and PostgreSQL when configured)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--output", choices=("pdf", "html"), default="pdf")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    urls = []
    with tempfile.TemporaryDirectory() as tmp:
        urls.append(("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}"))
        pg = _postgres_url()
        if pg:
            urls.append(("PostgreSQL", pg))
        for name, url in urls:
            folder = Path(tmp) / name
            folder.mkdir()
            print(f"{name}:")
            run(url, folder, args.count, args.output, args.workers)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
