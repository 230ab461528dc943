"""Every form of every blueprint answers bad input with a 4xx (or a normal page), never a 500.

The walk loads the demo data (ideas, rounds, campaigns, groups, plans of every kind), then
for every route that takes a POST, as each role that may use it:

1. fills the route's arguments with ids of real demo objects;
2. opens the page, reads the names of the fields of its forms;
3. posts every field set to each bad value: empty, white space only, 10,000 characters,
   control characters, line breaks, a wrong type, out-of-range numbers, an impossible date,
   and a file field with garbage.

New routes and new fields are walked without changing this test. Routes whose arguments it
cannot fill from the demo get made-up values (and so a 404, which is fine).
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from sqlalchemy import literal, select

from buurtbegroting.models import (
    AreaPlan,
    Argument,
    BudgetRound,
    ChequeCampaign,
    CoOrganiser,
    Expense,
    Funding,
    GroupMembership,
    Idea,
    Job,
    Milestone,
    ProgressUpdate,
    RoundArea,
    Spearhead,
    ThematicGroup,
    User,
)

BAD_VALUES = {
    "empty": "",
    "spaces": "   \t  ",
    "long": "x" * 10_000,
    "control": "a\x00b\x07c\x1b",
    "breaks": "eerste regel\r\nBcc: kwaad@example.org\n",
    "wrong_type": "[object Object]",
    "out_of_range": "-99999999999999999999",
    "impossible_date": "2026-02-31",
}

#: Which demo object fills a route argument (the first by id of the query).
ARGUMENTS = {
    "idea_id": select(Idea.id).order_by(Idea.id),
    "round_id": select(BudgetRound.id).order_by(BudgetRound.id.desc()),
    "round_area_id": select(RoundArea.id).order_by(RoundArea.id.desc()),
    "group_id": select(ThematicGroup.id).order_by(ThematicGroup.id),
    "plan_id": select(AreaPlan.id).order_by(AreaPlan.id),
    "spearhead_id": select(Spearhead.id).order_by(Spearhead.id),
    "milestone_id": select(Milestone.id).order_by(Milestone.id),
    "campaign_id": select(ChequeCampaign.id).order_by(ChequeCampaign.id),
    "membership_id": select(GroupMembership.id).order_by(GroupMembership.id),
    "user_id": select(User.id).where(User.email == "bram@example.nl"),
    "update_id": select(ProgressUpdate.id).order_by(ProgressUpdate.id),
    "expense_id": select(Expense.id).order_by(Expense.id),
    "organiser_id": select(CoOrganiser.id).order_by(CoOrganiser.id),
    "job_id": select(Job.id).order_by(Job.id),
    "argument_id": select(Argument.id).order_by(Argument.id),
}

#: Blueprints whose routes need a particular kind of object.
ARGUMENTS_OF = {
    # A routine that changes nothing in the demo; its job then gives the job pages an id.
    "jobs": {"kind": select(literal("clean_job_results"))},
    "accountability": {"idea_id": select(Funding.idea_id).order_by(Funding.id)},
    "accountability.manage": {"idea_id": select(Funding.idea_id).order_by(Funding.id)},
}

#: Who posts: the administrator may use every staff form; residents use their own; the
#: initiator is the author of the idea the routes are filled with.
WALKERS = ("admin", "resident", "initiator")


class _FormFields(HTMLParser):
    """Collect the names of the fields of a page's POST forms (and which are files)."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.action: str | None = None
        #: form action (a path) -> (field names, file field names)
        self.forms: dict[str, tuple[set[str], set[str]]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "").lower() == "post":
                self.action = (attrs.get("action") or self.path).split("?")[0]
                self.forms.setdefault(self.action, (set(), set()))
        elif self.action and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if not name or name == "csrf_token":
                return
            names, files = self.forms[self.action]
            (files if (attrs.get("type") or "").lower() == "file" else names).add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.action = None


def _post_rules(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.endpoint.startswith("static"):
            yield rule


def _blueprints(app) -> list[str]:
    return sorted({rule.endpoint.rsplit(".", 1)[0] for rule in _post_rules(app)})


def _fill(rule, db, blueprint: str) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        query = ARGUMENTS_OF.get(blueprint, {}).get(name, ARGUMENTS.get(name))
        found = db.session.scalar(query.limit(1)) if query is not None else None
        if found is not None:
            values[name] = found
        elif converter == "IntegerConverter":
            values[name] = 1
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def _forms(client, paths) -> dict[str, tuple[set[str], set[str]]]:
    """Open pages and return the fields of every POST form on them, by the form's action."""
    forms: dict[str, tuple[set[str], set[str]]] = {}
    for path in paths:
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.content_type:
            continue
        parser = _FormFields(path)
        parser.feed(page.get_data(as_text=True))
        for action, (names, files) in parser.forms.items():
            known = forms.setdefault(action, (set(), set()))
            known[0].update(names)
            known[1].update(files)
    return forms


def _user(db, role: str, blueprint: str) -> User:
    if role == "initiator":
        query = ARGUMENTS_OF.get(blueprint, {}).get("idea_id", ARGUMENTS["idea_id"])
        idea = db.session.get(Idea, db.session.scalar(query.limit(1)))
        return idea.author
    email = {"admin": "beheerder@buurtbegroting.nl", "resident": "anna@example.nl"}[role]
    return db.session.scalar(select(User).where(User.email == email))


def _blueprint_names():
    from buurtbegroting import create_app
    from tests.dbsupport import make_config

    return _blueprints(create_app(make_config("sqlite://")))


@pytest.mark.slow
@pytest.mark.parametrize("blueprint", _blueprint_names())
def test_every_form_answers_bad_input_without_a_server_error(app, db, runner, blueprint):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    walked = reached = 0
    failures = []
    rules = [r for r in _post_rules(app) if r.endpoint.rsplit(".", 1)[0] == blueprint]
    pages = [
        _fill(r, db, blueprint)
        for r in app.url_map.iter_rules()
        if "GET" in r.methods and r.endpoint.rsplit(".", 1)[0] == blueprint
    ]
    for role in WALKERS:
        user = _user(db, role, blueprint)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        forms = _forms(client, pages)
        for rule in rules:
            path = _fill(rule, db, blueprint)
            names, files = forms.get(path) or (set(), set())
            names = (names - {"lang", "next"}) or {"title", "name", "amount", "date", "text"}
            for kind, value in BAD_VALUES.items():
                data = dict.fromkeys(names, value)
                for name in files:
                    data[name] = (io.BytesIO(b"\x89PNG garbage" + value.encode()), "x.png")
                response = client.post(path, data=data, content_type="multipart/form-data")
                walked += 1
                reached += response.status_code not in (401, 403, 404, 405)
                if response.status_code >= 500:
                    failures.append((role, rule.endpoint, path, kind, response.status_code))
    # The walk reached forms (not only refusals), so it can find a server error.
    assert walked > 0 and reached > 0
    assert failures == []
