"""A job's page in Chromium: the script moves the bar without reloading, then shows the end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from buurtbegroting.extensions import db
from buurtbegroting.models import Job, JobState, User
from tests.factories.jobs import make_running_job

pytestmark = pytest.mark.browser

ADMIN_EMAIL, ADMIN_PASSWORD = "beheerder@buurtbegroting.nl", "demo-beheerder"


def _set(live_app, job_id: int, **values) -> None:
    with live_app.app_context():
        db.session.execute(update(Job).where(Job.id == job_id).values(**values))
        db.session.commit()


def test_the_progress_bar_follows_the_job_and_the_page_shows_its_end(live_app, new_phone_context):
    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
        job = make_running_job(admin, 10, 100, "Datums controleren")
        db.session.commit()
        job_id = job.id
    page = new_phone_context("nl").new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/inloggen")
    page.locator("#email").fill(ADMIN_EMAIL)
    page.locator("#password").fill(ADMIN_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"/beheer/taken/{job_id}")
    bar = page.locator("progress#job-progress")
    expect(bar).to_have_attribute("value", "10")
    page.evaluate("window.notReloaded = true")
    _set(live_app, job_id, progress_done=60, message="Bijna klaar")
    # The script moves the bar and the words without loading the page again.
    expect(page.locator(".job-count")).to_contain_text("60", timeout=5000)
    expect(page.locator("label[for=job-progress]")).to_have_text("Bijna klaar")
    assert page.evaluate("window.notReloaded === true")
    _set(live_app, job_id, state=JobState.FAILED, error="De server was weg.")
    # When the job ends, the page loads again and says why it failed.
    expect(page.locator("[role=alert]")).to_contain_text("De server was weg.", timeout=5000)
    assert page.evaluate("window.notReloaded === undefined")
    expect(page.get_by_role("button", name=re.compile("Opnieuw starten"))).to_be_visible()
    assert errors == []
