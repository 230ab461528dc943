"""Jobs in real huey consumers: threads on the SQLite queue, a worker killed mid-job, Redis."""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from buurtbegroting.jobs import services
from buurtbegroting.keys import code_hash_key  # noqa: F401  (same key in the worker)
from buurtbegroting.models import AuditEntry, Job, JobState, VotingCode
from buurtbegroting.rounds.services import voting_code_hash
from tests.jobs.conftest import consumer_threads, wait_for
from tests.jobs.support import job_id_of

ROOT = Path(__file__).resolve().parents[2]


def _start_codes(client, round_area, count):
    return job_id_of(
        client.post(
            f"/beheer/rondes/{round_area.round_id}/codes",
            data={"round_area_id": round_area.id, "count": str(count)},
        )
    )


def _zip_codes(client, job_id) -> list[str]:
    download = client.post(f"/beheer/taken/{job_id}/download")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    rows = list(csv.reader(io.StringIO(archive.read("codes.csv").decode())))[1:]
    return [row[0].replace("-", "") for row in rows]


def test_a_job_started_in_the_browser_runs_in_a_consumer(
    app, db, client, admin, codes_round, queue
):
    huey = queue()
    ra = codes_round.areas[0]
    job_id = _start_codes(client, ra, 12)
    page = client.get(f"/beheer/taken/{job_id}")
    # Queued, not run in the request: the page refreshes itself until a worker is done.
    assert db.session.get(Job, job_id).state == JobState.QUEUED
    assert 'http-equiv="refresh"' in page.text and "Waiting" in page.text
    with consumer_threads(huey, workers=2):
        job = wait_for(db, job_id, lambda j: j.is_finished)
    assert job.state == JobState.DONE, job.error
    page = client.get(f"/beheer/taken/{job_id}")
    assert 'http-equiv="refresh"' not in page.text and "Download the file" in page.text
    assert len(_zip_codes(client, job_id)) == 12


def _worker(app, tmp_path: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "BUURTBEGROTING_ENV": "test",
        "HUEY_IMMEDIATE": "0",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HUEY_SQLITE_PATH": app.config["HUEY_SQLITE_PATH"],
        "JOB_RESULT_FOLDER": app.config["JOB_RESULT_FOLDER"],
        "JOB_CHUNK_SIZE": "1",
        "JOB_STALE_SECONDS": "1",
    }
    env.pop("REDIS_URL", None)
    log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "jobs", "worker", "--workers", "1", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    return process


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


class _Lock:
    """Hold the job's row (PostgreSQL) or the whole database (SQLite) so the worker waits."""

    def __init__(self, db, job_id: int):
        url = make_url(db.engine.url)
        if url.get_backend_name() == "sqlite":
            self.conn = sqlite3.connect(url.database, isolation_level=None, timeout=30)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn = db.engine.connect()
            self.conn.execute(text("SELECT id FROM jobs WHERE id = :id FOR UPDATE"), {"id": job_id})

    def release(self) -> None:
        if isinstance(self.conn, sqlite3.Connection):
            self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()
        self.conn.close()


@pytest.mark.slow
def test_a_worker_killed_mid_job_is_replaced_and_the_job_finishes_once(
    app, db, client, admin, codes_round, queue, tmp_path
):
    queue()
    ra = codes_round.areas[0]
    # One code per committed step. The job is caught early, and it has many steps: a step
    # takes a millisecond or two, and on a busy machine this test's process can wait a
    # second for its turn while the worker runs on (400 steps were once all done by then).
    count = 2000
    first = _worker(app, tmp_path, "first")
    try:
        job_id = _start_codes(client, ra, count)
        job = wait_for(db, job_id, lambda j: j.progress_done >= 5 or j.is_finished, timeout=180)
        lock = _Lock(db, job_id)
        # The worker is now stuck in its next step, which it has not committed.
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        _stop(first)
    lock.release()
    job = wait_for(db, job_id, lambda j: True)
    assert job.state == JobState.RUNNING and 0 < job.progress_done < count, (
        job.state,
        job.progress_done,
        (tmp_path / "first.log").read_text(errors="replace")[-3000:],
    )
    killed_at = job.progress_done
    assert db.session.scalar(select(func.count(VotingCode.id))) == killed_at
    # Another worker starts; the silent job is picked up again and carries on.
    time.sleep(1.2)
    second = _worker(app, tmp_path, "second")
    try:
        job = wait_for(db, job_id, lambda j: j.is_finished, timeout=180)
    finally:
        _stop(second)
    assert job.state == JobState.DONE, (
        job.error,
        (tmp_path / "second.log").read_text(errors="replace")[-3000:],
    )
    assert job.attempts == 2
    plain = _zip_codes(client, job_id)
    stored = set(db.session.scalars(select(VotingCode.code_hash)))
    assert len(plain) == len(set(plain)) == count == len(stored)
    assert {voting_code_hash(c) for c in plain} == stored
    exports = db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "round.codes_exported")
    )
    assert exports == 1


@pytest.fixture()
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("TEST_REDIS_URL not set: the Redis queue is not tested here")
    # The job queue's tests use database 5 of that server (the rate limits use theirs).
    return url.rsplit("/", 1)[0] + "/5"


def test_two_consumers_on_redis_run_each_job_once(
    app, db, client, admin, codes_round, queue, redis_url
):
    huey = queue(HUEY_REDIS_URL=redis_url, HUEY_NAME=f"bb-test-{uuid.uuid4().hex[:8]}")
    app.config["JOB_CHUNK_SIZE"] = 4
    try:
        ids = [_start_codes(client, ra, 10) for ra in codes_round.areas for _ in range(3)]
        with consumer_threads(huey), consumer_threads(huey):
            jobs = [wait_for(db, i, lambda j: j.is_finished) for i in ids]
    finally:
        app.config["JOB_CHUNK_SIZE"] = 5000
        huey.storage.flush_all()
    assert [(j.state, j.attempts) for j in jobs] == [(JobState.DONE, 1)] * 6
    assert db.session.scalar(select(func.count(VotingCode.id))) == 60
    assert all(services.result_path(j) is not None for j in jobs)


def test_closing_a_round_runs_in_a_consumer_and_closes_it_once(app, db, client, admin, queue):
    from buurtbegroting.models import BudgetRound
    from tests.factories.rounds import make_round

    round_ = make_round(phase="counting")
    db.session.commit()
    huey = queue()
    url = f"/beheer/rondes/{round_.id}/sluiten"
    job_id = job_id_of(client.post(url, data={"confirm": "y", "reason": ""}))
    assert db.session.get(BudgetRound, round_.id).closed_at is None
    with consumer_threads(huey):
        job = wait_for(db, job_id, lambda j: j.is_finished)
    assert job.state == JobState.DONE, job.error
    assert "See the results" in client.get(f"/beheer/taken/{job_id}").text
    db.session.expire_all()
    closed_at = db.session.get(BudgetRound, round_.id).closed_at
    assert closed_at is not None
    again = client.post(url, data={"confirm": "y", "reason": ""})
    assert again.status_code == 422 and "already been closed" in again.text
    db.session.expire_all()
    assert db.session.get(BudgetRound, round_.id).closed_at == closed_at
