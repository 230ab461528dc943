"""Helpers for the cheque tests: campaigns with codes, and initiatives that collect cheques."""

from __future__ import annotations

from datetime import date, timedelta

from buurtbegroting.cheques import services
from buurtbegroting.domain.dates import today_nl
from buurtbegroting.extensions import db
from buurtbegroting.models import ChequeCampaign, Destination, IdeaStatus
from tests.factories import make_idea, make_neighbourhood, make_user


def today() -> date:
    """Return the municipality's today (what the services use)."""
    return today_nl()


def make_campaign(count: int = 10, value_cents: int = 750, **overrides) -> ChequeCampaign:
    """Make a campaign that is open today, without codes."""
    areas = overrides.pop("areas", [])
    fields = {
        "name": "Voorjaar 2027",
        "value_cents": value_cents,
        "activation_starts_on": today() - timedelta(days=1),
        "activation_ends_on": today() + timedelta(days=41),
        "whole_municipality": not areas,
        "cheque_count": count,
    }
    fields.update(overrides)
    campaign = ChequeCampaign(**fields)
    campaign.areas = list(areas)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def issue(campaign: ChequeCampaign) -> list[str]:
    """Generate the campaign's cheques; return their plain codes (formatted)."""
    made = services.generate_cheques(campaign, None, lambda code: f"http://x/?code={code}")
    db.session.flush()
    return [f"{c.code[:4]}-{c.code[4:8]}-{c.code[8:]}" for c in made]


def make_collecting_idea(target_cents: int = 3_000, area=None, **overrides):
    """Make an accepted initiative that collects cheques until three weeks from now."""
    area = area or make_neighbourhood(postcodes=())
    fields = {
        "status": IdeaStatus.ACCEPTED,
        "destination": Destination.CHEQUES,
        "target_cents": target_cents,
        "target_date": today() + timedelta(days=21),
        "title": overrides.pop("title", "Straatfeest Ruwaard"),
    }
    fields.update(overrides)
    author = fields.pop("author", None) or make_user(area=area)
    return make_idea(area, author, costs=(("Springkussen", target_cents),), **fields)
