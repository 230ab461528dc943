"""Production deployment: proxy hops, BASE_URL-only links, refusals at start, cookies, HSTS,
security.txt (issue 11, "A production deployment that holds")."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from buurtbegroting import create_app
from buurtbegroting.extensions import db as _db
from buurtbegroting.models import Role
from config import DEVELOPMENT_SECRET_KEY, KNOWN_KEYS, ProductionConfig, production_problems
from tests.dbsupport import database_url, make_config
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://buurtbegroting.oss.nl"
GOOD = {
    "SECRET_KEY": "s" * 20 + "0123456789abcdef",
    "CODE_HASH_KEY": "c" * 20 + "0123456789abcdef",
    "BALLOT_KEY": "b" * 20 + "0123456789abcdef",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "RATELIMIT_STORAGE_URI": "memory://",
    "BASE_URL": BASE,
    "MAIL_BACKEND": "smtp",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db.example/buurtbegroting",
    "WTF_CSRF_ENABLED": False,
}


def production(**overrides):
    """A production configuration with good settings, except the overrides."""
    return type("CheckedProduction", (ProductionConfig,), {**GOOD, **overrides})


# --- 1. Behind a reverse proxy -------------------------------------------------------------


def _one_hop(app):
    """The same app and database, behind one trusted proxy."""
    return create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX_HOPS=1))


def _who_is_asking(app):
    """Give the app a page that names the client as the rate limits see it; return a getter."""
    from buurtbegroting.throttle import client_key

    app.add_url_rule("/_wie", "who", lambda: client_key())

    def seen(remote, forwarded=None):
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        response = app.test_client().get(
            "/_wie", headers=headers, environ_base={"REMOTE_ADDR": remote}
        )
        return response.get_data(as_text=True)

    return seen


def _wrong_logins(client, remote, forwarded, count):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return [
        client.post(
            "/inloggen",
            data={"email": "anna@example.nl", "password": "fout fout fout"},
            headers=headers,
            environ_base={"REMOTE_ADDR": remote},
        ).status_code
        for _ in range(count)
    ]


def test_with_one_proxy_hop_two_clients_behind_it_are_counted_apart(app, db, own_limiter):
    hops = _one_hop(app)
    client = hops.test_client()
    proxy = "10.0.0.2"
    # Client A guesses Anna's password until it must wait.
    assert _wrong_logins(client, proxy, "203.0.113.7", 11)[-1] == 429
    # Client B, through the same proxy, still gets to try (and is told the password is wrong).
    assert _wrong_logins(client, proxy, "198.51.100.9", 1) == [422]


def test_without_trusted_hops_a_forged_forwarded_for_is_ignored(app, db):
    assert app.config["PROXY_FIX_HOPS"] == 0
    client = app.test_client()
    assert _wrong_logins(client, "192.0.2.50", "203.0.113.1", 10) == [422] * 10
    # A new forged address does not make a new client: still the same connection, so it waits.
    assert _wrong_logins(client, "192.0.2.50", "203.0.113.2", 1) == [429]


def test_one_hop_believes_only_the_address_the_proxy_added(app, own_limiter):
    hops = _who_is_asking(_one_hop(app))
    none = _who_is_asking(create_app(make_config(app.config["SQLALCHEMY_DATABASE_URI"])))
    # A client that writes its own X-Forwarded-For gets the proxy's addition on the right.
    assert hops("10.0.0.2", "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert none("10.0.0.2", "6.6.6.6, 203.0.113.7") == "10.0.0.2"
    # IPv6 clients count per /64.
    assert hops("10.0.0.2", "2001:db8:1:2:3::4") == "2001:db8:1:2::/64"


# --- 3. Absolute URLs from BASE_URL only ---------------------------------------------------


def test_reset_mail_links_use_base_url_whatever_the_host_header(app, client, db, mailbox):
    app.config["BASE_URL"] = BASE
    try:
        make_user(email="anna@example.nl")
        db.session.commit()
        response = client.post(
            "/wachtwoord-vergeten",
            data={"email": "anna@example.nl"},
            headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        )
        assert response.status_code == 302
        body = mailbox.last_to("anna@example.nl")["body"]
    finally:
        app.config["BASE_URL"] = "http://localhost"
    links = re.findall(r"https?://\S+", body)
    assert links and all(link.startswith(BASE + "/") for link in links)
    assert "evil.example" not in body


def test_share_links_and_api_urls_use_base_url(app, client, db):
    from tests.factories import make_idea

    app.config["BASE_URL"] = BASE
    try:
        idea = make_idea()
        db.session.commit()
        page = client.get(f"/ideeen/{idea.id}/poster", headers={"Host": "evil.example"})
        api = client.get("/api/v1/openapi.json", headers={"Host": "evil.example"})
    finally:
        app.config["BASE_URL"] = "http://localhost"
    assert f"{BASE}/ideeen/{idea.id}" in page.get_data(as_text=True)
    assert "evil.example" not in page.get_data(as_text=True)
    assert "evil.example" not in api.get_data(as_text=True)


# --- 4. Production refuses to start with settings it cannot trust ---------------------------


def test_good_production_settings_have_no_problems():
    assert production_problems(production()) == []


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY is a key published"),
        ({"SECRET_KEY": "test-secret"}, "SECRET_KEY is a key published"),
        ({"SECRET_KEY": "x" * 31}, "SECRET_KEY is shorter than 32"),
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"CODE_HASH_KEY": None}, "CODE_HASH_KEY is not set"),
        ({"CODE_HASH_KEY": GOOD["SECRET_KEY"]}, "CODE_HASH_KEY must differ from SECRET_KEY"),
        ({"BALLOT_KEY": None}, "BALLOT_KEY is not set"),
        ({"BALLOT_KEY": GOOD["CODE_HASH_KEY"]}, "BALLOT_KEY must differ"),
        ({"REDIS_URL": None}, "REDIS_URL is not set"),
        ({"BASE_URL": None}, "BASE_URL must be the site's https:// address"),
        ({"BASE_URL": "http://buurtbegroting.oss.nl"}, "BASE_URL must be the site's https://"),
        ({"MAIL_BACKEND": "outbox"}, "MAIL_BACKEND=outbox is for development"),
        ({"MAIL_BACKEND": "console"}, "MAIL_BACKEND=console is for development"),
    ],
)
def test_production_refuses_to_start_naming_the_setting(overrides, named, own_limiter):
    with pytest.raises(RuntimeError, match=re.escape(named)) as refused:
        create_app(production(**overrides))
    assert "BUURTBEGROTING_ENV=production" in str(refused.value)


def test_production_refuses_without_database_url():
    from config import DEFAULT_DATABASE_URI

    problems = production_problems(production(SQLALCHEMY_DATABASE_URI=DEFAULT_DATABASE_URI))
    assert problems == ["DATABASE_URL is not set"]


def test_production_from_the_environment_without_settings_names_them_all():
    """The real thing: a fresh process with BUURTBEGROTING_ENV=production and nothing else."""
    env = {"BUURTBEGROTING_ENV": "production", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    for setting in (
        "SECRET_KEY is a key published",
        "CODE_HASH_KEY is not set",
        "BALLOT_KEY is not set",
        "DATABASE_URL is not set",
        "REDIS_URL is not set",
        "BASE_URL must be",
        "MAIL_BACKEND=outbox",
    ):
        assert setting in done.stderr


def test_every_key_written_in_the_repository_is_refused():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(
        r"""(?:SECRET_KEY|CODE_HASH_KEY|BALLOT_KEY)["']?\]?\s*(?:=|:)\s*["']([^"'\s]+)["']"""
    )
    found = set()
    for name in tracked:
        if name.endswith((".py", ".md", ".toml", ".cfg", ".yml", ".yaml", ".sh", ".env")):
            found.update(pattern.findall((ROOT / name).read_text(errors="replace")))
    found.discard(GOOD["SECRET_KEY"])
    found -= {GOOD["CODE_HASH_KEY"], GOOD["BALLOT_KEY"]}
    assert found, "the scan found no key at all: the pattern is broken"
    assert found <= KNOWN_KEYS | {"x" * 31}


def test_a_session_forged_with_the_development_key_is_not_accepted(tmp_path, own_limiter):
    url = database_url(tmp_path, "prod")
    app = create_app(production(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        _db.create_all()
        user = make_user(email="beheer@example.nl", role=Role.ADMIN)
        _db.session.commit()
        user_id = user.get_id()

    def forged(key):
        dev = type("Signer", (), {"secret_key": key, "config": app.config})
        signer = SecureCookieSessionInterface().get_signing_serializer(dev)
        return signer.dumps({"_user_id": user_id, "_fresh": True})

    try:
        client = app.test_client()
        client.set_cookie("session", forged(DEVELOPMENT_SECRET_KEY), domain="localhost")
        assert client.get("/beheer/").status_code == 302  # to the login page
        # The same cookie signed with production's own key is accepted: the test can tell.
        client.set_cookie("session", forged(GOOD["SECRET_KEY"]), domain="localhost")
        assert client.get("/beheer/").status_code == 200
    finally:
        with app.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


def test_production_cookies_are_secure_httponly_lax_and_hsts_is_sent(own_limiter):
    app = create_app(production(SQLALCHEMY_DATABASE_URI="sqlite://"))
    client = app.test_client()
    response = client.post("/taal", data={"lang": "en", "next": "/"})
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "lang"):
        flags = [part.strip().lower() for part in cookies[name].split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert ProductionConfig.REMEMBER_COOKIE_SECURE is True


def test_development_sends_no_hsts_and_plain_cookies(client):
    response = client.post("/taal", data={"lang": "en", "next": "/"})
    assert "Strict-Transport-Security" not in response.headers
    lang = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert "Secure" not in lang


# --- 5. security.txt -----------------------------------------------------------------------


def test_security_txt_is_404_without_a_contact(client):
    assert client.get("/.well-known/security.txt").status_code == 404


def test_security_txt_follows_rfc_9116_from_configuration(app, client):
    app.config.update(
        SECURITY_CONTACT="mailto:security@oss.nl",
        SECURITY_POLICY_URL="https://www.oss.nl/responsible-disclosure",
        BASE_URL=BASE,
    )
    try:
        response = client.get("/.well-known/security.txt", headers={"Host": "evil.example"})
    finally:
        app.config.update(SECURITY_CONTACT=None, SECURITY_POLICY_URL=None)
        app.config["BASE_URL"] = "http://localhost"
    assert response.status_code == 200
    assert response.content_type == "text/plain; charset=utf-8"
    fields = dict(
        line.split(": ", 1) for line in response.get_data(as_text=True).strip().splitlines()
    )
    assert fields["Contact"] == "mailto:security@oss.nl"
    assert fields["Policy"] == "https://www.oss.nl/responsible-disclosure"
    assert fields["Preferred-Languages"] == "nl, en"
    assert fields["Canonical"] == f"{BASE}/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    days = (expires - datetime.now(UTC)).days
    assert 0 < days < 366
