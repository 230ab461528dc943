"""The jobs pages under /beheer/taken: a job's progress, its result (once), starting it again."""

from __future__ import annotations

import io

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import _
from flask_login import current_user

from buurtbegroting import audit, jobs
from buurtbegroting.extensions import db
from buurtbegroting.forms import ConfirmForm
from buurtbegroting.jobs import bp, services
from buurtbegroting.jobs.runner import KINDS
from buurtbegroting.models import Job
from buurtbegroting.permissions import (
    can_list_jobs,
    can_run_routines,
    can_view_job,
    guard_blueprint,
    is_admin,
    require,
)

guard_blueprint(bp, can_list_jobs)

#: Routines an administrator may start now (they also run on the worker's schedule).
ROUTINES = (
    "accountability_reminders",
    "close_expired",
    "round_close_reminders",
    "privacy_retention",
    "clean_job_results",
)
#: Seconds between two refreshes of a job's page without JavaScript.
REFRESH_SECONDS = 3


@bp.after_request
def no_store(response):
    """Keep job pages (and results with codes) out of every cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _job(job_id: int) -> Job:
    job = db.get_or_404(Job, job_id)
    require(can_view_job(current_user, job))
    return job


def kind_label(job: Job) -> str:
    """Return the name of a job's kind for pages."""
    kind = KINDS.get(job.kind)
    return str(kind.label) if kind else job.kind


@bp.app_context_processor
def job_labels():
    """Give templates the names of the kinds of jobs."""
    return {"job_kind_label": kind_label}


@bp.route("/")
def index():
    """List recent jobs: every job for administrators, one's own for other staff."""
    items = services.recent_jobs() if is_admin(current_user) else services.jobs_of(current_user)
    return render_template(
        "jobs/index.html",
        jobs=items,
        routines=[(name, KINDS[name].label) for name in ROUTINES],
        form=ConfirmForm(formdata=None),
    )


@bp.route("/<int:job_id>")
def show(job_id):
    """Show a job's progress; while it runs, the page refreshes itself."""
    job = _job(job_id)
    return render_template(
        "jobs/show.html",
        job=job,
        refresh=None if job.is_finished else REFRESH_SECONDS,
        has_result=services.result_path(job) is not None,
        form=ConfirmForm(formdata=None),
    )


@bp.route("/<int:job_id>/status.json")
def status(job_id):
    """Return a job's progress for the page's script."""
    job = _job(job_id)
    return jsonify(
        state=job.state.value,
        done=job.progress_done,
        total=job.progress_total,
        percent=job.percent,
        message=job.message,
        finished=job.is_finished,
    )


@bp.route("/<int:job_id>/download", methods=["POST"])
def download(job_id):
    """Hand out the result file; a file with codes once, and then it is deleted."""
    job = _job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    path = services.result_path(job)
    if path is None or not services.take_download(job):
        flash(
            _("This file is no longer available. A file with codes can be downloaded once."),
            "error",
        )
        return redirect(url_for("jobs.show", job_id=job.id)), 303
    audit.record(current_user, "job.download", job, summary=job.kind)
    data = path.read_bytes()
    if job.is_secret:
        path.unlink()
        job.result_file = None
    db.session.commit()
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=job.params.get("download_name") or path.name,
    )


@bp.route("/<int:job_id>/opnieuw", methods=["POST"])
def restart(job_id):
    """Start a failed job again; it goes on from its last saved step, so nothing is made twice."""
    job = _job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not services.restart(job, current_user):
        db.session.rollback()
        flash(_("Only a job that failed can be started again."), "error")
        return redirect(url_for("jobs.show", job_id=job.id)), 303
    db.session.commit()
    jobs.enqueue(job.id)
    flash(_("The job has been started again."), "success")
    return redirect(url_for("jobs.show", job_id=job.id)), 303


@bp.route("/routine/<kind>", methods=["POST"])
def run_routine(kind):
    """Start a scheduled routine now, as a job (administrators)."""
    require(can_run_routines(current_user))
    if kind not in ROUTINES:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = jobs.start_job(kind, {}, current_user)
    return redirect(url_for("jobs.show", job_id=job.id)), 303
