"""The administration index links exactly the pages a user may open."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from buurtbegroting.admin.views import CARDS
from buurtbegroting.models import Role
from tests.factories import make_district, make_user


def _linked(html: str) -> set[str]:
    match = re.search(r'<ul class="admin-sections">(.*?)</ul>', html, re.S)
    return set(re.findall(r'href="([^"]+)"', match.group(1))) if match else set()


@pytest.mark.parametrize("role", list(Role))
def test_every_linked_card_opens_and_every_hidden_card_is_refused(app, client, db, login, role):
    district = make_district()
    extra = {"coordinated_areas": [district]} if role == Role.COORDINATOR else {}
    login(make_user(role=role, **extra))
    db.session.commit()
    with app.test_request_context():
        urls = {card.endpoint: url_for(card.endpoint) for card in CARDS}
    index = client.get("/beheer/")
    assert index.status_code == (403 if role == Role.RESIDENT else 200)
    linked = _linked(index.get_data(as_text=True))
    assert linked <= set(urls.values())
    if role == Role.ADMIN:
        assert linked == set(urls.values())
    for endpoint, url in urls.items():
        status = client.get(url).status_code
        expected = 200 if url in linked else 403
        assert status == expected, (role, endpoint, url, status)
