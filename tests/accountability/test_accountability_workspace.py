"""The initiators' workspace: milestones, updates, expenses with receipts, bank account, report."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import (
    AccountabilityPhoto,
    AuditEntry,
    Expense,
    Funding,
    IdeaStatus,
    Milestone,
    ProgressUpdate,
    ReportStatus,
)
from tests.factories.accountability import PDF, png_bytes, upload


def base(world):
    return f"/verantwoording/idee/{world.idea.id}"


def count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def receipt_files(app):
    folder = Path(app.config["UPLOAD_FOLDER"]) / "receipts"
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def expense_data(**overrides):
    data = {
        "description": "Verf en kwasten",
        "amount": "24,95",
        "spent_on": "2026-03-01",
        "receipt": upload(PDF, "bon.pdf"),
    }
    data.update(overrides)
    return data


def test_author_and_group_coordinator_see_the_workspace(client, login, world):
    for person in (world.author, world.group_coordinator):
        login(person)
        response = client.get(base(world))
        assert response.status_code == 200
        assert "Speeltuin opknappen" in response.text


def test_milestone_added_done_and_removed(client, login, world, db):
    login(world.author)
    response = client.post(
        base(world) + "/mijlpalen", data={"title": "Planten kopen", "planned_on": "01-04-2026"}
    )
    assert response.status_code == 302
    milestone = db.session.scalars(select(Milestone)).one()
    assert milestone.planned_on == date(2026, 4, 1)
    response = client.post(
        base(world) + f"/mijlpalen/{milestone.id}", data={"done_on": "2026-04-02"}
    )
    assert response.status_code == 302
    db.session.refresh(milestone)
    assert milestone.done_on == date(2026, 4, 2)
    client.post(base(world) + f"/mijlpalen/{milestone.id}/verwijderen")
    assert count(db, Milestone) == 0


def test_milestone_sent_twice_is_kept_once(client, login, world, db):
    login(world.author)
    for _ in range(2):
        client.post(
            base(world) + "/mijlpalen", data={"title": "Planten kopen", "planned_on": "2026-04-01"}
        )
    assert count(db, Milestone) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "planned_on": "2026-04-01"}, "Zeg wat de stap is."),
        ({"title": "Kopen", "planned_on": "1 april"}, "Vul een datum in, zoals 31-12-2026."),
        ({"title": "Kopen", "planned_on": "31-02-2026"}, "Vul een datum in, zoals 31-12-2026."),
        ({"title": "Kopen", "planned_on": "01-01-1900"}, "Vul een datum in, zoals 31-12-2026."),
    ],
)
def test_bad_milestone_is_refused_at_the_field(client, login, world, db, data, message):
    login(world.author)
    response = client.post(base(world) + "/mijlpalen", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert count(db, Milestone) == 0


def test_done_date_in_the_future_is_refused(client, login, world, db):
    login(world.author)
    client.post(base(world) + "/mijlpalen", data={"title": "Kopen", "planned_on": "2026-04-01"})
    milestone = db.session.scalars(select(Milestone)).one()
    future = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(base(world) + f"/mijlpalen/{milestone.id}", data={"done_on": future})
    assert response.status_code == 422
    assert "Deze datum ligt in de toekomst." in response.text
    db.session.refresh(milestone)
    assert milestone.done_on is None


def test_expense_with_pdf_receipt_is_stored_privately(app, client, login, world, db):
    login(world.author)
    response = client.post(base(world) + "/uitgaven", data=expense_data())
    assert response.status_code == 302
    expense = db.session.scalars(select(Expense)).one()
    assert expense.amount_cents == 2495
    assert expense.receipt_mimetype == "application/pdf"
    assert expense.receipt_filename in receipt_files(app)
    # Not reachable as a static or photo file.
    assert client.get(f"/static/{expense.receipt_filename}").status_code == 404
    receipt = client.get(base(world) + f"/uitgaven/{expense.id}/bon")
    assert receipt.status_code == 200
    assert receipt.data == PDF
    assert "no-store" in receipt.headers["Cache-Control"]
    assert receipt.headers["Content-Disposition"].startswith("attachment")
    receipt.close()


def test_expense_with_png_receipt_is_re_encoded(client, login, world, db):
    login(world.author)
    response = client.post(
        base(world) + "/uitgaven", data=expense_data(receipt=upload(png_bytes(), "bon.png"))
    )
    assert response.status_code == 302
    expense = db.session.scalars(select(Expense)).one()
    assert expense.receipt_mimetype == "image/png"
    image = client.get(base(world) + f"/uitgaven/{expense.id}/bon")
    assert image.data.startswith(b"\x89PNG")
    image.close()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"description": ""}, "Zeg waarvoor u betaald heeft."),
        ({"amount": ""}, "Vul het bedrag in."),
        ({"amount": "-5"}, "Het bedrag kan niet negatief zijn."),
        ({"amount": "1e9"}, "Schrijf het bedrag in euro"),
        ({"amount": "99999999"}, "Dit bedrag is te groot"),
        ({"amount": "0"}, "Het bedrag moet meer dan 0 zijn."),
        ({"spent_on": "2026/03/01"}, "Vul een datum in, zoals 31-12-2026."),
        (
            {"receipt": upload(b"just text, not a pdf", "bon.pdf")},
            "Dit is geen PDF-, JPEG- of PNG-bestand.",
        ),
        ({"receipt": upload(b"", "bon.pdf")}, "Dit bestand is leeg."),
    ],
)
def test_bad_expense_is_refused_at_the_field_and_keeps_what_was_typed(
    app, client, login, world, db, overrides, message
):
    login(world.author)
    before = receipt_files(app)
    response = client.post(base(world) + "/uitgaven", data=expense_data(**overrides))
    assert response.status_code == 422
    assert message in response.text
    if overrides.get("description") != "":
        assert 'value="Verf en kwasten"' in response.text
    assert count(db, Expense) == 0
    assert receipt_files(app) == before


def test_expense_without_receipt_is_refused(client, login, world, db):
    login(world.author)
    data = expense_data()
    del data["receipt"]
    response = client.post(base(world) + "/uitgaven", data=data)
    assert response.status_code == 422
    assert "Voeg de bon toe" in response.text
    assert count(db, Expense) == 0


def test_a_too_large_receipt_is_refused_and_nothing_is_written(app, client, login, world, db):
    login(world.author)
    before = receipt_files(app)
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    response = client.post(
        base(world) + "/uitgaven", data=expense_data(receipt=upload(big, "groot.pdf"))
    )
    assert response.status_code == 422
    assert "groter dan 10 MB" in response.text
    # A body far over the form's cap is refused before it is read.
    huge = b"%PDF-" + b"0" * (50 * 1024 * 1024)
    response = client.post(
        base(world) + "/uitgaven", data=expense_data(receipt=upload(huge, "groot.pdf"))
    )
    assert response.status_code == 413
    assert count(db, Expense) == 0
    assert receipt_files(app) == before


def test_future_expense_date_is_refused(client, login, world, db):
    login(world.author)
    future = (date.today() + timedelta(days=2)).isoformat()
    response = client.post(base(world) + "/uitgaven", data=expense_data(spent_on=future))
    assert response.status_code == 422
    assert count(db, Expense) == 0


def test_expense_sent_twice_is_kept_once_and_leaves_one_file(app, client, login, world, db):
    login(world.author)
    before = receipt_files(app)
    client.post(base(world) + "/uitgaven", data=expense_data())
    response = client.post(base(world) + "/uitgaven", data=expense_data())
    assert response.status_code == 302
    assert count(db, Expense) == 1
    assert len(receipt_files(app)) == len(before) + 1


def test_script_in_text_fields_is_shown_as_text(client, login, world, db):
    login(world.author)
    client.post(
        base(world) + "/uitgaven", data=expense_data(description="<script>alert(1)</script>")
    )
    client.post(base(world) + "/berichten", data={"text": "<script>alert(2)</script>"})
    page = client.get(f"/ideeen/{world.idea.id}").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)" in page
    assert "&lt;script&gt;alert(2)" in page


def test_deleting_an_expense_removes_its_receipt(app, client, login, world, db):
    login(world.author)
    before = receipt_files(app)
    client.post(base(world) + "/uitgaven", data=expense_data())
    expense = db.session.scalars(select(Expense)).one()
    assert len(receipt_files(app)) == len(before) + 1
    client.post(base(world) + f"/uitgaven/{expense.id}/verwijderen")
    assert count(db, Expense) == 0
    assert receipt_files(app) == before


def test_progress_update_with_photo(app, client, login, world, db):
    login(world.author)
    response = client.post(
        base(world) + "/berichten",
        data={"text": "De eerste planten staan erin.", "photos": [upload(png_bytes(), "a.png")]},
    )
    assert response.status_code == 302
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert len(update.photos) == 1
    photo = client.get(f"/verantwoording/foto/{update.photos[0].id}?klein=1")
    assert photo.status_code == 200
    photo.close()
    client.post(base(world) + "/berichten", data={"text": "De eerste planten staan erin."})
    assert count(db, ProgressUpdate) == 1


def test_bad_update_photo_and_empty_text_are_refused(client, login, world, db):
    login(world.author)
    response = client.post(base(world) + "/berichten", data={"text": ""})
    assert response.status_code == 422
    assert "Schrijf een paar zinnen over de voortgang." in response.text
    response = client.post(
        base(world) + "/berichten",
        data={"text": "Hallo", "photos": [upload(b"not an image", "x.jpg")]},
    )
    assert response.status_code == 422
    assert count(db, ProgressUpdate) == 0
    assert count(db, AccountabilityPhoto) == 0


def test_bank_account_is_checked_stored_and_masked(client, login, world, db):
    login(world.author)
    response = client.post(base(world) + "/rekening", data={"bank_account": "NL91ABNA0417164301"})
    assert response.status_code == 422
    assert "Dit is geen geldig IBAN." in response.text
    assert 'value="NL91ABNA0417164301"' in response.text
    response = client.post(
        base(world) + "/rekening", data={"bank_account": "nl91 abna 0417 1643 00"}
    )
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert funding.bank_account == "NL91ABNA0417164300"
    page = client.get(base(world)).text
    assert "NL91ABNA0417164300" not in page
    assert "1643 00" not in page
    assert "4300" in page
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "funding.bank_account")
    ).one()
    assert "0417" not in str(entry.after)


def test_planned_end_sets_the_report_due_date(client, login, world, db):
    login(world.author)
    response = client.post(base(world) + "/planning", data={"planned_end_on": "2026-09-01"})
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert funding.report_due_on == date(2026, 9, 29)
    response = client.post(base(world) + "/planning", data={"planned_end_on": "morgen"})
    assert response.status_code == 422


def test_status_started_and_done_are_mirrored_to_the_idea(client, login, world, db):
    login(world.author)
    client.post(base(world) + "/status", data={"stap": "gestart"})
    funding = db.session.get(Funding, world.funding.id)
    assert funding.status == ReportStatus.IN_PROGRESS
    assert funding.idea.status == IdeaStatus.IN_PROGRESS
    # The same form sent again: a message, no error, nothing changes.
    response = client.post(base(world) + "/status", data={"stap": "gestart"})
    assert response.status_code == 302
    client.post(base(world) + "/status", data={"stap": "klaar"})
    db.session.expire_all()
    funding = db.session.get(Funding, world.funding.id)
    assert funding.status == ReportStatus.COMPLETED
    assert funding.idea.status == IdeaStatus.COMPLETED
    assert client.post(base(world) + "/status", data={"stap": "iets"}).status_code == 400


def test_report_draft_then_sent_freezes_the_workspace(client, login, world, db):
    login(world.author)
    response = client.post(
        base(world) + "/eindverslag",
        data={"text": "Het ging goed.", "participants": "40", "save": "1"},
    )
    assert response.status_code == 302
    funding = db.session.get(Funding, world.funding.id)
    assert funding.report.participants == 40
    assert funding.status == ReportStatus.FUNDED
    response = client.post(
        base(world) + "/eindverslag",
        data={
            "text": "Het ging goed.",
            "participants": "45",
            "send": "1",
            "photos": [upload(png_bytes(), "r.png")],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    funding = db.session.get(Funding, world.funding.id)
    assert funding.status == ReportStatus.REPORT_SUBMITTED
    assert funding.idea.status == IdeaStatus.COMPLETED
    assert funding.report.submitted_at is not None
    assert len(funding.report.photos) == 1
    # Frozen while the municipality checks it.
    assert (
        client.post(
            base(world) + "/mijlpalen", data={"title": "x", "planned_on": "2026-04-01"}
        ).status_code
        == 403
    )
    assert client.get(base(world) + "/eindverslag").status_code == 403


@pytest.mark.parametrize(
    "data, message",
    [
        ({"text": "", "send": "1"}, "Schrijf wat er met het geld is gebeurd."),
        (
            {"text": "Goed", "participants": "veel", "send": "1"},
            "Vul een getal in van 0 tot 1.000.000.",
        ),
        (
            {"text": "Goed", "participants": "-3", "send": "1"},
            "Vul een getal in van 0 tot 1.000.000.",
        ),
    ],
)
def test_bad_report_is_refused(client, login, world, db, data, message):
    login(world.author)
    response = client.post(base(world) + "/eindverslag", data=data)
    assert response.status_code == 422
    assert message in response.text
    funding = db.session.get(Funding, world.funding.id)
    assert funding.report is None
    assert funding.status == ReportStatus.FUNDED
