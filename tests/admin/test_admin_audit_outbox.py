"""The audit log (newest first, filters, detail) and the outbox."""

from buurtbegroting import audit
from buurtbegroting.models import OutboxMessage, Role
from tests.factories import make_district, make_user


def test_audit_log_lists_newest_first_and_filters(client, admin, db):
    area = make_district(name="Ruwaard")
    other = make_user(email="ander@oss.nl", role=Role.ADMIN)
    audit.record(
        other, "area.update", area, summary="eerste", before={"name": "A"}, after={"name": "B"}
    )
    audit.record(admin, "plan.adopt", object_type="area_plans", object_id=1, summary="tweede")
    db.session.commit()
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert page.index("tweede") < page.index("eerste")
    assert "Gebied gewijzigd" in page and "Gebiedsplan vastgesteld" in page
    only = client.get("/beheer/logboek?action=area.update").get_data(as_text=True)
    assert "eerste" in only and "tweede" not in only
    by_actor = client.get("/beheer/logboek?actor=beheer@oss.nl").get_data(as_text=True)
    assert "tweede" in by_actor and "eerste" not in by_actor
    nothing = client.get("/beheer/logboek?action=nope&page=7")
    assert nothing.status_code == 200 and "Het logboek is leeg." in nothing.get_data(as_text=True)


def test_audit_entry_shows_before_and_after(client, admin, db):
    area = make_district(name="Ruwaard")
    entry = audit.record(
        admin, "area.update", area, before={"name": "Oud"}, after={"name": "Nieuw"}
    )
    db.session.commit()
    page = client.get(f"/beheer/logboek/{entry.id}").get_data(as_text=True)
    assert "Voor en na" in page and "Oud" in page and "Nieuw" in page
    assert "beheer@oss.nl" in page
    assert client.get("/beheer/logboek/9999").status_code == 404


def test_audit_log_pages(client, admin, db):
    for n in range(51):
        audit.record(
            admin, "user.update", object_type="users", object_id=n, summary=f"item-{n:02d}"
        )
    db.session.commit()
    first = client.get("/beheer/logboek").get_data(as_text=True)
    assert "item-50" in first and "item-00" not in first and "Pagina 1 van 2" in first
    second = client.get("/beheer/logboek?page=2").get_data(as_text=True)
    assert "item-00" in second


def test_import_entries_show_their_details(client, admin, upload, db):
    upload("/beheer/gebieden/importeren", "code;name;parent_code\nGM0828;Oss;\n", "gebieden.csv")
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Gebieden ingelezen" in page and "gebieden.csv" in page
    from buurtbegroting.models import AuditEntry

    entry = db.session.query(AuditEntry).one()
    detail = client.get(f"/beheer/logboek/{entry.id}").get_data(as_text=True)
    assert "GM0828" in detail and "created" in detail


def test_outbox_lists_and_shows_messages(client, admin, db):
    message = OutboxMessage(
        recipient="jan@oss.nl", subject="Kies een nieuw wachtwoord", body="Klik hier"
    )
    db.session.add(message)
    db.session.commit()
    page = client.get("/beheer/uitgaande-mail").get_data(as_text=True)
    assert "jan@oss.nl" in page and "Kies een nieuw wachtwoord" in page
    detail = client.get(f"/beheer/uitgaande-mail/{message.id}").get_data(as_text=True)
    assert "Klik hier" in detail
    assert client.get("/beheer/uitgaande-mail/9999").status_code == 404


def test_outbox_is_for_administrators_only(client, login, db):
    coordinator = make_user(role=Role.COORDINATOR, coordinated_areas=[make_district()])
    db.session.commit()
    login(coordinator)
    assert client.get("/beheer/uitgaande-mail").status_code == 403
    assert client.get("/beheer/logboek").status_code == 403
