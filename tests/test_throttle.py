"""Rate limits an attacker cannot turn against others (issue 11): per (client, account) and
per client for passwords, per client and round for voting codes, per client for cheque codes;
a shared address is slowed down, never blocked; Redis shares the counts between processes."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from buurtbegroting.domain.codes import ALPHABET, check_character
from tests.dbsupport import make_config
from tests.factories import PASSWORD, make_user
from tests.factories.cheques import issue, make_campaign, make_collecting_idea
from tests.factories.rounds import issue_codes, make_round, put_on_ballot

ATTACKER, VICTIM, LIBRARY = "203.0.113.7", "198.51.100.9", "192.0.2.80"


@pytest.fixture()
def quick(app):
    """Slow-downs of one second, doubled per failure (so that a test can wait them out),
    after 5 wrong passwords from a client (fewer password checks: they are slow on purpose)."""
    saved = {
        k: app.config[k]
        for k in ("RATELIMIT_SLOWDOWN_FIRST", "RATELIMIT_SLOWDOWN_MAX", "RATELIMIT_LOGIN_CLIENT")
    }
    app.config.update(
        RATELIMIT_SLOWDOWN_FIRST=1, RATELIMIT_SLOWDOWN_MAX=4, RATELIMIT_LOGIN_CLIENT="5 per hour"
    )
    yield app
    app.config.update(saved)


def _login(client, email, password, address):
    return client.post(
        "/inloggen",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _wait_out(response):
    time.sleep(int(response.headers["Retry-After"]) + 0.2)


def test_wrong_passwords_lock_out_the_attackers_client_not_the_victim(client, db):
    make_user(email="bea@example.nl")
    db.session.commit()
    codes = [_login(client, "bea@example.nl", "geraden", ATTACKER).status_code for _ in range(11)]
    assert codes == [422] * 10 + [429]
    # Bea, from her own address, logs in at once.
    assert _login(client, "bea@example.nl", PASSWORD, VICTIM).status_code == 302


def test_the_lockout_names_the_wait(client, db):
    for _ in range(10):
        _login(client, "bea@example.nl", "geraden", ATTACKER)
    response = _login(client, "bea@example.nl", "geraden", ATTACKER)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 60
    assert "Wacht" in response.get_data(as_text=True)


def test_a_shared_address_is_slowed_down_not_blocked(client, db, quick):
    make_user(email="bea@example.nl")
    db.session.commit()
    # Someone at the library tries 5 different accounts (each once: no account limit).
    for n in range(5):
        assert _login(client, f"gok{n}@example.nl", "geraden", LIBRARY).status_code == 422
    # Bea, at the same library, is asked to wait a moment ...
    waiting = _login(client, "bea@example.nl", PASSWORD, LIBRARY)
    assert waiting.status_code == 429
    assert waiting.headers["Retry-After"] == "1"
    assert "Wacht 1 seconde" in waiting.get_data(as_text=True)
    # ... and then gets in.
    _wait_out(waiting)
    assert _login(client, "bea@example.nl", PASSWORD, LIBRARY).status_code == 302


def test_the_slow_down_grows_with_every_further_failure(client, db, quick):
    for n in range(5):
        _login(client, f"gok{n}@example.nl", "geraden", LIBRARY)
    waits = []
    for n in range(3):
        response = _login(client, "nog@example.nl", "geraden", LIBRARY)
        waits.append(int(response.headers["Retry-After"]))
        _wait_out(response)
        assert _login(client, f"weer{n}@example.nl", "geraden", LIBRARY).status_code == 422
    assert waits == [1, 2, 4]


@pytest.fixture()
def voting(db):
    round_ = make_round()
    other = make_round()
    put_on_ballot(round_.areas[0], [100_000])
    put_on_ballot(other.areas[0], [100_000])
    codes = issue_codes(round_.areas[0], 2)
    db.session.commit()
    return {"round": round_, "other": other, "codes": codes}


def _code(client, round_id, code, address):
    return client.post(
        f"/stemmen/{round_id}", data={"code": code}, environ_base={"REMOTE_ADDR": address}
    )


def test_wrong_voting_codes_slow_down_that_client_only(client, db, voting, quick):
    rid = voting["round"].id
    assert [_code(client, rid, "ABCD-EFGH-JKMNP", ATTACKER).status_code for _ in range(20)] == [
        422
    ] * 20
    waiting = _code(client, rid, voting["codes"][0], ATTACKER)
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "1"
    # Everybody else votes as before, in this round and in others.
    assert _code(client, rid, voting["codes"][1], VICTIM).status_code == 302
    assert _code(client, voting["other"].id, "ABCD-EFGH-JKMNP", ATTACKER).status_code == 422
    # The guessing client itself goes on after the wait (a library is not shut out).
    _wait_out(waiting)
    assert _code(client, rid, voting["codes"][0], ATTACKER).status_code == 302


def _unknown_cheque_codes(count):
    codes = []
    for n in range(count):
        data = "".join(ALPHABET[(n * 7 + i * 3) % 32] for i in range(12))
        codes.append(data + check_character(data))
    return codes


def _redeem(client, codes, address):
    data = {f"codes-{i}": c for i, c in enumerate(codes)}
    data.update({"actie": "verder", "paste": ""})
    return client.post("/cheques/inwisselen", data=data, environ_base={"REMOTE_ADDR": address})


def test_unknown_cheque_codes_slow_down_that_client_only(client, db, quick):
    campaign = make_campaign(count=2)
    good = issue(campaign)
    make_collecting_idea(target_cents=3_000)
    db.session.commit()
    for chunk in range(3):
        unknown = _unknown_cheque_codes(30)[chunk * 10 : chunk * 10 + 10]
        assert _redeem(client, unknown, ATTACKER).status_code == 422
    blocked = _redeem(client, good[:1], ATTACKER)
    assert blocked.status_code == 429
    assert _redeem(client, good[1:], VICTIM).status_code == 200
    time.sleep(1.2)
    assert _redeem(client, good[:1], ATTACKER).status_code == 200


#: Windows long enough for a slow machine (a one-minute window can pass during the test).
SHARED_TEST_LIMITS = {
    "RATELIMIT_LOGIN": "10 per hour",
    "RATELIMIT_LOGIN_CLIENT": "11 per hour",
    "RATELIMIT_SLOWDOWN_FIRST": 60,
}
#: Another process: its own app on the same database and Redis, posting one login per line.
OTHER_PROCESS = """
import sys
from buurtbegroting import create_app
from tests.dbsupport import make_config
from tests.test_throttle import SHARED_TEST_LIMITS as LIMITS
app = create_app(make_config(
    sys.argv[1],
    RATELIMIT_STORAGE_URI=sys.argv[2],
    RATELIMIT_STORAGE_OPTIONS={"key_prefix": sys.argv[3]},
    **LIMITS,
))
client = app.test_client()
for line in sys.stdin:
    email, address = line.split()
    response = client.post(
        "/inloggen",
        data={"email": email, "password": "geraden"},
        environ_base={"REMOTE_ADDR": address},
    )
    print(response.status_code)
"""


def _other_process(url, redis_url, prefix, attempts):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, url, redis_url, prefix],
        input="".join(f"{email} {address}\n" for email, address in attempts),
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    return [int(line) for line in done.stdout.split()]


def test_redis_shares_the_counts_between_two_processes(app, other_app):
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("TEST_REDIS_URL not set: Redis-shared throttles not tested here")
    import redis

    # Keys of this test only (other test processes may use the same Redis database).
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    here = other_app(
        make_config(
            url,
            RATELIMIT_STORAGE_URI=redis_url,
            RATELIMIT_STORAGE_OPTIONS={"key_prefix": prefix},
            **SHARED_TEST_LIMITS,
        )
    ).test_client()
    try:
        for _ in range(10):
            assert _login(here, "bea@example.nl", "geraden", ATTACKER).status_code == 422
        for n in range(10):
            assert _login(here, f"gok{n}@example.nl", "geraden", LIBRARY).status_code == 422
        # The other process sees both counts: the account is locked for the attacker's
        # client, the library is slowed down after its 11th failure, the victim is free.
        assert _other_process(
            url,
            redis_url,
            prefix,
            [
                ("bea@example.nl", ATTACKER),
                ("bea@example.nl", VICTIM),
                ("laatste@example.nl", LIBRARY),
                ("nog@example.nl", LIBRARY),
            ],
        ) == [429, 422, 422, 429]
        assert _login(here, "nog@example.nl", "geraden", LIBRARY).status_code == 429
    finally:
        server = redis.Redis.from_url(redis_url)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
