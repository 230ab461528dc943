"""Helpers that make valid objects for tests: make_user(**overrides) and friends."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache

from werkzeug.security import generate_password_hash

from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Area,
    AreaLevel,
    AreaPlan,
    Indicator,
    PlanStatus,
    Postcode,
    Role,
    Spearhead,
    User,
)

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


@cache
def _password_hash() -> str:
    # Hash once per test session: scrypt is slow on purpose.
    return generate_password_hash(PASSWORD, method="scrypt")


def make_municipality(**overrides) -> Area:
    """Make (or return) the municipality GM0828."""
    existing = db.session.query(Area).filter_by(code=overrides.get("code", "GM0828")).one_or_none()
    if existing:
        return existing
    area = Area(**{"code": "GM0828", "name": "Oss", "level": AreaLevel.MUNICIPALITY, **overrides})
    db.session.add(area)
    db.session.flush()
    return area


def make_district(**overrides) -> Area:
    """Make a district under the municipality."""
    n = next(_seq)
    fields = {"code": f"WK0828{n % 100:02d}", "name": f"Wijk {n}", "level": AreaLevel.DISTRICT}
    fields.update(overrides)
    fields.setdefault("parent", make_municipality())
    area = Area(**fields)
    db.session.add(area)
    db.session.flush()
    return area


def make_neighbourhood(district: Area | None = None, postcodes=("5344",), **overrides) -> Area:
    """Make a neighbourhood (with a district when none is given) and map postcodes to it."""
    district = district or make_district()
    n = next(_seq)
    fields = {
        "code": f"BU{district.code[2:]}{n % 100:02d}",
        "name": f"Buurt {n}",
        "level": AreaLevel.NEIGHBOURHOOD,
    }
    fields.update(overrides)
    area = Area(parent=district, **fields)
    db.session.add(area)
    for pc in postcodes:
        db.session.add(Postcode(postcode=pc, area=area))
    db.session.flush()
    return area


def make_user(**overrides) -> User:
    """Make an active resident (override role, email, area, …); the password is PASSWORD."""
    n = next(_seq)
    coordinated = overrides.pop("coordinated_areas", [])
    fields = {
        "email": f"user{n}@example.nl",
        "display_name": f"Inwoner {n}",
        "role": Role.RESIDENT,
        "password_hash": _password_hash(),
        "locale": "nl",
    }
    fields.update(overrides)
    user = User(**fields)
    user.coordinated_areas = list(coordinated)
    db.session.add(user)
    db.session.flush()
    return user


def make_plan(
    area: Area | None = None, spearheads=("Groen en spelen", "Verkeersveiligheid"), **overrides
) -> AreaPlan:
    """Make an adopted plan for 2026-2027 with spearheads."""
    area = area or make_district()
    fields = {
        "title": f"Gebiedsplan {area.name}",
        "summary": "Samen aan de slag.",
        "period_start": date(2026, 1, 1),
        "period_end": date(2027, 12, 31),
        "status": PlanStatus.ADOPTED,
        "adopted_on": date(2025, 12, 1),
        "decision_reference": "B&W 2025-1",
    }
    fields.update(overrides)
    plan = AreaPlan(area=area, **fields)
    plan.spearheads = [
        Spearhead(title=t, description="", position=i) for i, t in enumerate(spearheads)
    ]
    db.session.add(plan)
    db.session.flush()
    return plan


def make_indicator(area: Area, **overrides) -> Indicator:
    """Make an indicator of the area monitor."""
    fields = {
        "name": "Zich eenzaam voelen",
        "value": 48.0,
        "unit": "%",
        "municipal_average": 44.0,
        "year": 2025,
        "source": "Wijkmonitor",
    }
    fields.update(overrides)
    ind = Indicator(area=area, **fields)
    db.session.add(ind)
    db.session.flush()
    return ind


def make_idea(
    area: Area | None = None,
    author: User | None = None,
    costs=(("Materiaal", 125_050),),
    **overrides,
):
    """Make an idea (submitted by default) with cost lines; spearheads via overrides."""
    from buurtbegroting.models import CostLine, Idea, IdeaStatus

    area = area or make_neighbourhood(postcodes=())
    author = author or make_user(area=area)
    n = next(_seq)
    fields = {
        "title": f"Idee {n}",
        "summary": "Een korte samenvatting.",
        "description": "Meer uitleg.",
        "status": IdeaStatus.SUBMITTED,
    }
    fields.update(overrides)
    idea = Idea(area=area, author=author, **fields)
    idea.cost_lines = [
        CostLine(item=item, amount_cents=cents, position=i) for i, (item, cents) in enumerate(costs)
    ]
    db.session.add(idea)
    db.session.flush()
    return idea


def make_group(area: Area | None = None, coordinator: User | None = None, members=(), **overrides):
    """Make a thematic group with a coordinator (and members)."""
    from buurtbegroting.models import GroupMembership, MemberRole, ThematicGroup

    area = area or make_district()
    coordinator = coordinator or make_user()
    n = next(_seq)
    fields = {
        "name": f"Groep {n}",
        "free_theme": "Samen groen",
        "description": "Wij maken de buurt groener.",
    }
    fields.update(overrides)
    group = ThematicGroup(area=area, **fields)
    group.memberships = [GroupMembership(user=coordinator, role=MemberRole.COORDINATOR)] + [
        GroupMembership(user=m, role=MemberRole.MEMBER) for m in members
    ]
    db.session.add(group)
    db.session.flush()
    return group
