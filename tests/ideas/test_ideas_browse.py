"""Browse, search, support, share and print ideas; lists run a fixed number of queries."""

from sqlalchemy import func, select

from buurtbegroting.models import IdeaStatus, Support
from tests.factories import make_district, make_idea, make_neighbourhood, make_user
from tests.querycount import count_statements


def test_search_by_text_area_spearhead_and_status(client, db, place):
    other = make_neighbourhood(make_district(name="Berghem"), name="Berghem-Dorp", postcodes=())
    park = make_idea(place["buurt"], title="Bankjes in het park", summary="Zitten in de zon")
    park.spearheads = [place["spearheads"][0]]
    make_idea(other, title="Jeu de boules baan", summary="Samen spelen")
    make_idea(place["buurt"], title="Geheim concept", status=IdeaStatus.DRAFT)
    make_idea(place["buurt"], title="Afgewezen plan", status=IdeaStatus.REJECTED)
    db.session.commit()

    def titles(**args):
        page = client.get("/ideeen", query_string=args).get_data(as_text=True)
        return {
            t
            for t in (
                "Bankjes in het park",
                "Jeu de boules baan",
                "Geheim concept",
                "Afgewezen plan",
            )
            if t in page
        }

    assert titles() == {"Bankjes in het park", "Jeu de boules baan", "Afgewezen plan"}
    assert titles(q="BANKJES") == {"Bankjes in het park"}
    assert titles(q="zon") == {"Bankjes in het park"}
    assert titles(gebied=place["district"].id) == {"Bankjes in het park", "Afgewezen plan"}
    assert titles(speerpunt=place["spearheads"][0].id) == {"Bankjes in het park"}
    assert titles(status="rejected") == {"Afgewezen plan"}
    assert titles(q="%") == set()


def test_most_supported_first_and_pagination(client, db, place, app):
    quiet = make_idea(place["buurt"], title="Stil idee")
    loud = make_idea(place["buurt"], title="Populair idee")
    for _ in range(3):
        db.session.add(Support(idea_id=loud.id, user_id=make_user().id))
    db.session.commit()
    page = client.get("/ideeen?sort=support").get_data(as_text=True)
    assert page.index("Populair idee") < page.index("Stil idee")
    page = client.get("/ideeen?sort=new").get_data(as_text=True)
    assert page.index("Stil idee") > page.index("Populair idee") or quiet.id < loud.id
    app.config["IDEAS_PER_PAGE"] = 1
    try:
        first = client.get("/ideeen?sort=support").get_data(as_text=True)
        second = client.get("/ideeen?sort=support&page=2").get_data(as_text=True)
        beyond = client.get("/ideeen?sort=support&page=99")
        silly = client.get("/ideeen?page=abc")
    finally:
        app.config["IDEAS_PER_PAGE"] = 20
    assert "Populair idee" in first and "Stil idee" not in first
    assert "Stil idee" in second
    assert beyond.status_code == 200 and silly.status_code == 200


def test_bad_search_input_gives_a_page_not_an_error(client, db):
    for args in (
        {"gebied": "abc"},
        {"speerpunt": "-1"},
        {"status": "bogus"},
        {"q": "x" * 500},
        {"sort": "drop table"},
    ):
        assert client.get("/ideeen", query_string=args).status_code in (200, 422)


def test_list_page_runs_the_same_number_of_queries_for_5_and_50_ideas(client, db, place):
    from buurtbegroting.models import Idea

    def count_for(total):
        while db.session.scalar(select(func.count(Idea.id))) < total:
            idea = make_idea(place["buurt"])
            idea.spearheads = [place["spearheads"][idea.id % 2]]
            db.session.add(Support(idea_id=idea.id, user_id=place["resident"].id))
        db.session.commit()
        with count_statements() as statements:
            assert client.get("/ideeen").status_code == 200
        return len(statements)

    assert count_for(5) == count_for(50)


def test_my_ideas_runs_the_same_number_of_queries_for_5_and_50_ideas(client, db, login, place):
    from buurtbegroting.models import Idea, IdeaStatus
    from tests.factories import make_group

    author = place["resident"]
    group = make_group(place["buurt"], coordinator=author)
    login(author)

    def count_for(total):
        while db.session.scalar(select(func.count(Idea.id))) < total:
            n = db.session.scalar(select(func.count(Idea.id)))
            make_idea(
                place["buurt"],
                author=author,
                status=IdeaStatus.DRAFT,
                group=group if n % 2 else None,
            )
        db.session.commit()
        with count_statements() as statements:
            assert client.get("/mijn-ideeen").status_code == 200
        return len(statements)

    assert count_for(5) == count_for(50)


def test_support_once_and_withdraw(client, db, login, place):
    idea = make_idea(place["buurt"])
    db.session.commit()
    login(place["resident"])
    assert client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"}).status_code == 302
    assert client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"}).status_code == 302
    assert db.session.scalar(select(func.count(Support.id))) == 1
    assert "U steunt dit idee." in client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    client.post(f"/ideeen/{idea.id}/steun", data={"steun": "0"})
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_support_needs_login_and_an_open_idea(client, db, login, place):
    rejected = make_idea(place["buurt"], status=IdeaStatus.REJECTED)
    idea = make_idea(place["buurt"])
    db.session.commit()
    response = client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    login(place["resident"])
    assert client.post(f"/ideeen/{rejected.id}/steun", data={"steun": "1"}).status_code == 403
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_support_limited_to_own_district_when_the_municipality_says_so(
    client, db, login, place, app
):
    elsewhere = make_neighbourhood(make_district(name="Lith"), postcodes=())
    outsider = make_user(area=elsewhere)
    idea = make_idea(place["buurt"])
    db.session.commit()
    app.config["SUPPORT_OWN_DISTRICT_ONLY"] = True
    try:
        login(outsider)
        assert client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"}).status_code == 403
        login(place["resident"])
        assert client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"}).status_code == 302
    finally:
        app.config["SUPPORT_OWN_DISTRICT_ONLY"] = False


def test_support_refuses_a_replayed_form_without_token(csrf_app, db, place):
    idea = make_idea(place["buurt"])
    db.session.commit()
    client = csrf_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = place["resident"].get_id()
    assert client.post(f"/ideeen/{idea.id}/steun", data={"steun": "1"}).status_code == 400
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_poster_has_a_qr_code_to_the_idea_and_a_share_link(client, db, place):
    idea = make_idea(place["buurt"], title="Moestuin")
    db.session.commit()
    poster = client.get(f"/ideeen/{idea.id}/poster").get_data(as_text=True)
    assert '<svg class="qr" role="img"' in poster
    assert f"http://localhost/ideeen/{idea.id}" in poster  # BASE_URL of the tests
    assert "Moestuin" in poster
    page = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert f'value="http://localhost/ideeen/{idea.id}"' in page
    assert f"/ideeen/{idea.id}/poster" in page


def test_drafts_and_their_photos_stay_private(client, db, place):
    draft = make_idea(place["buurt"], status=IdeaStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/ideeen/{draft.id}").status_code == 404
    assert client.get(f"/ideeen/{draft.id}/poster").status_code == 404
    assert client.get(f"/ideeen/{draft.id}/fotos/1").status_code == 404


def test_my_ideas_lists_drafts(client, db, login, place):
    make_idea(place["buurt"], place["resident"], title="Mijn concept", status=IdeaStatus.DRAFT)
    db.session.commit()
    login(place["resident"])
    assert "Mijn concept" in client.get("/mijn-ideeen").get_data(as_text=True)
