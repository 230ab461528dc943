"""Results people share: paper and online turnout, a recorded override, poster and Open Graph."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import (
    AuditEntry,
    Funding,
    IdeaPhoto,
    IdeaStatus,
    ResultOverride,
    Role,
    RoundArea,
)
from buurtbegroting.rounds import closing, services
from tests.factories import make_user
from tests.factories.rounds import issue_codes, make_round, put_on_ballot
from tests.printing.helpers import scanned_links


def _vote(round_area, items, n, *, paper=False):
    for text in issue_codes(round_area, n):
        code = services.find_code(round_area.round, text)
        services.cast_ballot(round_area, {item.id: 1 for item in items}, code=code, is_paper=paper)


@pytest.fixture()
def closed(db):
    round_ = make_round(phase="voting", max_choices=3)
    ra = round_.areas[0]
    a, b, c, d = put_on_ballot(ra, [600_000, 500_000, 300_000, 200_000])
    _vote(ra, [a, c], 5)
    _vote(ra, [b], 3)
    _vote(ra, [b], 1, paper=True)
    _vote(ra, [d], 2, paper=True)
    admin = make_user(role=Role.ADMIN)
    db.session.flush()
    closing.close_round(round_, admin, "Storing")
    db.session.commit()
    return {"round": round_, "ra": ra, "items": (a, b, c, d), "admin": admin}


def _override_url(closed):
    return f"/beheer/rondes/{closed['round'].id}/gebieden/{closed['ra'].id}/uitslag-aanpassen"


def test_turnout_counts_online_and_paper_apart_and_together(client, closed):
    round_, ra = closed["round"], closed["ra"]
    page = client.get(f"/rondes/{round_.id}/uitslag").get_data(as_text=True)
    assert "Online: 8, op papier: 3, samen: 11." in page
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/rondes/{round_.id}/uitslag/{ra.id}.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert {(r["ballots_online"], r["ballots_paper"], r["ballots_total"]) for r in rows} == {
        ("8", "3", "11")
    }
    data = client.get(f"/api/v1/rounds/{round_.id}").get_json()["data"]
    result = data["areas"][0]["result"]
    assert (result["ballots_online"], result["ballots_paper"], result["ballot_count"]) == (8, 3, 11)


def test_an_administrator_overrides_a_winner_and_the_money_moves_on(client, db, login, closed):
    a, b, c, d = closed["items"]
    ra = closed["ra"]
    computed = dict(ra.result)
    login(closed["admin"])
    assert client.get(_override_url(closed)).status_code == 200
    done = client.post(
        _override_url(closed),
        data={"idea_id": a.idea_id, "reason": "De grond is niet van de gemeente."},
    )
    assert done.status_code == 302
    db.session.expire_all()
    ra = db.session.get(RoundArea, ra.id)
    assert ra.result == computed  # the computed outcome stays stored
    row = db.session.scalar(select(ResultOverride))
    # Without A, greedy takes C, B, D; C stays, B and D fit in the 7,000 that came free.
    assert row.replacement_idea_ids == [b.idea_id, d.idea_id]
    assert row.result["selected"] == [str(c.idea_id), str(b.idea_id), str(d.idea_id)]
    assert a.idea.status == IdeaStatus.NOT_FUNDED
    assert {f.idea_id for f in db.session.scalars(select(Funding))} == {
        c.idea_id,
        b.idea_id,
        d.idea_id,
    }
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "round.winner_overridden")
    )
    assert entry.after["reason"] == "De grond is niet van de gemeente."
    page = client.get(f"/rondes/{ra.round_id}/uitslag").get_data(as_text=True)
    assert "Aangepast na het tellen" in page and "De grond is niet van de gemeente." in page
    assert "Wordt niet uitgevoerd" in page and "Gekozen" in page
    rows = {
        r["idea_id"]: r
        for r in csv.DictReader(
            io.StringIO(
                client.get(f"/rondes/{ra.round_id}/uitslag/{ra.id}.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            ),
            delimiter=";",
        )
    }
    assert rows[str(a.idea_id)]["selected"] == "1" and rows[str(a.idea_id)]["funded"] == "0"
    assert rows[str(a.idea_id)]["override_reason"] == "De grond is niet van de gemeente."
    assert rows[str(b.idea_id)]["selected"] == "0" and rows[str(b.idea_id)]["funded"] == "1"
    api = client.get(f"/api/v1/rounds/{ra.round_id}").get_json()["data"]["areas"][0]["result"]
    assert api["selected"] == computed["selected"]
    assert api["overrides"][0]["replaced_by"] == [b.idea_id, d.idea_id]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Niet haalbaar"}, "Kies het idee"),
        ({"idea_id": "x", "reason": "Niet haalbaar"}, "Kies het idee"),
        ({"reason": "   "}, "Geef de reden"),
        ({"reason": "a" * 1001}, "1000"),
        ({"reason": "niet\x00haalbaar"}, "onzichtbare tekens"),
    ],
)
def test_an_override_refuses_bad_input_at_the_field(client, db, login, closed, data, message):
    login(closed["admin"])
    a = closed["items"][0]
    data = (
        {"idea_id": a.idea_id, **data}
        if "idea_id" not in data and message != "Kies het idee"
        else data
    )
    answer = client.post(_override_url(closed), data=data)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert db.session.scalar(select(ResultOverride)) is None


def test_only_a_winner_can_be_overridden_and_only_once(client, db, login, closed):
    a, b = closed["items"][:2]
    login(closed["admin"])
    loser = client.post(_override_url(closed), data={"idea_id": b.idea_id, "reason": "x"})
    assert loser.status_code == 422
    first = client.post(_override_url(closed), data={"idea_id": a.idea_id, "reason": "x"})
    assert first.status_code == 302
    again = client.post(_override_url(closed), data={"idea_id": a.idea_id, "reason": "x"})
    assert again.status_code == 422
    assert len(db.session.scalars(select(ResultOverride)).all()) == 1


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REVIEWER, Role.RESIDENT])
def test_only_administrators_override(client, db, login, closed, role):
    login(make_user(role=role))
    _db.session.commit()
    answer = client.post(
        _override_url(closed), data={"idea_id": closed["items"][0].idea_id, "reason": "x"}
    )
    assert answer.status_code in (302, 403)
    assert db.session.scalar(select(ResultOverride)) is None


def test_an_open_round_cannot_be_overridden(client, db, login):
    round_ = make_round(phase="voting")
    ra = round_.areas[0]
    admin = make_user(role=Role.ADMIN)
    db.session.commit()
    login(admin)
    assert (
        client.get(f"/beheer/rondes/{round_.id}/gebieden/{ra.id}/uitslag-aanpassen").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("lang", "phrase"), [("nl", "Deze ideeën krijgen geld"), ("en", "These ideas get money")]
)
def test_poster_is_an_a4_pdf_with_the_winners_and_a_link(app, client, closed, lang, phrase):
    round_, ra = closed["round"], closed["ra"]
    client.set_cookie("lang", lang)
    answer = client.get(
        f"/rondes/{round_.id}/uitslag/{ra.id}/poster.pdf", headers={"Accept-Language": lang}
    )
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.data))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
    text = "".join(p.extract_text() for p in reader.pages)
    assert ra.area.name in text and phrase in text
    a, _, c, _ = closed["items"]
    assert a.idea.title in text and c.idea.title in text
    assert f"/rondes/{round_.id}/uitslag#res-{ra.id}" in text.replace("\n", "")
    assert b"/JavaScript" not in answer.data and b"/Subtype /Image" not in answer.data
    # The QR code is drawn as vectors and scans to the area on the results page.
    base = app.config["BASE_URL"]
    assert scanned_links(answer.data) == [f"{base}/rondes/{round_.id}/uitslag#res-{ra.id}"]


def test_results_page_has_open_graph_tags_naming_area_and_winners(
    app, db, client, closed, monkeypatch
):
    round_, ra = closed["round"], closed["ra"]
    monkeypatch.setitem(app.config, "BASE_URL", "https://stem.example.nl")
    winner = closed["items"][2].idea
    photo = IdeaPhoto(idea_id=winner.id, filename="winnaar.jpg", width=800, height=600)
    db.session.add(photo)
    db.session.commit()
    page = client.get(f"/rondes/{round_.id}/uitslag").get_data(as_text=True)
    a, _, c, _ = closed["items"]
    assert (
        f'<meta property="og:url" content="https://stem.example.nl/rondes/{round_.id}/uitslag">'
        in page
    )
    description = page.split('property="og:description" content="', 1)[1].split('"', 1)[0]
    assert ra.area.name in description
    assert a.idea.title in description and c.idea.title in description
    assert 'property="og:title"' in page and "Wat gebeurt er nu?" in page
    # The chosen ideas are shown with their photo.
    winners = page.split('class="winner-list"', 1)[1].split("</ul>", 1)[0]
    assert f'src="/ideeen/{winner.id}/fotos/{photo.id}?klein=1"' in winners


def test_the_shared_link_ignores_the_host_the_request_names(app, client, closed, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://stem.example.nl")
    page = client.get(
        f"/rondes/{closed['round'].id}/uitslag", headers={"Host": "evil.example"}
    ).get_data(as_text=True)
    url = f"https://stem.example.nl/rondes/{closed['round'].id}/uitslag"
    assert f'<meta property="og:url" content="{url}">' in page and "evil.example" not in page


def test_an_override_under_equal_shares_funds_only_what_fits(db, closed_equal_shares):
    from buurtbegroting.rounds.results.overrides import effective_winners, override_winner
    from buurtbegroting.tally import parse_pb, tally
    from buurtbegroting.tally.engine import ROUND_RULES

    ra, admin = closed_equal_shares["ra"], closed_equal_shares["admin"]
    computed = list(ra.result["selected"])
    assert computed
    removed = computed[0]
    row = override_winner(ra, int(removed), "Niet haalbaar", admin)
    db.session.commit()
    # The recount is the engine's outcome on the published file without the idea.
    election = parse_pb(ra.pb_file)
    del election.projects[removed]
    for ballot in election.ballots:
        ballot.choices = [pid for pid in ballot.choices if pid != removed]
    expected = tally(election, tie_break="cheaper", **ROUND_RULES["equal_shares"]["tally"])
    assert row.result["selected"] == expected.selected
    assert {str(i) for i in row.replacement_idea_ids} <= set(expected.selected)
    funded = effective_winners(ra, [row])
    cost = {str(i.idea_id): i.cost_cents for i in ra.items}
    assert removed not in funded and sum(cost[pid] for pid in funded) <= ra.budget_cents


@pytest.fixture()
def closed_equal_shares(db):
    from buurtbegroting.models import OutcomeRule

    round_ = make_round(phase="voting", max_choices=3, rule=OutcomeRule.EQUAL_SHARES)
    ra = round_.areas[0]
    a, b, c, d = put_on_ballot(ra, [600_000, 500_000, 300_000, 200_000])
    _vote(ra, [a, c], 5)
    _vote(ra, [b, d], 4)
    _vote(ra, [d], 2)
    admin = make_user(role=Role.ADMIN)
    db.session.flush()
    closing.close_round(round_, admin, "Storing")
    db.session.commit()
    return {"ra": ra, "admin": admin}
