"""Titles and names are one line: line breaks and control characters are refused at the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from buurtbegroting.accountability.forms import ExpenseForm, MilestoneForm, PayoutForm
from buurtbegroting.admin.forms import AdoptForm, AreaForm, PlanForm, SpearheadForm
from buurtbegroting.cheques.forms import CampaignForm, InviteForm, VoidForm
from buurtbegroting.forms import has_control_characters
from buurtbegroting.groups.forms import GroupForm
from buurtbegroting.ideas.forms import BasicsForm, PhotosForm, ThemeForm
from buurtbegroting.models import ChequeCampaign, Idea, Role
from buurtbegroting.rounds.forms import RoundForm
from tests.factories import make_district, make_neighbourhood, make_user
from tests.factories.cheques import today

ONE_LINE = "Schrijf dit op één regel, zonder regeleinden of onzichtbare tekens."
BROKEN = [
    "Bankjes\nin het park",
    "Bankjes\rin het park",
    "Bankjes\u2028park",
    "Bank\x00jes",
    "A\tB",
]

#: Every one-line free-text field: (form, field name).
FIELDS = [
    (AreaForm, "name"),
    (PlanForm, "title"),
    (AdoptForm, "decision_reference"),
    (SpearheadForm, "title"),
    (CampaignForm, "name"),
    (InviteForm, "name"),
    (InviteForm, "email"),
    (VoidForm, "reason"),
    (MilestoneForm, "title"),
    (ExpenseForm, "description"),
    (PayoutForm, "reference"),
    (RoundForm, "name"),
    (BasicsForm, "title"),
    (ThemeForm, "own_theme"),
    (PhotosForm, "location_text"),
    (GroupForm, "name"),
]


@pytest.mark.parametrize(("form_class", "name"), FIELDS)
def test_every_one_line_field_refuses_a_line_break(app, form_class, name):
    with app.test_request_context(method="POST", headers={"Accept-Language": "nl"}):
        form = form_class(formdata=MultiDict({name: "Bankjes\nin het park"}))
        field = getattr(form, name)
        assert not field.validate(form)
        assert ONE_LINE in [str(e) for e in field.errors]


@pytest.mark.parametrize("text", BROKEN)
def test_control_characters_and_line_breaks_are_found(text):
    assert has_control_characters(text)


def test_ordinary_text_passes():
    assert not has_control_characters("Bankjes in 't park — 3 × € 250 👍🏽")
    assert not has_control_characters("Regel 1\nRegel 2\tmet tab", allow_line_breaks=True)
    assert has_control_characters("Regel\x00", allow_line_breaks=True)


@pytest.mark.parametrize("title", BROKEN)
def test_idea_title_with_a_line_break_is_refused(client, db, login, title):
    district = make_district()
    buurt = make_neighbourhood(district, postcodes=("5344",))
    resident = make_user(area=buurt)
    db.session.commit()
    login(resident)
    response = client.post(
        "/ideeen/nieuw",
        data={
            "title": title,
            "summary": "Drie bankjes.",
            "description": "Ouderen willen zitten.",
            "area_id": buurt.id,
            "group_id": 0,
            "submission_key": "key-1",
        },
    )
    assert response.status_code == 422
    assert ONE_LINE in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0


def test_campaign_name_with_a_line_break_is_refused(client, db, login):
    login(make_user(role=Role.ADMIN))
    db.session.commit()
    response = client.post(
        "/beheer/cheques/nieuw",
        data={
            "name": "Voorjaar\n2027",
            "value": "7,50",
            "starts_on": today().isoformat(),
            "ends_on": (today() + timedelta(days=41)).isoformat(),
            "scope": "all",
            "count_mode": "number",
            "cheque_count": "12",
        },
    )
    assert response.status_code == 422
    assert ONE_LINE in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ChequeCampaign)) == 0
