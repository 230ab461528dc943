"""Post, reply, mark helpful and report arguments; counts, sorting, closing, constant queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from buurtbegroting.domain.arguments import ArgumentSide
from buurtbegroting.models import Argument, ArgumentReport, HelpfulMark, IdeaStatus
from tests.factories import make_user
from tests.factories.rounds import make_round


def _post(client, idea, side="for", body="Goed voor de buurt."):
    return client.post(f"/ideeen/{idea.id}/argumenten", data={"side": side, "body": body})


def _committed(db, **overrides):
    user = make_user(**overrides)
    db.session.commit()
    return user


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_resident_posts_an_argument_and_it_shows_with_counts(client, login, db, debate):
    login(debate["bram"])
    response = _post(client, debate["idea"], "against", "Te duur.\nEn te druk.")
    assert response.status_code == 302
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "Te duur.<br>En te druk." in page or "Te duur.<br />En te druk." in page
    assert "Fijn voor ouderen." in page
    assert "<strong>1</strong> voor" in page and "<strong>1</strong> tegen" in page


def test_argument_text_is_escaped(client, login, db, debate):
    login(debate["bram"])
    _post(client, debate["idea"], body="<script>alert(1)</script> mooi")
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_unverified_account_cannot_post(client, login, db, debate):
    login(_committed(db, email_verified_at=None))
    response = _post(client, debate["idea"])
    assert response.status_code == 403
    assert _count(db, Argument) == 1


def test_anonymous_visitor_is_sent_to_login(client, debate):
    response = _post(client, debate["idea"])
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_reply_once_and_not_to_a_reply(client, login, db, debate):
    login(debate["bram"])
    argument = debate["argument"]
    assert (
        client.post(f"/argumenten/{argument.id}/reageren", data={"body": "Klopt!"}).status_code
        == 302
    )
    again = client.post(f"/argumenten/{argument.id}/reageren", data={"body": "Nog eens"})
    assert again.status_code == 409
    assert "al gereageerd" in again.get_data(as_text=True)
    reply = db.session.scalar(select(Argument).where(Argument.parent_id == argument.id))
    login(debate["anna"])
    nested = client.post(f"/argumenten/{reply.id}/reageren", data={"body": "Dank je"})
    assert nested.status_code == 400
    assert _count(db, Argument) == 2
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "Klopt!" in page and "Reacties: 1" in page


def test_helpful_toggles_and_not_on_your_own(client, login, db, debate):
    argument = debate["argument"]
    login(debate["bram"])
    assert client.post(f"/argumenten/{argument.id}/nuttig", data={"nuttig": "1"}).status_code == 302
    assert client.post(f"/argumenten/{argument.id}/nuttig", data={"nuttig": "1"}).status_code == 302
    assert _count(db, HelpfulMark) == 1
    page = client.get(f"/ideeen/{debate['idea'].id}").get_data(as_text=True)
    assert "Nuttig gevonden: 1" in page
    client.post(f"/argumenten/{argument.id}/nuttig", data={"nuttig": "0"})
    assert _count(db, HelpfulMark) == 0
    login(debate["anna"])
    own = client.post(f"/argumenten/{argument.id}/nuttig", data={"nuttig": "1"})
    assert own.status_code == 403
    assert "eigen argument" in own.get_data(as_text=True)


def test_most_helpful_first(client, login, db, debate):
    idea = debate["idea"]
    later = Argument(
        idea=idea, author_id=debate["bram"].id, side=ArgumentSide.AGAINST, body="Later"
    )
    db.session.add(later)
    db.session.commit()
    login(_committed(db))
    client.post(f"/argumenten/{debate['argument'].id}/nuttig", data={"nuttig": "1"})
    newest = client.get(f"/ideeen/{idea.id}").get_data(as_text=True)
    assert newest.index("Later") < newest.index("Fijn voor ouderen.")
    helpful = client.get(f"/ideeen/{idea.id}?sort=helpful").get_data(as_text=True)
    assert helpful.index("Fijn voor ouderen.") < helpful.index("Later")


def test_arguments_close_when_voting_starts(client, login, db, debate):
    idea = debate["idea"]
    idea.status = IdeaStatus.ACCEPTED
    round_ = make_round([(debate["neighbourhood"], 1_000_000)], phase="review")
    from buurtbegroting.models import BallotItem

    db.session.add(BallotItem(round_area=round_.areas[0], idea=idea, cost_cents=100))
    db.session.commit()
    login(debate["bram"])
    assert _post(client, idea).status_code == 302  # before the vote: open
    round_.voting_opens_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    login(_committed(db))
    closed = _post(client, idea)
    assert closed.status_code == 409
    assert "gesloten" in closed.get_data(as_text=True)
    assert (
        client.post(f"/argumenten/{debate['argument'].id}/nuttig", data={"nuttig": "1"}).status_code
        == 409
    )
    assert "niet meer" in client.get(f"/ideeen/{idea.id}").get_data(as_text=True)


def test_idea_past_review_takes_no_arguments(client, login, db, debate):
    debate["idea"].status = IdeaStatus.REJECTED
    db.session.commit()
    login(debate["bram"])
    assert _post(client, debate["idea"]).status_code == 409


def test_rate_limit_per_account(app, client, login, db, debate):
    app.config["ARGUMENTS_PER_HOUR"] = 2
    try:
        login(debate["bram"])
        assert _post(client, debate["idea"], body="Een").status_code == 302
        assert _post(client, debate["idea"], body="Twee").status_code == 302
        third = _post(client, debate["idea"], body="Drie")
        assert third.status_code == 429
        assert int(third.headers["Retry-After"]) > 3000
        assert "veel argumenten" in third.get_data(as_text=True)
    finally:
        app.config["ARGUMENTS_PER_HOUR"] = 10


def test_report_rate_limit(app, client, login, db, debate):
    app.config["REPORTS_PER_DAY"] = 1
    try:
        other = Argument(
            idea=debate["idea"], author_id=debate["anna"].id, side=ArgumentSide.FOR, body="x"
        )
        db.session.add(other)
        db.session.commit()
        login(debate["bram"])
        ok = client.post(f"/argumenten/{debate['argument'].id}/melden", data={"reason": "spam"})
        assert ok.status_code == 302
        limited = client.post(f"/argumenten/{other.id}/melden", data={"reason": "spam"})
        assert limited.status_code == 429 and "Retry-After" in limited.headers
    finally:
        app.config["REPORTS_PER_DAY"] = 20


def test_report_once_and_not_your_own(client, login, db, debate):
    argument = debate["argument"]
    login(debate["bram"])
    data = {"reason": "personal_attack", "text": "Noemt mijn buurman bij naam."}
    assert client.post(f"/argumenten/{argument.id}/melden", data=data).status_code == 302
    twice = client.post(f"/argumenten/{argument.id}/melden", data=data)
    assert twice.status_code == 409 and "al gemeld" in twice.get_data(as_text=True)
    login(debate["anna"])
    assert client.post(f"/argumenten/{argument.id}/melden", data=data).status_code == 403
    assert _count(db, ArgumentReport) == 1


def test_section_runs_the_same_number_of_queries_for_5_and_50_arguments(
    client, login, db, debate, count_queries
):
    idea = debate["idea"]
    viewer = login(debate["bram"])

    def add(n):
        for i in range(n):
            writer = make_user()
            row = Argument(idea=idea, author_id=writer.id, side=ArgumentSide.AGAINST, body=f"A{i}")
            db.session.add(row)
            db.session.flush()
            db.session.add(Argument(idea=idea, author_id=viewer.id, parent_id=row.id, body="R"))
            db.session.add(HelpfulMark(argument_id=row.id, user_id=viewer.id))
        db.session.commit()

    def statements():
        from buurtbegroting.arguments.queries import section

        with count_queries() as seen:
            found = section(idea, viewer, "helpful")
            assert len(found.page.items) == min(found.page.total, 10)
        return len(seen)

    add(4)
    with client.application.test_request_context():
        few = statements()
    add(45)
    with client.application.test_request_context():
        many = statements()
    assert few == many
