"""Reading and writing Pabulib files."""

from __future__ import annotations

from contextlib import ExitStack
from fractions import Fraction
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtbegroting.tally import (
    Ballot,
    Election,
    PabulibError,
    Project,
    pabulib,
    parse_pb,
    write_pb,
)
from tests.tally.tally_strategies import FILES, elections, real, same_election

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


# The VOTES section is read by a fast path (rows split with string methods, then checked
# in bulk); anything unusual goes to the CSV reader and the row-by-row checks, which
# report each problem with its line. All four combinations must read the same.


def read_all_ways(text, lenient=False):
    """Return what parse_pb gives (election or problems) with each path switched off."""
    results = []
    for split in (True, False):
        for bulk in (True, False):
            with ExitStack() as stack:
                if not split:
                    stack.enter_context(
                        patch.object(pabulib._Sections, "split_votes", lambda *a: False)
                    )
                if not bulk:
                    stack.enter_context(patch.object(pabulib, "_votes_in_bulk", lambda *a: None))
                try:
                    election = parse_pb(text, lenient=lenient)
                    results.append(("ok", election, election.adjustments))
                except PabulibError as exc:
                    results.append(("error", exc.problems))
    return results


def test_quoted_vote_fields_spanning_lines_keep_the_line_numbers():
    text = pb(
        ["1;10;A", "2;10;B"],
        ['a;1;"Noord; ""oost"""', 'b;2;"twee\nregels"', "c;1,2;Zuid", "d;9;West"],
        votes_header="voter_id;vote;neighbourhood",
    )
    for result in read_all_ways(text):
        assert result == ("error", [(15, "unknown project(s) '9'")])
    election = parse_pb(text.replace("d;9;West", "d;2;West"))
    assert [b.extra["neighbourhood"] for b in election.ballots] == [
        'Noord; "oost"',
        "twee\nregels",
        "Zuid",
        "West",
    ]


def test_blank_lines_and_crlf_in_votes_are_read_like_the_csv_reader():
    text = pb(["1;10;A"], ["a;1", "", "  ", "b;1", "c;7"]).replace("\n", "\r\n")
    for result in read_all_ways(text):
        assert result == ("error", [(14, "unknown project(s) '7'")])


def test_a_section_marker_inside_votes_is_still_a_section_marker():
    text = pb(["1;10;A"], ["a;1", " Votes ;;", "voter_id;vote", "b;1"])
    for result in read_all_ways(text):
        assert result == ("error", [(11, "section VOTES appears twice")])


odd_ids = st.sampled_from(["1", "2", "3", " 1", "2 ", "9", "", "1 , 2"])
odd_fields = st.one_of(
    st.sampled_from(["x", "", '"a;b"', '"a""b"', '"a\nb"', 'c"d', "votes", " META ", "é"]),
    st.text(st.sampled_from(';", \n\r\tvotesVOTESmetaMETA1'), max_size=6),
)
clean_fields = st.sampled_from(["x", "", "Noord", '"a;b"', '"a""b"', '"a\nb"', "é", "meta"])


@st.composite
def vote_sections(draw):
    """Draw a VOTES section: clean ones (that read), or with the oddities files have."""
    odd = draw(st.booleans())
    ids, fields = (odd_ids, odd_fields) if odd else (st.sampled_from(["1", "2", "3"]), clean_fields)
    with_points = draw(st.booleans())
    header = "voter_id;vote" + (";points" if with_points else "") + ";extra"
    lines = []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 9)) if odd else 9
        if kind == 0:
            lines.append(draw(fields))
            continue
        voter = draw(st.sampled_from([str(i), str(i), "dup", f" {i} "])) if odd else str(i)
        vote = ",".join(draw(st.lists(ids, max_size=3, unique=not odd)))
        row = [voter, vote]
        if with_points:
            values = ["1", "2", "x", "1.5"] if odd else ["1"]
            row.append(",".join(draw(st.sampled_from(values)) for _ in vote.split(",") if vote))
        row.append(draw(fields))
        if kind == 1:
            row.append(draw(fields))
        lines.append(";".join(row))
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    meta = draw(st.sampled_from(["", "max_length;2\n", "min_length;2\n", "max_sum_points;3\n"]))
    text = pb(
        ["1;10;A", "2;10;B", "3;5;C"],
        lines,
        vote_type="cumulative" if with_points else "approval",
        meta=meta,
        votes_header=header,
    )
    if draw(st.booleans()):
        text = text[:-1]
    return text.replace("\n", ending) if ending != "\n" else text


@settings(TALLY, max_examples=300)
@given(vote_sections(), st.booleans())
def test_every_way_of_reading_votes_gives_the_same_result(text, lenient):
    first, *others = read_all_ways(text, lenient)
    for other in others:
        assert other == first
