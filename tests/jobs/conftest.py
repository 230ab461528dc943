"""Fixtures of the job tests: a round to make codes for, an administrator, a real queue."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager

import pytest

from buurtbegroting.jobs.tasks import make_huey
from buurtbegroting.models import Job, Role
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.rounds import make_round

QUEUE_SETTINGS = ("HUEY_IMMEDIATE", "HUEY_SQLITE_PATH", "HUEY_REDIS_URL", "HUEY_NAME")


@pytest.fixture()
def admin(db, login):
    """An administrator, logged in on the test client."""
    user = make_user(role=Role.ADMIN, email="beheer@oss.nl", locale="en")
    db.session.commit()
    return login(user)


@pytest.fixture()
def codes_round(db):
    """A round before voting, with two areas."""
    district = make_district()
    first = make_neighbourhood(district, postcodes=(), name="Ruwaard")
    second = make_neighbourhood(district, postcodes=(), name="Schadewijk")
    round_ = make_round([(first, 1_000_000), (second, 500_000)], phase="review")
    db.session.commit()
    return round_


@pytest.fixture()
def queue(app, tmp_path):
    """Build the app's huey anew (not immediate): ``queue(**settings)``; restored afterwards."""
    saved_huey = app.extensions["huey"]
    saved = {k: app.config[k] for k in QUEUE_SETTINGS}

    def build(**settings):
        app.config.update(
            HUEY_IMMEDIATE=False, HUEY_SQLITE_PATH=str(tmp_path / "huey.db"), **settings
        )
        app.extensions["huey"] = make_huey(app)
        return app.extensions["huey"]

    yield build
    app.config.update(saved)
    app.extensions["huey"] = saved_huey


@contextmanager
def consumer_threads(huey, workers: int = 1):
    """Run a huey consumer in threads of this process; stop it gracefully afterwards."""
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    handlers = {s: signal.getsignal(s) for s in signals}
    consumer = huey.create_consumer(
        workers=workers, periodic=False, initial_delay=0.05, max_delay=0.2
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for s, handler in handlers.items():
            signal.signal(s, handler)


def wait_for(db, job_id: int, condition, timeout: float = 60.0) -> Job:
    """Read the job afresh until ``condition(job)`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        job = db.session.get(Job, job_id, populate_existing=True)
        if condition(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(
                f"job {job_id} stayed {job.state} at {job.progress_done}/{job.progress_total}"
            )
        time.sleep(0.01)
