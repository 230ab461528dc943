"""A deleted account's arguments stay as "a resident"; its marks go; the download has them all."""

from __future__ import annotations

from sqlalchemy import func, select

from buurtbegroting.arguments import services
from buurtbegroting.auth.privacy import delete_account, export_data
from buurtbegroting.models import Argument, ArgumentReport, HelpfulMark


def test_download_holds_arguments_marks_and_reports(db, debate):
    bram = debate["bram"]
    services.reply(debate["argument"], bram, "Mee eens")
    services.set_helpful(debate["argument"], bram, True)
    services.report(debate["argument"], bram, "spam", "reclame")
    db.session.commit()
    data = export_data(bram)
    assert [a["text"] for a in data["arguments"]] == ["Mee eens"]
    assert data["arguments"][0]["reply_to"] == debate["argument"].id
    assert data["helpful_marks"][0]["argument_id"] == debate["argument"].id
    assert data["argument_reports"][0] == {
        "argument_id": debate["argument"].id,
        "reason": "spam",
        "text": "reclame",
        "created_at": data["argument_reports"][0]["created_at"],
    }


def test_deleting_an_account_keeps_its_arguments_as_a_resident(client, db, debate):
    anna, bram = debate["anna"], debate["bram"]
    services.reply(debate["argument"], bram, "Mee eens")
    services.set_helpful(debate["argument"], bram, True)
    services.report(debate["argument"], bram, "spam", "")
    db.session.commit()
    argument_id = debate["argument"].id
    delete_account(anna, None)
    delete_account(bram, None)
    db.session.commit()
    kept = db.session.get(Argument, argument_id)
    assert kept.author_id is None and kept.body == "Fijn voor ouderen."
    assert db.session.scalar(select(func.count(Argument.id))) == 2
    assert db.session.scalar(select(func.count(HelpfulMark.id))) == 0
    assert db.session.scalar(select(ArgumentReport.reporter_id)) is None
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "Een inwoner" in page and "Anna" not in page
