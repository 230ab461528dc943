"""Areas: the municipality, districts and neighbourhoods with their postcodes."""

from __future__ import annotations

from buurtbegroting.extensions import db
from buurtbegroting.models import Area, AreaLevel, Postcode
from tests.factories.sequence import seq as _seq


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
