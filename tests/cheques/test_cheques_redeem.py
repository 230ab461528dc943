"""Redeeming cheques on the web: codes typed, scanned and pasted; per-code messages; outcomes."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from buurtbegroting.domain.codes import ALPHABET, check_character
from buurtbegroting.models import Cheque, CodeStatus, Funding, IdeaStatus
from tests.factories.cheques import issue, make_campaign, make_collecting_idea, today

URL = "/cheques/inwisselen"


def _post(client, codes, action="verder", idea=None, paste="", **extra):
    data = {f"codes-{i}": c for i, c in enumerate(codes)}
    data.update({"actie": action, "paste": paste, **extra})
    if idea is not None:
        data["idea_id"] = str(idea.id)
    return client.post(URL, data=data)


def _used(db, idea):
    return db.session.scalar(
        select(func.count(Cheque.id)).where(
            Cheque.idea_id == idea.id, Cheque.status == CodeStatus.USED
        )
    )


def test_qr_link_fills_in_the_code(client, world):
    code = world["codes"][0]
    page = client.get(f"{URL}?code={code}").get_data(as_text=True).replace("\xa0", " ")
    assert f'value="{code}"' in page
    assert "Cheques geven" in page and "Nog een code toevoegen" in page
    assert 'autocapitalize="characters"' in page and 'aria-live="polite"' in page


def test_add_another_code_without_javascript_keeps_the_codes(client, world):
    first = world["codes"][0]
    page = _post(client, [first], action="meer").get_data(as_text=True).replace("\xa0", " ")
    assert f'value="{first}"' in page
    assert 'name="codes-1" value=""' in page and "autofocus" in page


def test_give_three_codes_to_an_initiative_step_by_step(client, db, world):
    idea, codes = world["idea"], world["codes"][:3]
    choose = _post(client, codes).get_data(as_text=True).replace("\xa0", " ")
    assert "Kies een initiatief" in choose and idea.title in choose
    assert "Geldige cheques: 3 (€ 22,50)" in choose
    confirm = (
        _post(client, codes, action="kies", idea=idea).get_data(as_text=True).replace("\xa0", " ")
    )
    assert "U geeft 3 cheques ter waarde van € 22,50" in confirm
    done = _post(client, codes, action="bevestig", idea=idea)
    assert done.status_code == 200
    text = done.get_data(as_text=True).replace("\xa0", " ")
    assert "Bedankt!" in text and "Cheques gegeven aan" in text
    db.session.refresh(idea)
    assert idea.collected_cents == 2_250 and _used(db, idea) == 3
    assert 'max="3000" value="2250"' in text


def test_link_from_the_initiative_skips_choosing(client, world):
    idea, code = world["idea"], world["codes"][0]
    page = (
        client.get(f"{URL}?code={code}&idee={idea.id}").get_data(as_text=True).replace("\xa0", " ")
    )
    assert f'name="idea_id" value="{idea.id}"' in page
    confirm = _post(client, [code], idea=idea).get_data(as_text=True).replace("\xa0", " ")
    assert "Controleer en geef" in confirm


def test_each_bad_code_gets_its_own_message_and_the_good_ones_go_through(client, db, world):
    idea, codes = world["idea"], world["codes"]
    other = make_campaign(
        count=1, name="Najaar 2026", activation_ends_on=today() - timedelta(days=1)
    )
    expired = issue(other)[0]
    db.session.commit()
    typo = codes[1][:-1] + ("0" if codes[1][-1] != "0" else "1")
    typed = [codes[0], "ABC", typo, codes[0], expired, codes[2]]
    page = (
        _post(client, typed, action="bevestig", idea=idea)
        .get_data(as_text=True)
        .replace("\xa0", " ")
    )
    assert "Een code heeft 13 tekens" in page
    assert "tikfout" in page
    assert "Deze code heeft u twee keer ingevuld." in page
    assert "Deze cheque is verlopen" in page
    db.session.refresh(idea)
    assert idea.collected_cents == 1_500 and _used(db, idea) == 2


def test_a_replayed_form_gives_nothing_twice(client, db, world):
    idea, codes = world["idea"], world["codes"][:2]
    assert _post(client, codes, action="bevestig", idea=idea).status_code == 200
    again = _post(client, codes, action="bevestig", idea=idea)
    assert again.status_code == 200
    assert "Deze cheque is al aan dit initiatief gegeven." in again.get_data(as_text=True).replace(
        "\xa0", " "
    )
    db.session.refresh(idea)
    assert idea.collected_cents == 1_500


def test_a_used_code_cannot_go_to_another_initiative(client, db, world):
    idea, code = world["idea"], world["codes"][0]
    other = make_collecting_idea(area=world["west"], title="Speeltuin")
    db.session.commit()
    _post(client, [code], action="bevestig", idea=idea)
    page = _post(client, [code], action="bevestig", idea=other)
    assert page.status_code == 422
    assert "Deze cheque is al gebruikt." in page.get_data(as_text=True).replace("\xa0", " ")
    db.session.refresh(other)
    assert other.collected_cents == 0


def test_an_initiative_that_is_not_collecting_gets_no_cheques(client, db, world):
    idea = make_collecting_idea(status=IdeaStatus.SUBMITTED, title="Nog niet goedgekeurd")
    db.session.commit()
    page = _post(client, world["codes"][:1], action="bevestig", idea=idea)
    assert page.status_code == 422
    assert "Dit initiatief zamelt geen cheques in." in page.get_data(as_text=True).replace(
        "\xa0", " "
    )
    assert (
        db.session.scalar(select(func.count(Cheque.id)).where(Cheque.status == CodeStatus.USED))
        == 0
    )


def test_target_is_never_passed_by_more_than_the_last_cheque(client, db, world):
    idea = make_collecting_idea(target_cents=2_000, area=world["east"], title="Bankje")
    db.session.commit()
    codes = world["codes"][:5]
    page = (
        _post(client, codes, action="bevestig", idea=idea)
        .get_data(as_text=True)
        .replace("\xa0", " ")
    )
    db.session.refresh(idea)
    # 3 cheques of 7.50 reach 20.00 (22.50); the other two stay valid.
    assert idea.collected_cents == 2_250 and _used(db, idea) == 3
    assert page.count("Niet nodig: het initiatief heeft zijn doel bereikt.") == 2
    assert idea.status == IdeaStatus.FUNDED
    funding = db.session.scalar(select(Funding).where(Funding.idea_id == idea.id))
    assert funding.amount_cents == 2_250 and funding.source.value == "cheques"
    assert "Doel bereikt!" in client.get(f"/ideeen/{idea.id}").get_data(as_text=True).replace(
        "\xa0", " "
    )
    left = _post(client, codes[3:], action="bevestig", idea=world["idea"])
    assert left.status_code == 200


def test_a_funded_initiative_accepts_no_more_cheques(client, db, world):
    idea = make_collecting_idea(target_cents=750, area=world["east"], title="Klein")
    db.session.commit()
    _post(client, world["codes"][:1], action="bevestig", idea=idea)
    page = _post(client, world["codes"][1:2], action="bevestig", idea=idea)
    assert "heeft zijn doel bereikt en neemt geen cheques meer aan" in page.get_data(
        as_text=True
    ).replace("\xa0", " ")


def test_five_hundred_pasted_codes_with_some_invalid(client, db, world, app):
    campaign = make_campaign(count=480, name="Groot")
    codes = issue(campaign)
    idea = make_collecting_idea(target_cents=500_000, area=world["east"], title="Groot plan")
    db.session.commit()
    pasted = list(codes)
    pasted[10] = "NOT-A-CODE"
    pasted[20] = pasted[21]
    pasted += ["0000-0000-0000" + str(i % 10) for i in range(20)]
    assert len(pasted) == 500
    response = _post(client, [], action="bevestig", idea=idea, paste="\n".join(pasted))
    assert response.status_code == 200
    db.session.refresh(idea)
    assert _used(db, idea) == 478
    assert idea.collected_cents == 478 * 750


def test_code_of_a_campaign_for_another_area_is_refused(client, db, world):
    scoped = make_campaign(
        count=1, name="Alleen Lith", areas=[world["other_coordinator"].coordinated_areas[0]]
    )
    code = issue(scoped)[0]
    db.session.commit()
    page = _post(client, [code], action="bevestig", idea=world["idea"])
    assert "kan alleen gegeven worden aan initiatieven in: Lith" in page.get_data(
        as_text=True
    ).replace("\xa0", " ")


def test_rate_limit_after_thirty_unknown_codes(client, db, world):
    fakes = []
    n = 0
    while len(fakes) < 35:
        data = f"{n:012d}".replace("0", "A")[:12]
        data = "".join(ALPHABET[(int(ch, 36) + n) % 32] for ch in data)
        fakes.append(data + check_character(data))
        n += 1
    response = _post(client, fakes)
    assert response.status_code == 429
    text = response.get_data(as_text=True).replace("\xa0", " ")
    assert text.count("Deze code kennen we niet.") == 30
    assert "Niet gecontroleerd: er zijn te veel onbekende codes ingevuld." in text
    good = _post(client, world["codes"][:1])
    assert "Niet gecontroleerd" in good.get_data(as_text=True).replace("\xa0", " ")


def test_instant_check_answers_in_json(client, world):
    good = client.post("/cheques/controleren", data={"code": world["codes"][0].lower()})
    assert good.json["ok"] is True and "Geldige cheque van €\xa07,50" in good.json["message"]
    bad = client.post("/cheques/controleren", data={"code": "ABCD"})
    assert bad.json["ok"] is False and bad.json["status"] == "length"


def test_no_code_at_all_asks_for_one(client, world):
    page = _post(client, [""])
    assert page.status_code == 422
    assert "Vul de code van ten minste één cheque in." in page.get_data(as_text=True).replace(
        "\xa0", " "
    )


def test_pages_have_no_inline_script_or_style(client, world):
    page = client.get(URL).get_data(as_text=True).replace("\xa0", " ")
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "style=" not in page and "<style" not in page
    idea_page = (
        client.get(f"/ideeen/{world['idea'].id}").get_data(as_text=True).replace("\xa0", " ")
    )
    assert "<progress" in idea_page and "style=" not in idea_page


def test_ten_thousand_random_codes_find_no_valid_cheque(db, world):
    from buurtbegroting.cheques import services
    from buurtbegroting.domain.codes import generate_code

    big = make_campaign(count=2_000, name="Groot")
    issue(big)
    db.session.commit()
    guesses = [generate_code() for _ in range(10_000)]
    results, blocked = services.check_codes(
        guesses, client_key=None, today=today(), max_codes=10_000
    )
    assert not blocked and len(results) == 10_000
    assert {r.status for r in results} == {"unknown"}
