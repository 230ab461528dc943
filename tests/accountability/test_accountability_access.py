"""Who may see what: receipts and bank details by direct URL, the municipality's pages, unfunded ideas."""

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import Expense, Funding, IdeaStatus
from tests.factories import make_idea
from tests.factories.accountability import PDF, upload


@pytest.fixture()
def with_receipt(client, login, world, db):
    """The author adds an expense with a receipt and a bank account, then logs out."""
    login(world.author)
    base = f"/verantwoording/idee/{world.idea.id}"
    client.post(base + "/rekening", data={"bank_account": "NL91ABNA0417164300"})
    client.post(
        base + "/uitgaven",
        data={
            "description": "Verf",
            "amount": "10",
            "spent_on": "2026-03-01",
            "receipt": upload(PDF, "b.pdf"),
        },
    )
    client.post("/uitloggen")
    with client.session_transaction() as session:
        session.clear()
    expense = db.session.scalars(select(Expense)).one()
    return f"{base}/uitgaven/{expense.id}/bon"


def _get(client, url):
    response = client.get(url)
    response.close()
    return response


def test_receipt_is_refused_to_everyone_but_initiators_and_the_areas_municipality(
    client, login, world, with_receipt
):
    assert _get(client, with_receipt).status_code == 302  # anonymous: to the login page
    for person, status in [
        (world.stranger, 403),
        (world.other_coordinator, 403),
        (world.reviewer, 403),
        (world.author, 200),
        (world.group_coordinator, 200),
        (world.coordinator, 200),
        (world.admin, 200),
    ]:
        login(person)
        assert _get(client, with_receipt).status_code == status, person


def test_receipt_of_another_idea_cannot_be_reached_through_ones_own_idea(
    client, login, world, db, with_receipt
):
    from tests.factories.accountability import funded_idea

    mine, _funding = funded_idea(world.buurt, world.stranger)
    _db.session.commit()
    login(world.stranger)
    expense_id = with_receipt.rsplit("/", 2)[-2]
    response = client.get(f"/verantwoording/idee/{mine.id}/uitgaven/{expense_id}/bon")
    assert response.status_code == 404


def test_bank_account_is_shown_to_nobody_else(client, login, world, with_receipt):
    pages = [
        f"/ideeen/{world.idea.id}",
        "/verantwoording",
        "/dashboard",
        "/dashboard/verantwoording.csv",
    ]
    for person in (None, world.stranger, world.reviewer, world.other_coordinator):
        if person is not None:
            login(person)
        for page in pages:
            text = client.get(page).get_data(as_text=True)
            assert "4300" not in text and "NL91" not in text, (person, page)
            assert "/bon" not in text, (person, page)
    login(world.coordinator)
    assert "NL91 ABNA 0417 1643 00" in client.get(f"/beheer/verantwoording/{world.idea.id}").text
    login(world.author)
    text = client.get(f"/ideeen/{world.idea.id}").text
    assert "NL91ABNA0417164300" not in text and "4300" in text


def test_workspace_and_its_forms_are_only_for_initiators(client, login, world, db):
    base = f"/verantwoording/idee/{world.idea.id}"
    posts = ["/planning", "/rekening", "/status", "/mijlpalen", "/berichten", "/uitgaven"]
    login(world.stranger)
    assert client.get(base).status_code == 403
    assert client.get(base + "/eindverslag").status_code == 403
    for path in posts:
        assert client.post(base + path, data={}).status_code == 403, path
    # The municipality may look, not write on the initiators' behalf.
    login(world.coordinator)
    assert client.get(base).status_code == 200
    assert (
        client.post(
            base + "/mijlpalen", data={"title": "x", "planned_on": "2026-01-01"}
        ).status_code
        == 403
    )


def test_an_idea_that_is_not_funded_has_no_accountability(client, login, world, db):
    idea = make_idea(world.buurt, world.author, status=IdeaStatus.ACCEPTED)
    db.session.commit()
    login(world.author)
    base = f"/verantwoording/idee/{idea.id}"
    assert client.get(base).status_code == 404
    assert (
        client.post(
            base + "/mijlpalen", data={"title": "x", "planned_on": "2026-01-01"}
        ).status_code
        == 404
    )
    login(world.admin)
    assert client.get(f"/beheer/verantwoording/{idea.id}").status_code == 404
    assert "Verantwoording:" not in client.get(f"/ideeen/{idea.id}").text


def test_private_report_photos_are_hidden_until_approved(client, login, world, db):
    from tests.factories.accountability import png_bytes

    login(world.author)
    client.post(
        f"/verantwoording/idee/{world.idea.id}/eindverslag",
        data={"text": "Klaar", "save": "1", "photos": [upload(png_bytes(), "p.png")]},
    )
    funding = db.session.get(Funding, world.funding.id)
    photo_id = funding.report.photos[0].id
    own = client.get(f"/verantwoording/foto/{photo_id}")
    assert own.status_code == 200
    own.close()
    login(world.stranger)
    assert client.get(f"/verantwoording/foto/{photo_id}").status_code == 403
    assert client.get("/verantwoording/foto/999999").status_code == 404


def test_coordinator_of_another_area_cannot_manage_this_idea(client, login, world):
    login(world.other_coordinator)
    assert client.get("/beheer/verantwoording/").status_code == 200
    assert "Speeltuin opknappen" not in client.get("/beheer/verantwoording/").text
    base = f"/beheer/verantwoording/{world.idea.id}"
    assert client.get(base).status_code == 403
    for path in ("/uitbetaling", "/terugbetaling", "/beoordeling"):
        assert client.post(base + path, data={}).status_code == 403
