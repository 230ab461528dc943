"""The results people share, on a phone: winners with photos, evaluation pack, override form.

Read-only on the demo's closed round (the override form is only refused, never saved), so
the other browser tests see the demo as it was.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser_voting import (  # noqa: F401  (round_ids is a fixture)
    CLOSED_ROUND,
    LANGS,
    _admin_speaks,
    _log_in_as_admin,
    _Scanner,
    _snap,
    round_ids,
)

TEXT = {
    "nl": {
        "winners": "Deze ideeën krijgen geld",
        "next": "Wat gebeurt er nu?",
        "pack": "Opkomst per buurt",
        "change": "Uitslag aanpassen",
        "reason_error": "Geef de reden.",
        "submit": "Dit idee krijgt geen geld, geef het geld door",
    },
    "en": {
        "winners": "These ideas get money",
        "next": "What happens now?",
        "pack": "Turnout per neighbourhood",
        "change": "Change the result",
        "reason_error": "Give the reason.",
        "submit": "Do not fund this idea and move the money on",
    },
}


@pytest.mark.parametrize("lang", LANGS)
def test_results_pack_and_override_form_on_a_phone(
    new_phone_context,
    axe_source,
    live_app,
    round_ids,  # noqa: F811
    lang,
):
    t = TEXT[lang]
    closed_id = round_ids[CLOSED_ROUND]
    page = new_phone_context(lang, bypass_csp=True).new_page()
    scan = _Scanner(page, axe_source)

    page.goto(f"/rondes/{closed_id}/uitslag")
    expect(page.get_by_role("heading", name=t["winners"]).first).to_be_visible()
    expect(page.locator("main")).to_contain_text(t["next"])
    expect(page.locator(".winner-list li").first).to_be_visible()
    assert page.locator('meta[property="og:description"]').get_attribute("content")
    assert (
        page.locator('meta[property="og:url"]')
        .get_attribute("content")
        .endswith(f"/rondes/{closed_id}/uitslag")
    )
    scan("results")
    _snap(page, f"{lang}-shared-results")
    poster = page.locator("a[href$='poster.pdf']").first.get_attribute("href")
    answer = page.request.get(poster)
    assert answer.status == 200 and answer.body().startswith(b"%PDF")

    page.goto(f"/rondes/{closed_id}/evaluatie")
    expect(page.get_by_role("heading", name=t["pack"])).to_be_visible()
    scan("evaluation pack")
    _snap(page, f"{lang}-evaluation-pack")

    with _admin_speaks(live_app, lang):
        _log_in_as_admin(page)
        page.goto(f"/beheer/rondes/{closed_id}")
        page.get_by_role("link", name=t["change"]).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(t["change"])
        scan("override form")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name=t["submit"]).click()
        assert posted.value.status == 422
        expect(page.locator("main")).to_contain_text(t["reason_error"])
        scan("override form with an error")
    scan.assert_clean()
