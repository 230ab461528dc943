"""Helpers for tests that start a job from a page."""

from __future__ import annotations


def job_id_of(response) -> int:
    """Return the id of the job a page started (it redirects to the job's page)."""
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert "/beheer/taken/" in location, location
    return int(location.rstrip("/").rsplit("/", 1)[1])


def download_result(client, response):
    """Follow a started job to its page and download its result (the jobs ran immediately)."""
    job_id = job_id_of(response)
    page = client.get(f"/beheer/taken/{job_id}")
    assert page.status_code == 200 and "Download" in page.text or "Downloaden" in page.text, (
        page.text
    )
    return client.post(f"/beheer/taken/{job_id}/download")
