"""Demo data: the municipality of Oss with its 11 districts.

The districts are those of the Oss area monitor; neighbourhood names and codes,
postcodes, plans, the boundaries on the map (demo/boundaries.py) and every number
are invented but plausible.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from buurtbegroting import audit
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
    utcnow,
)

MUNICIPALITY = ("GM0828", "Oss")

#: (number, name, [(neighbourhood name, [postcodes])])
DISTRICTS = [
    (
        1,
        "Centrum/Krinkelhoek/Mettegeupel",
        [
            ("Centrum", ["5341AA", "5341AB", "5341AC"]),
            ("Krinkelhoek", ["5341BA", "5341BB"]),
            ("Mettegeupel", ["5342"]),
        ],
    ),
    (2, "Schadewijk", [("Schadewijk-Noord", ["5343AA", "5343AB"]), ("Schadewijk-Zuid", ["5343"])]),
    (
        3,
        "Ruwaard",
        [
            ("Ruwaard-Oost", ["5344"]),
            ("Ruwaard-West", ["5345AA", "5345AB"]),
            ("De Ruwaardse Dreef", ["5345"]),
        ],
    ),
    (4, "Noordwest", [("Vierwinden", ["5346"]), ("Ussen", ["5347"])]),
    (5, "Oss-Zuid", [("Oss-Zuid", ["5348"]), ("Horzak", ["5349"])]),
    (6, "Megen/Haren/Macharen", [("Megen", ["5366"]), ("Haren", ["5367"]), ("Macharen", ["5368"])]),
    (7, "Berghem", [("Berghem-Dorp", ["5351"]), ("Berghem-Buiten", ["5352"])]),
    (8, "Ravenstein", [("Ravenstein", ["5371"]), ("Dieden", ["5372"])]),
    (9, "Herpen", [("Herpen", ["5373"]), ("Overlangel", ["5374"])]),
    (10, "Lith", [("Lith", ["5397"]), ("Lithoijen", ["5398"]), ("Oijen", ["5399"])]),
    (11, "Geffen", [("Geffen", ["5386"]), ("Nuland-grens", ["5387"])]),
]

SPEARHEAD_POOL = [
    (
        "Ontmoetingsplekken voor jongeren",
        "Plekken waar jongeren samen kunnen zijn, sporten of iets organiseren.",
    ),
    (
        "Eenzaamheid onder ouderen tegengaan",
        "Ouderen komen vaker buiten de deur en kennen hun buren.",
    ),
    ("Groen en speelruimte", "Meer groen, meer schaduw en veilige plekken om te spelen."),
    ("Verkeersveiligheid", "Veiliger fietsen en oversteken, vooral rond scholen."),
    ("Vrijwilligerswerk stimuleren", "Meer mensen helpen elkaar en doen mee in de buurt."),
    ("Schone en hele buurt", "Minder zwerfafval en minder kapotte dingen op straat."),
    ("Samen duurzaam", "Buren besparen samen energie en maken de buurt groener."),
]

#: (name, unit, municipal average, spread): the district value varies around the average.
INDICATORS = [
    ("Inwoners", "", None, None),
    ("Aandeel 65-plussers", "%", 21.4, 6.0),
    ("Huishoudens", "", None, None),
    ("Ervaren veiligheid (rapportcijfer)", "", 7.4, 0.6),
    ("Prettig wonen (rapportcijfer)", "", 7.8, 0.5),
    ("Zich eenzaam voelen", "%", 44.0, 8.0),
    ("Doet vrijwilligerswerk", "%", 29.0, 7.0),
]

DEMO_USERS = [
    # email, password, name, role, postcode, coordinated district numbers
    ("beheerder@buurtbegroting.nl", "demo-beheerder", "Beheerder Gemeente", Role.ADMIN, None, []),
    (
        "wijkcoordinator@buurtbegroting.nl",
        "demo-coordinator",
        "Sanne de Wijkcoördinator",
        Role.COORDINATOR,
        None,
        [2, 3],
    ),
    (
        "vakafdeling@buurtbegroting.nl",
        "demo-vakafdeling",
        "Ruud van de Vakafdeling",
        Role.REVIEWER,
        None,
        [],
    ),
    ("anna@example.nl", "demo-inwoner", "Anna Jansen", Role.RESIDENT, "5344", []),
    ("bram@example.nl", "demo-inwoner", "Bram de Vries", Role.RESIDENT, "5351", []),
]


def _wiggle(seed: int, spread: float) -> float:
    # Deterministic pseudo-variation, so the demo is the same on every machine.
    return ((seed * 7919) % 1000 / 1000 - 0.5) * 2 * spread


def _get_or_add(model, lookup: dict, **fields):
    obj = db.session.scalar(select(model).filter_by(**lookup))
    if obj is not None:
        return obj, False
    obj = model(**lookup, **fields)
    db.session.add(obj)
    db.session.flush()
    return obj, True


def load_demo() -> int:
    """Create whatever part of the demo data is missing; return how many objects were added."""
    added = 0
    gm, new = _get_or_add(
        Area, {"code": MUNICIPALITY[0]}, name=MUNICIPALITY[1], level=AreaLevel.MUNICIPALITY
    )
    added += new
    districts: dict[int, Area] = {}
    for number, name, neighbourhoods in DISTRICTS:
        wk, new = _get_or_add(
            Area, {"code": f"WK0828{number:02d}"}, name=name, level=AreaLevel.DISTRICT, parent=gm
        )
        added += new
        districts[number] = wk
        for index, (bu_name, postcodes) in enumerate(neighbourhoods):
            bu, new = _get_or_add(
                Area,
                {"code": f"BU0828{number:02d}{index:02d}"},
                name=bu_name,
                level=AreaLevel.NEIGHBOURHOOD,
                parent=wk,
            )
            added += new
            for pc in postcodes:
                _, new = _get_or_add(Postcode, {"postcode": pc}, area=bu)
                added += new
        added += _plan_for(wk, number)
        added += _indicators_for(wk, number, len(neighbourhoods))
    added += _indicators_for(gm, 0, 30)
    from demo.boundaries import load_boundaries

    added += load_boundaries({a.code: a for a in db.session.scalars(select(Area))})
    for email, password, name, role, postcode, coordinated in DEMO_USERS:
        user = db.session.scalar(select(User).filter_by(email=email))
        if user is not None:
            continue
        area = db.session.get(Postcode, postcode).area if postcode else None
        user = User(
            email=email,
            display_name=name,
            role=role,
            postcode=postcode,
            area=area,
            locale="nl",
            email_verified_at=utcnow(),
        )
        user.set_password(password)
        user.coordinated_areas = [districts[n] for n in coordinated]
        db.session.add(user)
        added += 1
    db.session.flush()
    from demo.activity import load_activity

    added += load_activity()
    if added:
        audit.record(None, "demo.load", object_type="demo", summary=f"{added} demo objects added")
    return added


def _plan_for(district: Area, number: int) -> int:
    title = f"Gebiedsplan {district.name} 2026-2027"
    if db.session.scalar(select(AreaPlan).filter_by(area_id=district.id, title=title)):
        return 0
    count = 3 + number % 3
    picks = [SPEARHEAD_POOL[(number + i * 2) % len(SPEARHEAD_POOL)] for i in range(count)]
    plan = AreaPlan(
        area=district,
        title=title,
        summary=(
            f"Dit plan zegt wat bewoners, organisaties en de gemeente de komende twee jaar "
            f"samen willen verbeteren in {district.name}."
        ),
        period_start=date(2026, 1, 1),
        period_end=date(2027, 12, 31),
        status=PlanStatus.ADOPTED,
        adopted_on=date(2025, 12, 9),
        decision_reference=f"B&W-besluit 2025-{400 + number}",
        spearheads=[
            Spearhead(title=t, description=d, position=i) for i, (t, d) in enumerate(picks)
        ],
    )
    db.session.add(plan)
    db.session.flush()
    return 1


def _indicators_for(area: Area, seed: int, size: int) -> int:
    added = 0
    inhabitants = 92_000 if seed == 0 else 2_500 * size + (seed * 1_337) % 4_000
    for position, (name, unit, average, spread) in enumerate(INDICATORS):
        if name == "Inwoners":
            value, avg = float(inhabitants), None
        elif name == "Huishoudens":
            value, avg = float(round(inhabitants / 2.2)), None
        elif seed == 0:
            value, avg = average, average
        else:
            value, avg = round(average + _wiggle(seed * 10 + position, spread), 1), average
        _, new = _get_or_add(
            Indicator,
            {"area_id": area.id, "name": name, "year": 2025},
            value=value,
            unit=unit,
            municipal_average=avg,
            source="Wijkmonitor Oss 2025 (demo, verzonnen cijfers)",
        )
        added += new
    return added
