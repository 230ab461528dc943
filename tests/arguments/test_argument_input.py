"""Bad input on the argument forms: a 4xx with a message at the field, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from buurtbegroting.models import Argument, ArgumentReport

LINKS = "Kijk op https://a.example en https://b.example en www.c.example"

BAD_BODIES = {
    "empty": ("", "Schrijf uw argument."),
    "spaces": ("  \n\t ", "Schrijf uw argument."),
    "too_long": ("x" * 501, "Gebruik hoogstens 500 tekens."),
    "control": ("Goed\x00idee\x1b", "onzichtbare tekens"),
    "links": (LINKS, "Gebruik hoogstens 2 links"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_argument_text_is_refused_at_the_field(client, login, db, debate, case):
    body, message = BAD_BODIES[case]
    login(debate["bram"])
    response = client.post(
        f"/ideeen/{debate['idea'].id}/argumenten", data={"side": "for", "body": body}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    assert db.session.scalar(select(func.count(Argument.id))) == 1


def test_exactly_500_characters_and_two_links_are_accepted(client, login, db, debate):
    login(debate["bram"])
    body = ("https://a.example https://b.example " + "x" * 500)[:500]
    response = client.post(
        f"/ideeen/{debate['idea'].id}/argumenten", data={"side": "against", "body": body}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("side", ["", "neutral", "FOR", "[object Object]"])
def test_wrong_side_is_refused(client, login, db, debate, side):
    login(debate["bram"])
    response = client.post(
        f"/ideeen/{debate['idea'].id}/argumenten", data={"side": side, "body": "Prima"}
    )
    assert response.status_code == 422
    assert "Kies voor of tegen." in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ["", "x" * 501, "a\x07b", LINKS])
def test_bad_reply_is_refused(client, login, db, debate, body):
    login(debate["bram"])
    response = client.post(f"/argumenten/{debate['argument'].id}/reageren", data={"body": body})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"reason": "rude"},
        {"reason": "spam", "text": "x" * 501},
        {"reason": "spam", "text": "a\x00"},
    ],
)
def test_bad_report_is_refused(client, login, db, debate, data):
    login(debate["bram"])
    response = client.post(f"/argumenten/{debate['argument'].id}/melden", data=data)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(ArgumentReport.id))) == 0


def test_unknown_argument_is_404(client, login, debate):
    login(debate["bram"])
    assert client.post("/argumenten/999/reageren", data={"body": "x"}).status_code == 404
    assert client.post("/argumenten/999/nuttig").status_code == 404


def test_posts_without_csrf_token_are_refused(csrf_app, client, login, db, debate):
    login(debate["bram"])
    argument = debate["argument"]
    for path, data in [
        (f"/ideeen/{debate['idea'].id}/argumenten", {"side": "for", "body": "Goed"}),
        (f"/argumenten/{argument.id}/reageren", {"body": "Goed"}),
        (f"/argumenten/{argument.id}/nuttig", {"nuttig": "1"}),
        (f"/argumenten/{argument.id}/melden", {"reason": "spam"}),
    ]:
        assert client.post(path, data=data).status_code == 400, path
    assert db.session.scalar(select(func.count(Argument.id))) == 1
