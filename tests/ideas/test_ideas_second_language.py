"""An idea may carry the author's own translation into a second language, shown as written."""

import pytest
from sqlalchemy import select

from buurtbegroting.models import Idea
from tests.factories import make_idea

TRANSLATION = {
    "second_language": "tr",
    "second_title": "Parkta banklar",
    "second_summary": "Oyun alanının yanında üç bank.",
    "second_description": "Yaşlılar oturabilmek istiyor.",
}


def _basics(place, **overrides):
    idea = {"title": "Bankjes in het park", "summary": "Drie bankjes bij de speeltuin."}
    return {
        **idea,
        "area_id": place["buurt"].id,
        "group_id": 0,
        "submission_key": "k2",
        **overrides,
    }


def test_author_adds_a_translation_shown_with_its_language(client, db, login, place):
    login(place["resident"])
    assert 'name="second_language"' in client.get("/ideeen/nieuw").get_data(as_text=True)
    response = client.post("/ideeen/nieuw", data=_basics(place, **TRANSLATION))
    assert response.status_code == 302
    idea = db.session.scalar(select(Idea))
    assert (idea.second_language, idea.second_title) == ("tr", "Parkta banklar")
    assert idea.title == "Bankjes in het park"  # the text as written stays as it is

    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert "Vertaald door de indiener" in page
    assert '<div lang="tr" dir="ltr">' in page
    assert "Oyun alanının yanında üç bank." in page

    # Emptying the fields removes the translation.
    data = _basics(place, **dict.fromkeys(TRANSLATION, ""), submit="1")
    assert client.post(f"/ideeen/{idea.id}/stap/1", data=data).status_code == 302
    db.session.refresh(idea)
    assert idea.second_language is None and idea.second_title is None
    assert "Vertaald door de indiener" not in client.get(f"/ideeen/{idea.id}").get_data(
        as_text=True
    )


def test_arabic_translation_is_marked_right_to_left(client, db, login, place):
    idea = make_idea(
        author=place["resident"],
        area=place["buurt"],
        second_language="ar",
        second_title="مقاعد في الحديقة",
        second_summary="ثلاثة مقاعد قرب الملعب.",
    )
    db.session.commit()
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert '<div lang="ar" dir="rtl">' in page
    assert '(<span lang="ar">العربية</span>)' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"second_title": "Parkta banklar"}, "second_language", "Kies de taal van uw vertaling."),
        ({"second_language": "tr"}, "second_title", "Geef ook de titel in die taal."),
        (
            {"second_language": "tr", "second_title": "Parkta banklar"},
            "second_summary",
            "Geef ook de samenvatting in die taal.",
        ),
        (
            {**TRANSLATION, "second_language": "de"},
            "second_language",
            "Kies een taal uit de lijst.",
        ),
        ({**TRANSLATION, "second_title": "x" * 121}, "second_title", "121"),
        ({**TRANSLATION, "second_title": "twee\nregels"}, "second_title", None),
        ({**TRANSLATION, "second_summary": "y" * 201}, "second_summary", "201"),
    ],
)
def test_bad_translation_input_is_refused_at_the_field(
    client, db, login, place, overrides, field, message
):
    login(place["resident"])
    response = client.post("/ideeen/nieuw", data=_basics(place, **overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    if message and not message.isdigit():
        assert message in page, page[page.find(f"{field}-error") :][:300]
    assert db.session.scalar(select(Idea)) is None
