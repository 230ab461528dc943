"""Job pages: progress without JavaScript, the result once, failures with their reason, access."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import func, select

from buurtbegroting.jobs import services
from buurtbegroting.models import Job, JobState, Role, VotingCode, utcnow
from tests.factories import make_user
from tests.factories.jobs import make_running_job
from tests.jobs.support import job_id_of


def _count_codes(db) -> int:
    return db.session.scalar(select(func.count(VotingCode.id)))


def _start_codes(client, round_, count="7"):
    return client.post(
        f"/beheer/rondes/{round_.id}/codes",
        data={"round_area_id": round_.areas[0].id, "count": count},
    )


def test_codes_job_from_the_browser_ends_in_a_zip_downloaded_once(
    app, db, client, admin, codes_round
):
    app.config["JOB_CHUNK_SIZE"] = 3
    try:
        job_id = job_id_of(_start_codes(client, codes_round))
    finally:
        app.config["JOB_CHUNK_SIZE"] = 5000
    job = db.session.get(Job, job_id)
    assert job.state == JobState.DONE and job.attempts == 1 and job.is_secret
    page = client.get(f"/beheer/taken/{job_id}")
    assert page.status_code == 200
    assert 'http-equiv="refresh"' not in page.text and "Download once." in page.text
    assert client.get(f"/beheer/taken/{job_id}/status.json").json == {
        "state": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "message": "Making the letters",
        "finished": True,
    }
    download = client.post(f"/beheer/taken/{job_id}/download")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert "stemcodes-" in download.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    rows = list(csv.reader(io.StringIO(archive.read("codes.csv").decode())))
    assert len(rows) == 1 + 7 and _count_codes(db) == 7
    assert archive.read("letters.html").decode().count('<article class="letter">') == 7
    again = client.post(f"/beheer/taken/{job_id}/download", follow_redirects=True)
    assert "can be downloaded once" in again.text
    assert not list(services.result_folder().glob(f"job-{job_id}*"))


def test_a_running_job_page_refreshes_itself_and_shows_its_progress(db, client, admin):
    job = make_running_job(admin, 50, 200, "Making codes", kind="voting_codes")
    db.session.commit()
    page = client.get(f"/beheer/taken/{job.id}")
    assert page.status_code == 200
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.text
    assert '<progress id="job-progress" max="200" value="50">25%</progress>' in page.text
    assert "50 of 200 (25%)" in page.text and "js/job-progress.js" in page.text
    status = client.get(f"/beheer/taken/{job.id}/status.json").json
    assert status["percent"] == 25 and status["finished"] is False


def test_a_failed_job_says_why_and_starting_it_again_makes_nothing_twice(
    app, db, client, admin, codes_round
):
    area = codes_round.areas[0]
    job = services.create_job(
        "voting_codes", {"round_area_id": area.id, "count": 6}, admin, is_secret=True
    )
    db.session.commit()
    # Voting starts before the job runs: the job fails with the reason.
    started = codes_round.voting_opens_at
    codes_round.voting_opens_at = utcnow()
    db.session.commit()
    from buurtbegroting.jobs import runner

    runner.run(job.id)
    page = client.get(f"/beheer/taken/{job.id}")
    assert "The job has failed" in page.text and "Voting has started in this round" in page.text
    assert 'http-equiv="refresh"' not in page.text and _count_codes(db) == 0
    codes_round.voting_opens_at = started
    db.session.commit()
    again = client.post(f"/beheer/taken/{job.id}/opnieuw")
    assert again.status_code == 303
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.state == JobState.DONE and job.attempts == 2 and _count_codes(db) == 6
    # A job that did not fail cannot be started again (no second set of codes).
    twice = client.post(f"/beheer/taken/{job.id}/opnieuw", follow_redirects=True)
    assert "Only a job that failed" in twice.text and _count_codes(db) == 6


def test_cheques_job_from_the_browser(db, client, admin):
    from tests.factories.cheques import make_campaign

    campaign = make_campaign(count=9)
    db.session.commit()
    job_id = job_id_of(client.post(f"/beheer/cheques/{campaign.id}/codes"))
    download = client.post(f"/beheer/taken/{job_id}/download")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    (name,) = [n for n in archive.namelist() if n.endswith(".csv")]
    assert len(archive.read(name).decode().splitlines()) == 1 + 9


def test_routines_run_as_jobs_and_are_listed(db, client, admin):
    response = client.post("/beheer/taken/routine/close_expired")
    job = db.session.get(Job, job_id_of(response))
    assert job.state == JobState.DONE and job.kind == "close_expired"
    listing = client.get("/beheer/taken/")
    assert listing.status_code == 200 and "Expiry of cheques and initiatives" in listing.text
    assert client.post("/beheer/taken/routine/nothing").status_code == 404


def test_round_close_reminders_mail_administrators_and_never_close(db, client, admin, mailbox):
    from tests.factories.rounds import make_round

    round_ = make_round(phase="counting")
    db.session.commit()
    job_id = job_id_of(client.post("/beheer/taken/routine/round_close_reminders"))
    assert db.session.get(Job, job_id).state == JobState.DONE
    assert [m["to"] for m in mailbox.messages] == [admin.email]
    assert round_.name in mailbox.messages[0]["subject"]
    db.session.refresh(round_)
    assert round_.closed_at is None


@pytest.mark.parametrize("who", ["anonymous", "resident", "reviewer", "coordinator"])
def test_others_cannot_see_a_job(db, client, login, people, who):
    job = services.create_job("close_expired", {}, people["admin"])
    db.session.commit()
    if people[who] is not None:
        login(people[who])
    for url in (f"/beheer/taken/{job.id}", f"/beheer/taken/{job.id}/status.json"):
        response = client.get(url)
        expected = 302 if who == "anonymous" else 403
        assert response.status_code == expected, (who, url)
    assert client.post(f"/beheer/taken/{job.id}/download").status_code in (302, 403)


def test_unknown_jobs_and_bad_ids_are_not_found(client, admin):
    assert client.get("/beheer/taken/999999").status_code == 404
    assert client.get("/beheer/taken/999999/status.json").status_code == 404
    assert client.get("/beheer/taken/abc").status_code == 404
    assert client.post("/beheer/taken/999999/opnieuw").status_code == 404


def test_staff_see_their_own_jobs_only(db, client, login):
    coordinator = make_user(role=Role.COORDINATOR)
    other = make_user(role=Role.COORDINATOR)
    db.session.commit()
    own = services.create_job("close_expired", {}, coordinator)
    theirs = services.create_job("close_expired", {}, other)
    db.session.commit()
    login(coordinator)
    assert client.get(f"/beheer/taken/{own.id}").status_code == 200
    assert client.get(f"/beheer/taken/{theirs.id}").status_code == 403
    listing = client.get("/beheer/taken/").text
    assert f"#{own.id}" in listing and f"#{theirs.id}" not in listing
    assert "Routines" not in listing
    assert client.post("/beheer/taken/routine/close_expired").status_code == 403


def test_expired_results_are_deleted(app, db, client, admin, codes_round):
    job_id = job_id_of(_start_codes(client, codes_round, "2"))
    job = db.session.get(Job, job_id)
    path = services.result_path(job)
    assert path is not None
    job.expires_at = utcnow()
    db.session.commit()
    assert services.delete_expired_results() == 1
    db.session.commit()
    assert not path.exists() and db.session.get(Job, job_id).result_file is None
