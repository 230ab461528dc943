"""The administration's pages: the index here, the rest per subject in this package.

The index links exactly the pages the user may open: each card asks the rule of the
page it links to (the guard rule of the target blueprint, or the page's own rule).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from buurtbegroting import permissions as perm
from buurtbegroting.admin import bp
from buurtbegroting.admin.forms import ACTION_LABELS, LEVEL_LABELS, ROLE_LABELS


def _can_set_up_rounds(user) -> bool:
    """The rule of the rounds administration: staff who may create a round."""
    return perm.is_staff(user) and perm.can_create_round(user)


@dataclass(frozen=True)
class Card:
    """One card of the administration index: a link to a page and what it is for."""

    endpoint: str
    title: str
    text: str
    #: The blueprint whose guard decides who may open the page.
    blueprint: str
    #: The page's own rule (pages guarded in the view), or the guard's rule when the
    #: blueprint does not say it (``guard_rule``).
    rule: object
    own_rule: bool = False


CARDS = (
    Card(
        "review.queue",
        _l("Review ideas"),
        _l("Check submitted ideas: feasibility, cost and spearheads; accept or reject."),
        "review",
        perm.can_review_ideas,
    ),
    Card(
        "rounds_admin.index",
        _l("Budget rounds"),
        _l("Set up voting rounds, voting codes and paper ballots; close a round."),
        "rounds_admin",
        _can_set_up_rounds,
    ),
    Card(
        "cheques.admin.index",
        _l("Cheque campaigns"),
        _l("Cheque campaigns, their codes and statistics."),
        "cheques.admin",
        perm.can_manage_cheque_campaigns,
    ),
    Card(
        "jobs.index",
        _l("Jobs"),
        _l("Long work that runs in the background: its progress and its files."),
        "jobs",
        perm.can_list_jobs,
    ),
    Card(
        "accountability.manage.index",
        _l("Accountability"),
        _l("Funded ideas: payouts, reports and money returned."),
        "accountability.manage",
        perm.can_manage_accountability,
    ),
    Card(
        "admin.areas",
        _l("Areas"),
        _l("The municipality, its districts and neighbourhoods, with their CBS codes."),
        "admin",
        perm.can_edit_area_tree,
        own_rule=True,
    ),
    Card(
        "admin.postcodes",
        _l("Postcodes"),
        _l("Which postcode belongs to which neighbourhood."),
        "admin",
        perm.can_edit_area_tree,
        own_rule=True,
    ),
    Card(
        "admin.plans",
        _l("Area plans"),
        _l("Area plans and their spearheads; adopt a plan."),
        "admin",
        perm.can_list_plans,
        own_rule=True,
    ),
    Card(
        "admin.indicators",
        _l("Indicators"),
        _l("The figures of the area monitor."),
        "admin",
        perm.can_import_indicators,
        own_rule=True,
    ),
    Card(
        "admin.users",
        _l("Users"),
        _l("Accounts, roles and blocked accounts."),
        "admin",
        perm.can_manage_users,
        own_rule=True,
    ),
    Card(
        "admin.audit_log",
        _l("Log"),
        _l("Who changed what, and when."),
        "admin",
        perm.can_view_audit_log,
        own_rule=True,
    ),
    Card(
        "admin.outbox",
        _l("Outgoing e-mail"),
        _l("The e-mail queue: waiting, delivered and failed messages."),
        "admin",
        perm.can_read_outbox,
        own_rule=True,
    ),
)


def card_rule(card: Card):
    """Return the rule that decides who may open the card's page."""
    blueprint = current_app.blueprints.get(card.blueprint)
    guard_rule = getattr(blueprint, "guard_rule", None)
    if card.own_rule:
        # The blueprint lets in its users; the page then asks its own rule.
        return lambda user: (guard_rule is None or guard_rule(user)) and card.rule(user)
    return guard_rule or card.rule


def visible_cards(user) -> list[Card]:
    """Return the cards of the pages that exist and that ``user`` may open."""
    return [
        card
        for card in CARDS
        if card.endpoint in current_app.view_functions and card_rule(card)(user)
    ]


@bp.app_context_processor
def admin_labels():
    """Give admin templates the translated labels of roles, levels and actions."""
    return {
        "role_labels": ROLE_LABELS,
        "level_labels": LEVEL_LABELS,
        "action_labels": ACTION_LABELS,
    }


@bp.route("/")
def index():
    """Show the start page of the administration."""
    return render_template("admin/index.html", cards=visible_cards(current_user))


from buurtbegroting.admin.views import areas, boundaries, imports, outbox, plans, users  # noqa: E402,F401
