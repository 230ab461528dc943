"""Home, find-your-area, area page, statements and the language switch."""

from buurtbegroting.models import PlanStatus
from tests.factories import make_district, make_indicator, make_neighbourhood, make_plan, make_user


def test_home_page_offers_postcode_search(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="postcode"' in page
    assert 'lang="nl"' in page


def test_postcode_search_accepts_pc6_with_space_in_any_case(client, db):
    buurt = make_neighbourhood(postcodes=("5344AB",))
    db.session.commit()
    for typed in ("5344 ab", "5344AB", " 5344ab ", "5344-AB"):
        response = client.get("/zoek", query_string={"postcode": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"].endswith(f"/gebied/{buurt.code}")


def test_pc6_without_own_row_falls_back_to_its_pc4(client, db):
    buurt = make_neighbourhood(postcodes=("5345",))
    db.session.commit()
    response = client.get("/zoek?postcode=5345XY")
    assert response.headers["Location"].endswith(f"/gebied/{buurt.code}")


def test_unknown_postcode_keeps_input_and_explains(client, db):
    make_neighbourhood(postcodes=("5344",))
    db.session.commit()
    response = client.get("/zoek?postcode=9999+ZZ")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="9999 ZZ"' in page
    assert "kennen deze postcode niet" in page


def test_text_that_is_no_postcode_gets_a_clear_message(client):
    response = client.get("/zoek?postcode=%3Cscript%3E")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<script>" not in page
    assert "geen postcode" in page


def test_area_page_shows_adopted_plan_of_district_and_indicators(client, db):
    district = make_district(name="Ruwaard")
    buurt = make_neighbourhood(district, name="Ruwaard-Oost")
    make_plan(district, spearheads=("Groen en spelen", "Eenzaamheid tegengaan"))
    make_indicator(district, name="Zich eenzaam voelen", value=48.0, municipal_average=44.0)
    db.session.commit()
    page = client.get(f"/gebied/{buurt.code}").get_data(as_text=True)
    assert "Ruwaard-Oost" in page
    assert "Eenzaamheid tegengaan" in page
    assert "Zich eenzaam voelen" in page
    assert "48" in page and "44" in page
    assert "<svg" in page


def test_area_page_hides_draft_plans(client, db):
    district = make_district()
    make_plan(district, title="Geheim concept", status=PlanStatus.DRAFT, adopted_on=None)
    db.session.commit()
    page = client.get(f"/gebied/{district.code}").get_data(as_text=True)
    assert "Geheim concept" not in page


def test_unknown_area_code_is_404_in_site_style(client):
    response = client.get("/gebied/BU99999999")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_statements_exist(client):
    assert client.get("/toegankelijkheid").status_code == 200
    assert client.get("/privacy").status_code == 200


def test_language_switch_persists_for_visitor(client):
    response = client.post("/taal", data={"lang": "en", "next": "/gebieden"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/gebieden"
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Find your area" in page


def test_language_switch_is_stored_for_logged_in_user(client, db, login):
    user = login(make_user(locale="nl"))
    db.session.commit()
    client.post("/taal", data={"lang": "en", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "en"


def test_language_switch_refuses_unknown_language_and_foreign_redirect(client):
    assert client.post("/taal", data={"lang": "xx"}).status_code == 400
    response = client.post("/taal", data={"lang": "nl", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_accept_language_is_used_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page


def test_security_headers_on_every_response(client):
    for url in ("/", "/bestaat-niet"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
