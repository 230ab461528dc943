"""Demo activity on top of the demo municipality: ideas, groups, advice and voting rounds.

Everything is invented. The demo voting codes are made from a fixed seed, so the README
can list them; real codes are random (see buurtbegroting.domain.codes).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from buurtbegroting.domain.codes import ALPHABET, check_character
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Advice,
    AdvicePosition,
    Area,
    AreaPlan,
    BallotItem,
    BallotType,
    BudgetRound,
    CostLine,
    Destination,
    GroupMembership,
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    MemberRole,
    OutcomeRule,
    RoundArea,
    Support,
    ThematicGroup,
    User,
    VotingCode,
)

OPEN_ROUND = "Buurtbudget Ruwaard 2026"
CLOSED_ROUND = "Buurtbudget Berghem 2025"
DEMO_CODE_SEED = 828


def demo_codes(count: int = 5) -> list[str]:
    """Return the demo voting codes of the open demo round (the same on every machine)."""
    rng = random.Random(DEMO_CODE_SEED)
    codes = []
    for _ in range(count):
        data = "".join(rng.choice(ALPHABET) for _ in range(12))
        codes.append(data + check_character(data))
    return codes


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _area(code: str) -> Area:
    return db.session.scalar(select(Area).where(Area.code == code))


def _spearheads(area: Area) -> list:
    district = area if area.level == "district" else area.parent
    plan = db.session.scalar(select(AreaPlan).where(AreaPlan.area_id == district.id))
    return list(plan.spearheads) if plan else []


def _idea(
    author,
    area,
    title,
    summary,
    description,
    lines,
    status,
    destination=Destination.BUDGET_ROUND,
    message="",
    **extra,
):
    now = datetime.now(UTC)
    group = extra.pop("group", None)
    from demo.boundaries import spot_in

    spot = spot_in(area.code, title)
    if spot is not None:
        extra.setdefault("latitude", spot[0])
        extra.setdefault("longitude", spot[1])
    idea = Idea(
        title=title,
        summary=summary,
        description=description,
        area=area,
        author=author,
        status=status,
        destination=destination,
        submitted_at=now - timedelta(days=40),
        **extra,
    )
    db.session.add(idea)
    with db.session.no_autoflush:
        idea.group = group
        idea.cost_lines = [
            CostLine(item=item, amount_cents=cents, position=i)
            for i, (item, cents) in enumerate(lines)
        ]
        idea.spearheads = _spearheads(area)[:1]
    path = {
        IdeaStatus.SUBMITTED: [IdeaStatus.SUBMITTED],
        IdeaStatus.IN_REVIEW: [IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW],
        IdeaStatus.ACCEPTED: [IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.ACCEPTED],
        IdeaStatus.REJECTED: [IdeaStatus.SUBMITTED, IdeaStatus.IN_REVIEW, IdeaStatus.REJECTED],
    }[status]
    previous = IdeaStatus.DRAFT
    db.session.add(
        IdeaStatusChange(
            idea=idea, actor_id=author.id, from_status=None, to_status=IdeaStatus.DRAFT
        )
    )
    for step in path:
        db.session.add(
            IdeaStatusChange(
                idea=idea,
                from_status=previous,
                to_status=step,
                message=message if step == status else "",
            )
        )
        previous = step
    return idea


def load_activity() -> int:
    """Add demo ideas, groups, advice and two rounds, once; return how many objects were added."""
    if db.session.scalar(select(BudgetRound).where(BudgetRound.name == OPEN_ROUND)) is not None:
        return 0
    anna, bram = _user("anna@example.nl"), _user("bram@example.nl")
    ruwaard_oost, berghem = _area("BU08280300"), _area("BU08280700")
    ruwaard, berghem_district = ruwaard_oost.parent, berghem.parent
    added = 0

    group = ThematicGroup(
        name="Groen Ruwaard",
        area=ruwaard,
        free_theme="Meer groen en schaduw",
        description="Buren die samen de Ruwaard groener maken.",
    )
    group.memberships = [
        GroupMembership(user=anna, role=MemberRole.COORDINATOR),
        GroupMembership(user=bram, role=MemberRole.MEMBER),
    ]
    council = ThematicGroup(
        name="Dorpsraad Berghem",
        area=berghem_district,
        free_theme="Alles over Berghem",
        description="De dorpsraad denkt mee over plannen voor Berghem.",
        is_council=True,
    )
    council.memberships = [GroupMembership(user=bram, role=MemberRole.COORDINATOR)]
    db.session.add_all([group, council])
    added += 2

    ballot_ideas = [
        _idea(
            anna,
            ruwaard_oost,
            "Bankjes bij de speeltuin",
            "Drie bankjes zodat ouders en ouderen kunnen zitten.",
            "Bij de speeltuin aan de Ruwaardse Dreef kun je nergens zitten.\n\n- drie bankjes\n- een prullenbak",
            [("Bankjes", 450_000), ("Plaatsen", 150_000)],
            IdeaStatus.ACCEPTED,
            group=group,
        ),
        _idea(
            bram,
            ruwaard_oost,
            "Moestuin voor de buurt",
            "Een moestuin waar buren samen groente kweken.",
            "We maken bakken en zorgen samen voor de tuin.",
            [("Bakken en aarde", 300_000), ("Gereedschap", 80_000)],
            IdeaStatus.ACCEPTED,
        ),
        _idea(
            anna,
            ruwaard_oost,
            "Jongerenplek met overkapping",
            "Een overdekte plek waar jongeren kunnen zitten en praten.",
            "Jongeren hebben nu geen eigen plek in de wijk.",
            [("Overkapping", 520_000)],
            IdeaStatus.ACCEPTED,
        ),
    ]
    _idea(
        bram,
        ruwaard_oost,
        "Buurtbarbecue",
        "Een grote barbecue voor de hele straat.",
        "Om buren te leren kennen.",
        [("Vlees en drinken", 400_000)],
        IdeaStatus.REJECTED,
        message="De gemeente betaalt geen eten en drinken uit het buurtbudget.",
    )
    submitted = _idea(
        anna,
        ruwaard_oost,
        "Zebrapad bij de school",
        "Een veilige oversteek bij basisschool De Ruwaard.",
        "Kinderen steken nu over tussen geparkeerde auto's.",
        [("Zebrapad en borden", 380_000)],
        IdeaStatus.SUBMITTED,
    )
    checking = _idea(
        bram,
        berghem,
        "Opknappen jeu-de-boulesbaan",
        "De baan bij het dorpshuis is kapot.",
        "Ouderen spelen er elke week.",
        [("Zand en randen", 320_000)],
        IdeaStatus.IN_REVIEW,
    )
    db.session.flush()
    db.session.add(Support(idea_id=submitted.id, user_id=bram.id))
    _arguments(submitted, anna, bram)
    db.session.add(
        Advice(
            group=council,
            idea=checking,
            author=bram,
            position=AdvicePosition.POSITIVE,
            text="Veel ouderen in Berghem gebruiken deze baan. De dorpsraad is positief.",
        )
    )
    added += 6

    now = datetime.now(UTC)
    open_round = BudgetRound(
        name=OPEN_ROUND,
        description="Kies mee welke plannen de Ruwaard beter maken.",
        submission_opens_at=now - timedelta(days=60),
        review_opens_at=now - timedelta(days=30),
        voting_opens_at=now - timedelta(days=1),
        voting_closes_at=now + timedelta(days=30),
        results_at=now + timedelta(days=37),
        ballot_type=BallotType.KNAPSACK,
        min_choices=1,
        rule=OutcomeRule.GREEDY,
        tie_break="cheaper",
        rule_explanation="De ideeën met de meeste stemmen krijgen geld, zolang het budget niet op is.",
        min_age=12,
    )
    ra = RoundArea(round=open_round, area=ruwaard, budget_cents=1_000_000, eligible_count=7_500)
    ra.items = [
        BallotItem(idea=idea, cost_cents=idea.cost_cents, position=i)
        for i, idea in enumerate(ballot_ideas)
    ]
    db.session.add(open_round)
    db.session.flush()
    from buurtbegroting.domain.codes import normalize_code
    from buurtbegroting.rounds.services import voting_code_hash

    for code in demo_codes():
        db.session.add(VotingCode(round_area=ra, code_hash=voting_code_hash(normalize_code(code))))
    added += 1
    db.session.flush()
    added += _closed_round(berghem_district, berghem, bram)
    return added


def _closed_round(district: Area, buurt: Area, author: User) -> int:
    """A round of last year in Berghem, voted, closed and published, so results can be seen."""
    from buurtbegroting.rounds import closing, services

    rng = random.Random(2025)
    now = datetime.now(UTC)
    ideas = [
        _idea(
            author,
            buurt,
            "Speeltoestel voor peuters",
            "Een klein speeltoestel bij het dorpshuis.",
            "Voor de jongste kinderen.",
            [("Speeltoestel", 420_000)],
            IdeaStatus.ACCEPTED,
        ),
        _idea(
            author,
            buurt,
            "Bloemen langs de Hoofdstraat",
            "Bloembakken langs de Hoofdstraat.",
            "Voor een vrolijk dorp.",
            [("Bloembakken", 250_000)],
            IdeaStatus.ACCEPTED,
        ),
        _idea(
            author,
            buurt,
            "Verlichting fietspad",
            "Lampen langs het fietspad naar Oss.",
            "Veiliger fietsen in het donker.",
            [("Lampen", 560_000)],
            IdeaStatus.ACCEPTED,
        ),
        _idea(
            author,
            buurt,
            "Kerstmarkt",
            "Een kerstmarkt op het plein.",
            "Gezellig samen.",
            [("Kramen", 300_000)],
            IdeaStatus.ACCEPTED,
        ),
    ]
    round_ = BudgetRound(
        name=CLOSED_ROUND,
        description="Berghem koos vorig jaar zelf waar het geld naartoe ging.",
        submission_opens_at=now - timedelta(days=400),
        review_opens_at=now - timedelta(days=370),
        voting_opens_at=now - timedelta(days=340),
        voting_closes_at=now + timedelta(days=1),
        results_at=now - timedelta(days=300),
        ballot_type=BallotType.APPROVAL,
        min_choices=1,
        max_choices=2,
        rule=OutcomeRule.EQUAL_SHARES,
        tie_break="cheaper",
        rule_explanation="Elke stemmer krijgt een gelijk deel van het budget. Een idee krijgt geld als de mensen die erop stemden het samen kunnen betalen.",
        min_age=12,
    )
    ra = RoundArea(round=round_, area=district, budget_cents=1_000_000, eligible_count=900)
    ra.items = [
        BallotItem(idea=idea, cost_cents=idea.cost_cents, position=i)
        for i, idea in enumerate(ideas)
    ]
    db.session.add(round_)
    db.session.flush()
    weights = [0.45, 0.3, 0.35, 0.15]
    for _ in range(120):
        chosen = [item.id for item, w in zip(ra.items, weights, strict=True) if rng.random() < w][
            :2
        ] or [ra.items[0].id]
        services.cast_ballot(ra, dict.fromkeys(chosen, 1), is_paper=True)
    round_.voting_closes_at = now - timedelta(days=310)
    db.session.flush()
    admin = _user("beheerder@buurtbegroting.nl")
    closing.close_round(round_, admin)
    round_.closed_at = round_.published_at = now - timedelta(days=305)
    db.session.flush()
    return 1


def _arguments(idea, author, other) -> None:
    """Add an argument for and one against the idea, with a reply (invented, like all demo data)."""
    from buurtbegroting.domain.arguments import ArgumentSide
    from buurtbegroting.models import Argument

    pro = Argument(
        idea=idea,
        author_id=other.id,
        side=ArgumentSide.FOR,
        body="Mijn kinderen lopen elke dag langs die plek. Een zebrapad maakt het veiliger.",
    )
    con = Argument(
        idea=idea,
        author_id=None,
        side=ArgumentSide.AGAINST,
        body="Een drempel helpt meer dan een zebrapad: auto's rijden daar te hard.",
    )
    db.session.add_all([pro, con])
    db.session.flush()
    db.session.add(
        Argument(
            idea=idea,
            author_id=author.id,
            parent_id=con.id,
            body="Goed punt. Misschien kan het allebei.",
        )
    )
