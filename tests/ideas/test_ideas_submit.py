"""A resident writes an idea in steps, and sends it; every step refuses bad input."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from buurtbegroting.models import (
    CostLine,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    OutboxMessage,
)
from tests.factories import make_district, make_idea, make_plan, make_user
from tests.factories.photos import jpeg_with_gps, png_bytes


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _start(client, place, **overrides):
    data = {
        "title": "Bankjes in het park",
        "summary": "Drie bankjes bij de speeltuin.",
        "description": "Ouderen willen kunnen zitten.\n\n- bank 1\n- bank 2",
        "area_id": place["buurt"].id,
        "group_id": 0,
        "submission_key": "key-1",
    }
    data.update(overrides)
    return client.post("/ideeen/nieuw", data=data)


def _costs(client, idea_id, lines, destination="budget_round"):
    data = {"destination": destination, "submit": "1"}
    for i, (item, amount) in enumerate(lines):
        data[f"lines-{i}-item"] = item
        data[f"lines-{i}-amount"] = amount
    return client.post(f"/ideeen/{idea_id}/stap/3", data=data)


def test_resident_writes_and_sends_an_idea_in_steps(client, db, login, place, app):
    login(place["resident"])
    assert client.get("/ideeen/nieuw").status_code == 200
    response = _start(client, place)
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert idea.status == IdeaStatus.DRAFT and idea.area_id == place["buurt"].id
    assert response.headers["Location"].endswith(f"/ideeen/{idea.id}/stap/2")

    spearhead = place["spearheads"][0]
    assert (
        client.post(f"/ideeen/{idea.id}/stap/2", data={"spearhead_ids": [spearhead.id]}).status_code
        == 302
    )
    assert (
        _costs(client, idea.id, [("Bankjes", "1.250,50"), ("Plaatsen", "2000")]).status_code == 302
    )
    response = client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={
            "photos": [(io.BytesIO(jpeg_with_gps()), "bank.jpg")],
            "location_text": "Speeltuin Molenstraat",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.get(f"/ideeen/{idea.id}/controleren").status_code == 200
    response = client.post(f"/ideeen/{idea.id}/indienen")
    assert response.status_code == 302

    db.session.refresh(idea)
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.requested_cents == 325050
    assert [s.id for s in idea.spearheads] == [spearhead.id]
    assert idea.location_text == "Speeltuin Molenstraat"
    assert len(idea.photos) == 1
    assert [c.to_status for c in idea.status_changes] == [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED]
    mail = db.session.scalars(select(OutboxMessage)).all()
    assert len(mail) == 1 and mail[0].recipient == place["resident"].email
    assert "Ingediend" in mail[0].body and f"/ideeen/{idea.id}" in mail[0].body

    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Bankjes in het park" in page and "<li>bank 1</li>" in page
    assert "€ 3.250,50" in page or "€\xa03.250,50" in page


def test_a_form_sent_twice_makes_one_idea(client, db, login, place):
    login(place["resident"])
    first = _start(client, place, submission_key="same-key")
    second = _start(client, place, submission_key="same-key")
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(db, Idea) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "Geef uw idee een titel."),
        ("title", "x" * 10_000, "Gebruik hoogstens 120 tekens."),
        ("summary", "y" * 201, "Gebruik hoogstens 200 tekens."),
        ("description", "z" * 10_001, "Gebruik hoogstens 10000 tekens."),
        ("area_id", 999_999, "Kies een gebied uit de lijst."),
        ("area_id", "abc", "Kies een gebied uit de lijst."),
        ("group_id", 12345, "Kies een groep uit de lijst."),
    ],
)
def test_step_one_refuses_bad_input_and_keeps_what_was_typed(
    client, db, login, place, field, value, message
):
    login(place["resident"])
    response = _start(client, place, **{field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if field != "title":
        assert 'value="Bankjes in het park"' in page
    assert _count(db, Idea) == 0


def test_script_in_text_fields_is_shown_as_text(client, db, login, place):
    login(place["resident"])
    idea = make_idea(
        place["buurt"],
        place["resident"],
        title="<script>alert(1)</script>",
        summary="<b>vet</b>",
        description="<img src=x onerror=alert(1)>",
    )
    db.session.commit()
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert (
        "<script>alert(1)</script>" not in page
        and "<b>vet</b>" not in page
        and "<img src=x" not in page
    )
    assert "&lt;script&gt;" in page


def test_theme_must_come_from_the_area_plan_or_be_described(client, db, login, place):
    other_plan = make_plan(make_district(name="Elders"), spearheads=("Elders",))
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    foreign = client.post(
        f"/ideeen/{idea.id}/stap/2", data={"spearhead_ids": [other_plan.spearheads[0].id]}
    )
    assert foreign.status_code == 422
    assert "Kies speerpunten uit de lijst van dit gebied." in foreign.get_data(as_text=True)
    nothing = client.post(f"/ideeen/{idea.id}/stap/2", data={})
    assert nothing.status_code == 422
    assert "Kies minstens één speerpunt, of beschrijf uw eigen thema." in nothing.get_data(
        as_text=True
    )
    own = client.post(f"/ideeen/{idea.id}/stap/2", data={"own_theme": "Muziek in de wijk"})
    assert own.status_code == 302
    db.session.refresh(idea)
    assert idea.own_theme == "Muziek in de wijk" and idea.spearheads == []


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("Verf", "-50")], "Het bedrag kan niet negatief zijn."),
        ([("Verf", "99999999999")], "Dit bedrag is te groot voor één regel."),
        ([("Verf", "veel")], "Schrijf het bedrag in euro's, zoals 1250,50."),
        ([("Verf", "0")], "Het bedrag moet meer dan 0 zijn."),
        ([("", "25")], "Zeg waar dit bedrag voor is."),
        ([("Verf", "")], "Vul het bedrag in."),
    ],
)
def test_cost_lines_refuse_bad_amounts_and_keep_the_old_lines(
    client, db, login, place, lines, message
):
    idea = make_idea(
        place["buurt"], place["resident"], status=IdeaStatus.DRAFT, costs=(("Hout", 10_000),)
    )
    db.session.commit()
    login(place["resident"])
    response = _costs(client, idea.id, lines)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.refresh(idea)
    assert [(c.item, c.amount_cents) for c in idea.cost_lines] == [("Hout", 10_000)]


def test_more_rows_button_adds_rows_without_saving(client, db, login, place):
    idea = make_idea(
        place["buurt"], place["resident"], status=IdeaStatus.DRAFT, costs=(("Hout", 10_000),)
    )
    db.session.commit()
    login(place["resident"])
    data = {
        "destination": "budget_round",
        "add_rows": "1",
        "lines-0-item": "Nieuw",
        "lines-0-amount": "5",
    }
    response = client.post(f"/ideeen/{idea.id}/stap/3", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Nieuw"' in page and 'name="lines-7-item"' in page
    db.session.refresh(idea)
    assert [c.item for c in idea.cost_lines] == ["Hout"]


def test_photos_are_reencoded_without_metadata_and_resized(client, db, login, place, app):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    response = client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={
            "photos": [(io.BytesIO(jpeg_with_gps()), "a.jpg"), (io.BytesIO(png_bytes()), "b.png")]
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    photos = db.session.scalars(select(IdeaPhoto).order_by(IdeaPhoto.position)).all()
    assert [Path(p.filename).suffix for p in photos] == [".jpg", ".png"]
    folder = Path(app.config["UPLOAD_FOLDER"]) / "ideas"
    with Image.open(folder / photos[0].filename) as stored:
        assert max(stored.size) == 1600
        assert dict(stored.getexif()) == {}
    assert b"Camera BV" not in (folder / photos[0].filename).read_bytes()
    served = client.get(f"/ideeen/{idea.id}/fotos/{photos[0].id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    served.close()


@pytest.mark.parametrize(
    ("payload", "name", "message"),
    [
        (b"dit is gewoon tekst", "foto.jpg", "Dit bestand is geen foto die we kunnen lezen."),
        (b"GIF89a" + b"\x00" * 100, "foto.gif", "Dit bestand is geen foto die we kunnen lezen."),
        (
            b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024),
            "groot.jpg",
            "Dit bestand is groter dan 10 MB.",
        ),
    ],
)
def test_bad_uploads_are_refused_and_leave_nothing_behind(
    client, db, login, place, app, payload, name, message
):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    folder = Path(app.config["UPLOAD_FOLDER"]) / "ideas"
    before = set(folder.iterdir()) if folder.exists() else set()
    response = client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={
            "photos": [(io.BytesIO(payload), name)],
            "location_text": "Bij de kerk",
            "people_involved": "De buren",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Bij de kerk"' in page and "De buren" in page
    assert _count(db, IdeaPhoto) == 0
    after = set(folder.iterdir()) if folder.exists() else set()
    assert after == before
    db.session.refresh(idea)
    assert idea.location_text is None


def test_a_fifty_megabyte_upload_gets_a_clear_message_not_an_error_page(client, db, login, place):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    response = client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={
            "photos": [(io.BytesIO(b"\x89PNG" + b"\x00" * (50 * 1024 * 1024)), "enorm.png")],
            "location_text": "Plein",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "groter dan 10 MB" in response.get_data(as_text=True)


def test_at_most_five_photos(client, db, login, place):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    files = [(io.BytesIO(png_bytes()), f"{i}.png") for i in range(6)]
    response = client.post(
        f"/ideeen/{idea.id}/stap/4", data={"photos": files}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "hoogstens 5 foto" in response.get_data(as_text=True)
    assert _count(db, IdeaPhoto) == 0


def test_removing_a_photo_deletes_its_files(client, db, login, place, app):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={"photos": [(io.BytesIO(png_bytes()), "a.png")]},
        content_type="multipart/form-data",
    )
    photo = db.session.scalar(select(IdeaPhoto))
    photo_id, filename = photo.id, photo.filename
    folder = Path(app.config["UPLOAD_FOLDER"]) / "ideas"
    assert (folder / filename).exists()
    client.post(
        f"/ideeen/{idea.id}/stap/4",
        data={"remove_photo_ids": [photo_id]},
        content_type="multipart/form-data",
    )
    assert _count(db, IdeaPhoto) == 0
    assert not (folder / filename).exists()


@pytest.mark.parametrize(
    ("destination", "costs", "message"),
    [
        ("budget_round", (("Bank", 250_000),), "kosten minstens"),
        ("cheques", (("Feest", 600_000),), "kosten hoogstens"),
    ],
)
def test_submission_checks_the_rules_of_the_destination(
    client, db, login, place, destination, costs, message
):
    idea = make_idea(
        place["buurt"],
        place["resident"],
        status=IdeaStatus.DRAFT,
        costs=costs,
        destination=destination,
        own_theme="Eigen",
    )
    db.session.commit()
    login(place["resident"])
    response = client.post(f"/ideeen/{idea.id}/indienen", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.DRAFT


def test_only_the_author_edits_and_only_while_a_draft(client, db, login, place):
    idea = make_idea(place["buurt"], place["resident"], status=IdeaStatus.DRAFT)
    stranger = make_user()
    db.session.commit()
    login(stranger)
    assert client.get(f"/ideeen/{idea.id}/stap/1").status_code in (403, 404)
    assert client.get(f"/ideeen/{idea.id}").status_code == 404  # drafts are private
    login(place["resident"])
    assert client.get(f"/ideeen/{idea.id}/stap/1").status_code == 200
    idea.status = IdeaStatus.SUBMITTED
    db.session.commit()
    assert client.get(f"/ideeen/{idea.id}/stap/1").status_code == 403
    assert client.post(f"/ideeen/{idea.id}/indienen").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db, place):
    idea = make_idea(place["buurt"], place["resident"])
    db.session.commit()
    for url in ("/ideeen/nieuw", f"/ideeen/{idea.id}/stap/1", "/mijn-ideeen"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_group_coordinator_submits_for_the_group(client, db, login, place):
    from tests.factories import make_group

    group = make_group(place["district"], place["resident"], name="Groen Ruwaard")
    db.session.commit()
    login(place["resident"])
    response = _start(client, place, group_id=group.id)
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert idea.group_id == group.id
    page = client.get(f"/ideeen/{idea.id}/controleren").get_data(as_text=True)
    assert "Groen Ruwaard" in page


def test_withdraw_after_confirmation(client, db, login, place):
    idea = make_idea(place["buurt"], place["resident"])
    db.session.commit()
    login(place["resident"])
    assert client.get(f"/ideeen/{idea.id}/intrekken").status_code == 200
    assert client.post(f"/ideeen/{idea.id}/intrekken").status_code == 302
    db.session.refresh(idea)
    assert idea.status == IdeaStatus.WITHDRAWN
    assert client.post(f"/ideeen/{idea.id}/intrekken").status_code == 403


def test_nothing_half_written_when_costs_change(client, db, login, place):
    idea = make_idea(
        place["buurt"], place["resident"], status=IdeaStatus.DRAFT, costs=(("Hout", 10_000),)
    )
    db.session.commit()
    login(place["resident"])
    _costs(client, idea.id, [("Verf", "25"), ("Kwasten", "x")])
    assert _count(db, CostLine) == 1
    assert _count(db, IdeaStatusChange) == 0
