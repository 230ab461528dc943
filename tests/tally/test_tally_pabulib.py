"""Reading and writing Pabulib files."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tally_strategies import FILES, elections, real, same_election

from buurtbegroting.tally import Ballot, Election, PabulibError, Project, parse_pb, write_pb

TALLY = settings.get_profile("tally")

HEADER = "META\nkey;value\nbudget;{budget}\nvote_type;{vote_type}\n{meta}PROJECTS\n"


def pb(projects, votes, budget="100", vote_type="approval", meta="", votes_header=None):
    """Build Pabulib text from project rows and vote rows."""
    text = HEADER.format(budget=budget, vote_type=vote_type, meta=meta)
    text += "project_id;cost;name\n" + "".join(r + "\n" for r in projects)
    text += "VOTES\n" + (votes_header or "voter_id;vote") + "\n"
    return text + "".join(r + "\n" for r in votes)


def test_quoted_names_with_semicolons_and_doubled_quotes_are_read_whole():
    text = pb(['1;10;"Bankjes; en ""groen"" &amp; meer"', "2;20;Plein"], ["a;1,2"])
    election = parse_pb(text)
    assert election.projects["1"].name == 'Bankjes; en "groen" &amp; meer'
    assert election.ballots[0].choices == ["1", "2"]


def test_crlf_line_endings_and_a_byte_order_mark_are_accepted():
    text = "\ufeff" + pb(["1;10;A"], ["a;1"]).replace("\n", "\r\n")
    election = parse_pb(text)
    assert election.projects["1"].cost == 10
    assert election.ballots[0].choices == ["1"]


def test_decimal_costs_and_budgets_are_exact():
    election = parse_pb(pb(["1;4000.0;A", "2;2215170.17;B"], ["a;1"], budget="2215170.17"))
    assert election.projects["1"].cost == 4000
    assert isinstance(election.projects["1"].cost, int)
    assert election.projects["2"].cost == Fraction(221517017, 100)
    assert election.budget == Fraction(221517017, 100)


def test_extra_columns_of_projects_and_votes_are_kept():
    text = pb(
        ["1;10;A"],
        ["a;1;34;F;internet;Noord"],
        votes_header="voter_id;vote;age;sex;voting_method;neighbourhood",
    ).replace("project_id;cost;name\n1;10;A", "project_id;cost;name;selected\n1;10;A;1")
    election = parse_pb(text)
    assert election.projects["1"].extra == {"selected": "1"}
    assert election.ballots[0].extra == {
        "age": "34",
        "sex": "F",
        "voting_method": "internet",
        "neighbourhood": "Noord",
    }


def test_unknown_project_is_reported_with_its_line():
    with pytest.raises(PabulibError) as info:
        parse_pb(pb(["1;10;A"], ["a;1", "b;7"]))
    assert info.value.problems == [(11, "unknown project(s) '7'")]


def test_every_violation_is_reported_not_only_the_first():
    text = pb(
        ["1;10;A", "2;10;B", "3;10;C"],
        ["a;1,2,3", "b;1", "c;9"],
        meta="max_length;2\n",
    )
    with pytest.raises(PabulibError) as info:
        parse_pb(text)
    lines = [line for line, _ in info.value.problems]
    assert lines == [13, 15]
    assert "more than max_length 2" in info.value.problems[0][1]


def test_cumulative_points_over_the_maximum_are_refused():
    text = pb(
        ["1;10;A", "2;10;B"],
        ["a;1,2;2,1", "b;1,2;3,1"],
        vote_type="cumulative",
        meta="max_sum_points;3\n",
        votes_header="voter_id;vote;points",
    )
    with pytest.raises(PabulibError) as info:
        parse_pb(text)
    assert info.value.problems[0][0] == 13
    assert "max_sum_points" in info.value.problems[0][1]


def test_points_must_line_up_with_the_vote():
    text = pb(
        ["1;10;A", "2;10;B"],
        ["a;1,2;2"],
        vote_type="cumulative",
        votes_header="voter_id;vote;points",
    )
    with pytest.raises(PabulibError, match="2 projects in vote but 1 points"):
        parse_pb(text)


def test_ballot_over_max_sum_cost_is_refused():
    text = pb(["1;60;A", "2;60;B"], ["a;1,2"], meta="max_sum_cost;100\n")
    with pytest.raises(PabulibError, match="max_sum_cost"):
        parse_pb(text)


def test_duplicate_project_in_a_ballot_is_an_error_unless_lenient():
    text = pb(["1;10;A", "2;10;B", "3;10;C"], ["a;2,1,2,3"], vote_type="ordinal")
    with pytest.raises(PabulibError, match="named twice"):
        parse_pb(text)
    election = parse_pb(text, lenient=True)
    assert election.ballots[0].choices == ["2", "1", "3"]
    assert election.adjustments == [(12, "duplicate project(s) 2 counted once, at first rank")]


def test_lenient_reading_keeps_a_ballot_that_breaks_a_limit_and_reports_it():
    text = pb(["1;10;A", "2;10;B"], ["a;1,2"], meta="max_length;1\n")
    election = parse_pb(text, lenient=True)
    assert election.ballots[0].choices == ["1", "2"]
    assert election.adjustments[0][0] == 12


def test_missing_budget_and_bad_cost_are_reported():
    text = pb(["1;ten;A"], ["a;1"]).replace("budget;100\n", "")
    with pytest.raises(PabulibError) as info:
        parse_pb(text)
    reasons = " | ".join(reason for _, reason in info.value.problems)
    assert "no budget" in reasons
    assert "cost of project '1'" in reasons


def test_missing_section_is_reported():
    with pytest.raises(PabulibError, match="VOTES is missing"):
        parse_pb("META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n")


def test_num_votes_that_disagrees_with_the_votes_is_an_error():
    text = pb(["1;10;A"], ["a;1"], meta="num_votes;2\n")
    with pytest.raises(PabulibError, match="num_votes is 2 but the file has 1"):
        parse_pb(text)


@pytest.mark.parametrize("name", FILES)
def test_every_real_file_reads_and_round_trips(name):
    election = real(name)
    assert election.adjustments == []
    assert same_election(parse_pb(write_pb(election)), election)


def test_written_numbers_are_exact():
    election = Election(
        budget=Fraction(1, 3),
        vote_type="scoring",
        projects={"x": Project("x", Fraction(5, 4), "X")},
        ballots=[Ballot("1", ["x"], [Fraction(1, 2)])],
    )
    text = write_pb(election)
    assert "budget;1/3" in text
    assert "x;1.25;X" in text
    assert same_election(parse_pb(text), election)


names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(';"\n\r'),
    max_size=12,
)


@settings(TALLY, max_examples=200)
@given(
    elections(
        vote_types=("approval", "choose-1", "cumulative", "ordinal", "scoring"), decimals=True
    ),
    st.lists(names, min_size=60, max_size=60),
)
def test_reading_what_was_written_gives_the_same_election(election, project_names):
    for project, name in zip(election.projects.values(), project_names, strict=False):
        project.name = name
        project.extra = {"note": name[::-1]}
    for ballot in election.ballots:
        ballot.extra = {"age": str(len(ballot.choices))}
    assert same_election(parse_pb(write_pb(election)), election)
