"""Jobs: long work (codes and letters, cheques, routines) run by huey workers, with progress pages.

``init_app`` makes the app's huey instance (jobs/tasks.py); ``enqueue`` hands a committed
job to the queue. The pages under /beheer/taken (``views.py``) follow a job without
JavaScript (the page refreshes itself) and smoothly with static/js/job-progress.js.
"""

from __future__ import annotations

from flask import Blueprint, current_app

bp = Blueprint("jobs", __name__)


def init_app(app) -> None:
    """Make the app's huey instance and register the kinds of jobs."""
    from buurtbegroting.jobs import kinds  # noqa: F401  (registers the kinds)
    from buurtbegroting.jobs.tasks import make_huey

    app.extensions["huey"] = make_huey(app)


def huey():
    """Return the current app's huey instance."""
    return current_app.extensions["huey"]


def enqueue(job_id: int) -> None:
    """Hand a committed job to the queue (in immediate mode it runs here and now)."""
    huey().run_job(job_id)


def start_job(kind: str, params: dict, actor):
    """Create a job for ``actor``, commit it, hand it to the queue; return it (views call this)."""
    from buurtbegroting.extensions import db
    from buurtbegroting.jobs import services
    from buurtbegroting.jobs.runner import KINDS

    job = services.create_job(kind, params, actor, is_secret=KINDS[kind].is_secret)
    db.session.commit()
    enqueue(job.id)
    return job


from buurtbegroting.jobs import views  # noqa: E402,F401  (registers the routes)
