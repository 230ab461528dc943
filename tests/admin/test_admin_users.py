"""Users and roles: search, pages, role and areas, blocking, and nobody changes themselves."""

import pytest
from sqlalchemy import select

from buurtbegroting.extensions import db as _db
from buurtbegroting.models import AuditEntry, Role, User
from tests.factories import make_district, make_neighbourhood, make_user


def reload(user_id):
    _db.session.expire_all()
    return _db.session.get(User, user_id)


def test_list_searches_by_email_or_name_and_pages(client, admin, db):
    for n in range(55):
        make_user(email=f"bewoner{n:02d}@example.nl", display_name=f"Bewoner {n}")
    make_user(email="jan@oss.nl", display_name="Jan de Vries")
    db.session.commit()
    page = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "57 accounts gevonden." in page and "Pagina 1 van 2" in page
    assert "beheerder" in page  # the role label in Dutch
    assert "Dit bent u" in page
    found = client.get("/beheer/gebruikers?q=VRIES").get_data(as_text=True)
    assert "1 accounts gevonden." in found and "jan@oss.nl" in found
    found = client.get("/beheer/gebruikers?q=oss.nl").get_data(as_text=True)
    assert "jan@oss.nl" in found and "bewoner01" not in found


def test_make_someone_coordinator_of_areas_and_audit_it(client, admin, db):
    district = make_district(code="WK082803", name="Ruwaard")
    buurt = make_neighbourhood(make_district(code="WK082805"), code="BU08280501", postcodes=())
    target = make_user(email="piet@oss.nl")
    db.session.commit()
    page = client.get(f"/beheer/gebruikers/{target.id}").get_data(as_text=True)
    assert "wijkcoördinator" in page and "vakafdeling" in page and "inwoner" in page
    response = client.post(
        f"/beheer/gebruikers/{target.id}",
        data={"role": "coordinator", "areas": [str(district.id), str(buurt.id)]},
    )
    assert response.status_code == 302
    user = reload(target.id)
    assert user.role == Role.COORDINATOR
    assert [a.code for a in user.coordinated_areas] == ["BU08280501", "WK082803"]
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.update"))
    assert entry.before == {"role": "resident", "areas": []}
    assert entry.after == {"role": "coordinator", "areas": ["BU08280501", "WK082803"]}
    assert entry.object_id == str(target.id)


def test_coordinator_without_areas_is_refused(client, admin, db):
    target = make_user()
    db.session.commit()
    response = client.post(f"/beheer/gebruikers/{target.id}", data={"role": "coordinator"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies minstens één gebied voor een wijkcoördinator." in page
    assert 'id="areas-error"' in page
    assert '<option selected value="coordinator">' in page or 'value="coordinator" selected' in page
    assert reload(target.id).role == Role.RESIDENT


def test_other_roles_lose_their_areas(client, admin, db):
    district = make_district()
    target = make_user(role=Role.COORDINATOR, coordinated_areas=[district])
    db.session.commit()
    response = client.post(
        f"/beheer/gebruikers/{target.id}", data={"role": "reviewer", "areas": [str(district.id)]}
    )
    assert response.status_code == 302
    user = reload(target.id)
    assert user.role == Role.REVIEWER and user.coordinated_areas == []


def test_block_and_unblock(client, admin, db):
    target = make_user()
    db.session.commit()
    client.post(f"/beheer/gebruikers/{target.id}", data={"role": "resident", "is_blocked": "y"})
    assert reload(target.id).is_active is False
    page = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert "geblokkeerd" in page
    client.post(f"/beheer/gebruikers/{target.id}", data={"role": "resident"})
    assert reload(target.id).is_active is True
    actions = [e.after for e in _db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == [{"is_active": False}, {"is_active": True}]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "king"}, "Kies een rol uit de lijst."),
        ({"role": "coordinator", "areas": ["99999"]}, "Kies gebieden uit de lijst."),
    ],
)
def test_tampered_choices_are_refused_with_a_message(client, admin, db, data, message):
    target = make_user()
    db.session.commit()
    response = client.post(f"/beheer/gebruikers/{target.id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reload(target.id).role == Role.RESIDENT


def test_nobody_changes_their_own_account(client, admin):
    assert client.get(f"/beheer/gebruikers/{admin.id}").status_code == 403
    response = client.post(
        f"/beheer/gebruikers/{admin.id}", data={"role": "resident", "is_blocked": "y"}
    )
    assert response.status_code == 403
    user = reload(admin.id)
    assert user.role == Role.ADMIN and user.is_active


def test_unknown_user_is_404(client, admin):
    assert client.get("/beheer/gebruikers/9999").status_code == 404


@pytest.mark.parametrize("role", ["", "   ", "king", "x" * 10_000])
def test_empty_or_unknown_role_is_refused_at_the_field(client, admin, db, role):
    target = make_user()
    db.session.commit()
    response = client.post(f"/beheer/gebruikers/{target.id}", data={"role": role})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Kies een rol uit de lijst." in page and 'id="role-error"' in page
    assert reload(target.id).role == Role.RESIDENT
