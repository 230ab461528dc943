"""Commands (create-admin, demo data), configuration, error pages and rate-limit storage."""

import os

import pytest
from sqlalchemy import func, select

from buurtbegroting import create_app
from buurtbegroting.models import Area, AreaPlan, AuditEntry, Indicator, Postcode, Role, User
from config import ProductionConfig
from tests.dbsupport import make_config


def _counts(db):
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Area, Postcode, AreaPlan, Indicator, User)
    )


def test_create_admin_creates_an_administrator_and_logs_it(runner, db):
    result = runner.invoke(
        args=["users", "create-admin", "Chef@Gemeente.nl", "--password", "lang genoeg wachtwoord"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chef@gemeente.nl"))
    assert user.role == Role.ADMIN
    assert user.check_password("lang genoeg wachtwoord")
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "user.create_admin")
        ).actor_label
        == "cli"
    )


def test_create_admin_promotes_an_existing_account(runner, db):
    from tests.factories import make_user

    make_user(email="anna@example.nl")
    db.session.commit()
    result = runner.invoke(
        args=["users", "create-admin", "anna@example.nl", "--password", "lang genoeg wachtwoord"]
    )
    assert result.exit_code == 0
    assert db.session.scalar(select(User).where(User.email == "anna@example.nl")).role == Role.ADMIN
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.parametrize(
    ("email", "password"), [("geen-adres", "lang genoeg wachtwoord"), ("a@b.nl", "kort")]
)
def test_create_admin_refuses_bad_input(runner, db, email, password):
    result = runner.invoke(args=["users", "create-admin", email, "--password", password])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_demo_load_is_idempotent(runner, db):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "loaded" in first.output
    counts = _counts(db)
    assert counts[0] == 1 + 11 + sum(
        1 for _ in db.session.scalars(select(Area).where(Area.code.like("BU%")))
    )
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert _counts(db) == counts


def test_demo_data_has_the_eleven_districts_of_oss_with_adopted_plans(runner, db):
    runner.invoke(args=["demo", "load"])
    districts = db.session.scalars(
        select(Area).where(Area.code.like("WK%")).order_by(Area.code)
    ).all()
    assert [d.name for d in districts][:3] == [
        "Centrum/Krinkelhoek/Mettegeupel",
        "Schadewijk",
        "Ruwaard",
    ]
    assert len(districts) == 11
    for district in districts:
        plans = db.session.scalars(select(AreaPlan).where(AreaPlan.area_id == district.id)).all()
        assert len(plans) == 1 and plans[0].is_adopted
        assert 3 <= len(plans[0].spearheads) <= 5
    roles = {u.role for u in db.session.scalars(select(User))}
    assert roles == {Role.ADMIN, Role.COORDINATOR, Role.REVIEWER, Role.RESIDENT}


def test_production_config_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is a key published") as refused:
        create_app(ProductionConfig)
    assert "DATABASE_URL is not set" in str(refused.value)
    # Every other refusal: tests/test_deployment.py.


def test_production_cookies_are_secure():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_server_error_page_is_styled_and_translated(tmp_path):
    app = create_app(make_config(f"sqlite:///{tmp_path / 'e.db'}", TESTING=False))

    @app.route("/kapot")
    def broken():
        raise RuntimeError("boom")

    app.logger.disabled = True
    response = app.test_client().get("/kapot", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "boom" not in page
    nl = app.test_client().get("/kapot").get_data(as_text=True)
    assert "Er ging bij ons iets mis" in nl


def test_forbidden_page_in_the_visitors_language(client, db, login):
    from tests.factories import make_user

    login(make_user(locale=None))
    db.session.commit()
    response = client.get("/beheer/", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "No access" in response.get_data(as_text=True)


def test_rate_limits_use_redis_when_configured(tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("TEST_REDIS_URL not set: Redis-backed rate limits not tested here")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    app = create_app(
        make_config(
            f"sqlite:///{tmp_path / 'r.db'}",
            RATELIMIT_STORAGE_URI=redis_url,
            RATELIMIT_LOGIN="3 per minute",
        )
    )
    with app.app_context():
        from buurtbegroting.extensions import db as _db

        _db.create_all()
    client = app.test_client()
    codes = [
        client.post("/inloggen", data={"email": "x@example.nl", "password": "y"}).status_code
        for _ in range(4)
    ]
    assert codes == [422, 422, 422, 429]
    # A second process (another app instance) shares the same counter through Redis.
    other = create_app(
        make_config(
            f"sqlite:///{tmp_path / 'r.db'}",
            RATELIMIT_STORAGE_URI=redis_url,
            RATELIMIT_LOGIN="3 per minute",
        )
    )
    assert (
        other.test_client()
        .post("/inloggen", data={"email": "x@example.nl", "password": "y"})
        .status_code
        == 429
    )
    redis.Redis.from_url(redis_url).flushdb()
