"""Dutch, English, Turkish and Arabic: the switch, the choice order, direction and formats."""

import re

import pytest
from flask_babel import force_locale

from buurtbegroting.templating import format_cents
from tests.factories import make_neighbourhood, make_user

NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية"}


def test_every_language_is_offered_named_in_itself(client):
    page = client.get("/").get_data(as_text=True)
    for code, name in NAMES.items():
        button = re.search(rf'<button[^>]*name="lang" value="{code}"[^>]*>([^<]*)</button>', page)
        assert button, code
        assert f'lang="{code}"' in button.group(0)
        assert button.group(1) == name
    assert 'value="ar" lang="ar" dir="rtl"' in page


@pytest.mark.parametrize(("lang", "direction"), [("tr", "ltr"), ("ar", "rtl"), ("nl", "ltr")])
def test_the_chosen_language_sets_lang_and_direction(client, lang, direction):
    client.post("/taal", data={"lang": lang, "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert 'aria-pressed="true">' + NAMES[lang] in page


def test_browser_language_picks_turkish_and_arabic(client):
    page = client.get("/", headers={"Accept-Language": "tr-TR,tr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    page = client.get("/", headers={"Accept-Language": "ar-MA,fr;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get("/", headers={"Accept-Language": "de-DE,fr;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page


def test_account_setting_beats_cookie_which_beats_browser(client, db, login):
    client.set_cookie("lang", "tr")
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="tr"' in page
    login(make_user(locale="ar"))
    db.session.commit()
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


def test_account_language_accepts_turkish_and_arabic_and_refuses_others(client, db, login):
    make_neighbourhood(postcodes=("5344",))
    user = login(make_user(locale="nl"))
    db.session.commit()
    form = client.get("/account").get_data(as_text=True)
    assert '<option dir="rtl" lang="ar" value="ar">العربية</option>' in form
    data = {"display_name": "Ayşe", "postcode": "5344 AB", "locale": "tr"}
    assert client.post("/account", data=data).status_code == 302
    db.session.refresh(user)
    assert user.locale == "tr"
    assert '<html lang="tr"' in client.get("/account").get_data(as_text=True)
    response = client.post("/account", data={**data, "locale": "de"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.locale == "tr"


@pytest.mark.parametrize(
    ("lang", "cents", "expected"),
    [
        ("nl", 750, "€\xa07,50"),
        ("en", 750, "€7.50"),
        ("tr", 125050, "€1.250,50"),
        ("ar", 125050, "\u200f1,250.50\xa0€"),
    ],
)
def test_money_is_written_the_way_of_each_language(app, lang, cents, expected):
    with app.test_request_context("/"), force_locale(lang):
        assert format_cents(cents) == expected


def test_dates_follow_the_language(app):
    from datetime import date

    render = app.jinja_env.from_string("{{ day|date('long') }}")
    with app.test_request_context("/"):
        for lang, month in (("nl", "december"), ("tr", "Aralık"), ("ar", "ديسمبر")):
            with force_locale(lang):
                assert month in render.render(day=date(2026, 12, 7))
