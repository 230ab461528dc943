"""The "listed order" tie-break: the order of the ballot (PROJECTS section) decides a tie.

None of the real files in /work/shared/pabulib needs it to reproduce its recorded
selection: the five files with a ``selected`` column give the same winners under every
tie-break, and the one file whose ties change anything (Amsterdam 166) has no recorded
selection. A small file built like a real one shows the case at the budget boundary.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from buurtbegroting.tally import meta_rule, parse_pb, tally
from buurtbegroting.tally.tiebreak import tie_break_key
from tests.tally.tally_strategies import PABULIB, real

#: Two ideas tie at 2 votes; only one fits in the budget of 10. The municipality funded
#: the one listed first ("9"), although "10" sorts first as text (and so first among equal costs).
BOUNDARY_TIE = """META
key;value
description;Listed order at the budget boundary
country;Netherlands
budget;10
vote_type;approval
rule;greedy
num_projects;3
num_votes;3
PROJECTS
project_id;cost;votes;name;selected
9;6;2;Bankjes in het park;1
10;6;2;Speeltoestel;0
3;4;1;Bloembakken;1
VOTES
voter_id;vote
a;9,10
b;10,9
c;3
"""


def recorded(election) -> set[str]:
    return {p.id for p in election.projects.values() if p.extra.get("selected") == "1"}


def test_listed_order_reproduces_a_tie_broken_by_ballot_order_at_the_budget_boundary():
    election = parse_pb(BOUNDARY_TIE)
    assert tally(election, tie_break="listed").selected == ["9", "3"]
    assert set(tally(election, tie_break="listed").selected) == recorded(election)
    for other in ("lexicographic", "cheaper"):
        assert tally(election, tie_break=other).selected == ["10", "3"]
    explanation = tally(election, tie_break="listed").explanation["10"]
    assert explanation.reason == "did_not_fit" and explanation.details["remaining_budget"] == 4


@pytest.mark.parametrize("rule", ["equal-shares", "phragmen"])
def test_every_rule_takes_the_listed_order(rule):
    election = parse_pb(BOUNDARY_TIE)
    listed = tally(election, rule=rule, tie_break="listed")
    assert listed.details["tie_break"] == "listed"
    assert "9" in listed.selected and "10" not in listed.selected


def test_listed_key_follows_the_given_order_and_puts_unknown_ids_last():
    key = tie_break_key("listed", ["b", "a", "c"])
    assert sorted(["a", "c", "x", "b"], key=lambda pid: key(pid, 1)) == ["b", "a", "c", "x"]
    with pytest.raises(ValueError, match="listed"):
        tie_break_key("alphabetical")


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Krakow_2022_Debniki.pb",
        "Poland_Lodz_2024_Nad_Nerem.pb",
        "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb",
        "Netherlands_Assen_2024.pb",
    ],
)
def test_listed_order_reproduces_the_recorded_winners_of_real_files(name):
    election = real(name)
    assert set(tally(election, tie_break="listed", **meta_rule(election)).selected) == recorded(
        election
    )


def test_amsterdam_166_ties_are_taken_in_file_order():
    election = real("Netherlands_Amsterdam_166.pb")
    listed = tally(election, tie_break="listed").selected
    text = tally(election, tie_break="lexicographic").selected
    # 12439 and 12422 both have 167 votes; 12439 comes first in PROJECTS, 12422 first as text.
    position = list(election.projects)
    assert position.index("12439") < position.index("12422")
    assert listed.index("12439") < listed.index("12422")
    assert text.index("12422") < text.index("12439")


def test_cli_offers_the_listed_order(tmp_path):
    path = tmp_path / "tie.pb"
    path.write_text(BOUNDARY_TIE)
    proc = subprocess.run(
        [sys.executable, "-m", "buurtbegroting.tally", str(path), "--tie-break", "listed"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["selected"] == ["9", "3"] and data["details"]["tie_break"] == "listed"
    assert PABULIB.exists()
