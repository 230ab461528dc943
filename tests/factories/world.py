"""Data for the API tests: every kind of object, with personal data the API must never show."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from buurtbegroting.accountability.services import fund_idea
from buurtbegroting.extensions import db
from buurtbegroting.models import (
    Ballot,
    BudgetRound,
    Cheque,
    ChequeCampaign,
    CodeStatus,
    Expense,
    FundingSource,
    IdeaStatus,
    Milestone,
    ProgressUpdate,
    RoundArea,
    Support,
)
from tests.factories import (
    make_district,
    make_group,
    make_idea,
    make_indicator,
    make_neighbourhood,
    make_plan,
    make_user,
)

#: Strings that must never appear in any API response.
SECRETS = {
    "author_email": "geheim.auteur@example.nl",
    "author_name": "Geheime Auteur",
    "supporter_email": "steun.geheim@example.nl",
    "iban": "NL91ABNA0417164300",
    "receipt": "0123456789abcdef0123456789abcdef.pdf",
    "draft_title": "Geheim concept",
    "code_hash": "c0dehash" * 8,
}


def build_world():
    """Make areas, a plan, indicators, ideas (public, draft, funded), a round and a cheque campaign."""
    district = make_district(name="Ruwaard")
    buurt = make_neighbourhood(district, name="Ruwaard-Oost", postcodes=("5344",))
    plan = make_plan(district)
    make_indicator(district)
    author = make_user(
        email=SECRETS["author_email"], display_name=SECRETS["author_name"], area=buurt
    )
    supporter = make_user(email=SECRETS["supporter_email"])
    group = make_group(district, coordinator=author, name="Groene Buurt")
    public = make_idea(
        buurt, author, status=IdeaStatus.ACCEPTED, spearheads=[plan.spearheads[0]], group=group
    )
    make_idea(buurt, author, status=IdeaStatus.DRAFT, title=SECRETS["draft_title"])
    db.session.add(Support(idea_id=public.id, user_id=supporter.id))
    funding = fund_idea(
        public,
        source=FundingSource.ROUND,
        amount_cents=125_050,
        actor=None,
        planned_end_on=date(2026, 6, 1),
    )
    funding.bank_account = SECRETS["iban"]
    db.session.add(
        Expense(
            funding=funding,
            description="Verf",
            amount_cents=2_000,
            spent_on=date(2026, 3, 1),
            receipt_filename=SECRETS["receipt"],
            receipt_mimetype="application/pdf",
        )
    )
    db.session.add(Milestone(funding=funding, title="Verven", planned_on=date(2026, 4, 1)))
    db.session.add(ProgressUpdate(funding=funding, text="Begonnen", author_id=author.id))
    now = datetime.now(UTC)
    round_ = BudgetRound(
        name="Buurtbudget 2026",
        submission_opens_at=now - timedelta(days=90),
        review_opens_at=now - timedelta(days=60),
        voting_opens_at=now - timedelta(days=30),
        voting_closes_at=now - timedelta(days=5),
        results_at=now - timedelta(days=1),
    )
    round_area = RoundArea(
        round=round_,
        area=district,
        budget_cents=1_000_000,
        ballot_count=12,
        result={
            "selected": [public.id],
            "explanation": "Meeste stemmen",
            "totals": {"cost": 125050},
            "voters": [SECRETS["supporter_email"]],
        },
    )
    db.session.add_all([round_, round_area])
    db.session.flush()
    funding.round_area_id = round_area.id
    db.session.add(Ballot(id="b" * 32, round_area_id=round_area.id, cast_on=date(2026, 5, 1)))
    campaign = ChequeCampaign(
        name="Voorjaar 2026",
        activation_starts_on=date(2026, 3, 1),
        activation_ends_on=date(2026, 4, 15),
        cheque_count=3,
    )
    db.session.add(campaign)
    db.session.flush()
    cheque_idea = make_idea(buurt, author, status=IdeaStatus.ACCEPTED, collected_cents=750)
    db.session.add_all(
        [
            Cheque(
                campaign_id=campaign.id,
                code_hash=SECRETS["code_hash"],
                status=CodeStatus.USED,
                idea_id=cheque_idea.id,
            ),
            Cheque(campaign_id=campaign.id, code_hash="a" * 64),
        ]
    )
    db.session.commit()
    return {
        "round": round_,
        "round_area": round_area,
        "idea": public,
        "cheque_idea": cheque_idea,
        "buurt": buurt,
        "district": district,
    }


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return out.getvalue()
