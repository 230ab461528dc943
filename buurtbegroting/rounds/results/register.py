"""The outcome rule in plain words, and the algorithm-register text, from a round's settings."""

from __future__ import annotations

from flask import current_app
from flask_babel import _

from buurtbegroting.models import BallotType, BudgetRound, OutcomeRule


def tie_break_text(spec: str) -> str:
    """Explain a round's tie-break setting in one sentence."""
    if spec.startswith("seed:"):
        return _(
            "When ideas have the same number of votes, a draw decides with the number %(seed)s, "
            "published before voting.",
            seed=spec.split(":", 1)[1],
        )
    return {
        "cheaper": _("When ideas have the same number of votes, the cheaper idea goes first."),
        "lexicographic": _(
            "When ideas have the same number of votes, the idea with the lower number goes first."
        ),
        "listed": _(
            "When ideas have the same number of votes, the idea listed first on the ballot goes "
            "first."
        ),
    }.get(spec, spec)


def rule_text(round_: BudgetRound) -> list[str]:
    """Explain how the winners were found, in short sentences."""
    if round_.rule == OutcomeRule.EQUAL_SHARES:
        lines = [
            _(
                "Every voter gets an equal part of the budget. An idea gets money when the people "
                "who voted for it can pay for it together with their parts."
            ),
            _("The idea that costs its voters the least per person goes first."),
            _(
                "Is there money left? Then each part grows by one euro at a time, as long as the "
                "budget is not exceeded."
            ),
        ]
    else:
        lines = [
            _("The idea with the most votes gets money first, then the next one."),
            _(
                "Does an idea no longer fit in the money that is left? Then it is skipped and the "
                "next idea is looked at."
            ),
        ]
        if round_.threshold_percent:
            lines.append(
                _(
                    "An idea needs the votes of at least %(pct)s%% of the voters.",
                    pct=round_.threshold_percent,
                )
            )
    lines.append(tie_break_text(round_.tie_break))
    return lines


def _ballot_text(round_: BudgetRound) -> str:
    if round_.ballot_type == BallotType.CUMULATIVE:
        return _(
            "Each voter shares %(points)s points over the ideas.",
            points=round_.cumulative_points or 0,
        )
    if round_.ballot_type == BallotType.KNAPSACK:
        return _("Each voter chooses ideas that together fit in the budget of the area.")
    return _("Each voter chooses one or more ideas.")


def register_text(round_: BudgetRound, pb_urls: list[str]) -> list[tuple[str, list[str]]]:
    """Return the sections of the algorithm-register text for this round: (heading, lines)."""
    municipality = current_app.config.get("MUNICIPALITY_NAME", "")
    flag = f" --tie-break {round_.tie_break}" if round_.tie_break else ""
    return [
        (_("Name"), [_("Result of the neighbourhood budget: %(name)s", name=round_.name)]),
        (
            _("What does the algorithm do?"),
            [
                _(
                    "It counts the votes of residents on ideas for their area and chooses which "
                    "ideas get money within the budget of each area. It makes no decision about "
                    "people."
                ),
                _ballot_text(round_),
                *rule_text(round_),
            ],
        ),
        (
            _("Which data?"),
            [
                _("The budget of each area and the ideas on the ballot, with their costs."),
                _(
                    "The anonymous ballots: the chosen ideas and the day of voting. A ballot is "
                    "never linked to a person, a code or an account."
                ),
            ],
        ),
        (
            _("Who is responsible?"),
            [
                _(
                    "The municipal executive (college van B&W) of %(municipality)s. An "
                    "administrator closed the round; any change to the result after counting is "
                    "published with its reason.",
                    municipality=municipality,
                )
            ],
        ),
        (
            _("How can anyone recount?"),
            [
                _(
                    "Download the anonymous ballots of each area (.pb, the open Pabulib format) "
                    "and count them again, for example with: %(command)s",
                    command=f"python -m buurtbegroting.tally FILE.pb{flag}",
                ),
                *pb_urls,
            ],
        ),
        (
            _("Type of algorithm"),
            [_("Rule-based: it does not learn and makes no profiles.")],
        ),
    ]
