"""The pure rules: typed codes, when a cheque or initiative can take part, addresses, count files."""

from datetime import date, timedelta

import pytest

from buurtbegroting.cheques import rules
from buurtbegroting.domain.codes import generate_code

TODAY = date(2027, 4, 1)


def test_pasted_lists_split_on_lines_commas_and_spaces_but_keep_grouped_codes():
    a, b, c = (generate_code() for _ in range(3))
    text = f"{a[:4]} {a[4:8]} {a[8:]}\n{b}, {c}\n\n"
    assert rules.split_pasted(text) == [f"{a[:4]} {a[4:8]} {a[8:]}", b, c]


def test_entries_report_typing_errors_and_repeats_and_skip_empty_fields():
    code = generate_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    entries = rules.read_entries([code.lower(), "", "abc", wrong, code, "ÄÖÜ1234567890"])
    assert [e.problem for e in entries] == [None, "length", "check", "duplicate", "characters"]
    assert entries[0].code == code


def _cheque(status="issued", **kw):
    return rules.ChequeFacts(
        status=status, starts_on=TODAY - timedelta(days=1), ends_on=TODAY + timedelta(days=40), **kw
    )


@pytest.mark.parametrize(
    ("facts", "today", "expected"),
    [
        (_cheque(), TODAY, None),
        (_cheque("used", idea_id=7), TODAY, "used"),
        (_cheque("void"), TODAY, "void"),
        (_cheque("expired"), TODAY, "expired"),
        (_cheque(), TODAY + timedelta(days=41), "expired"),
        (_cheque(), TODAY - timedelta(days=2), "not_yet"),
    ],
)
def test_cheque_problems(facts, today, expected):
    assert rules.cheque_problem(facts, today) == expected


def test_a_cheque_used_for_the_same_initiative_is_recognised_as_a_replay():
    assert rules.cheque_problem(_cheque("used", idea_id=7), TODAY, None, 7) == "given_here"


def test_scope_limits_the_initiatives_a_cheque_can_go_to():
    scoped = _cheque(allowed_area_ids=frozenset({10}))
    assert rules.cheque_problem(scoped, TODAY, {11, 10, 1}) is None
    assert rules.cheque_problem(scoped, TODAY, {12, 2, 1}) == "out_of_scope"


def _idea(**kw):
    fields = {
        "status": "accepted",
        "destination": "cheques",
        "target_cents": 3_000,
        "target_date": TODAY + timedelta(days=10),
        "collected_cents": 0,
    }
    fields.update(kw)
    return rules.IdeaFacts(**fields)


def test_initiative_problems_and_outcomes():
    assert rules.idea_problem(_idea(), TODAY) is None
    assert rules.idea_problem(_idea(destination="budget_round"), TODAY) == "not_cheques"
    assert rules.idea_problem(_idea(status="submitted"), TODAY) == "not_collecting"
    assert rules.idea_problem(_idea(collected_cents=3_000), TODAY) == "funded"
    assert rules.idea_problem(_idea(status="not_funded"), TODAY) == "not_reached"
    assert rules.idea_problem(_idea(), TODAY + timedelta(days=11)) == "date_passed"
    assert rules.outcome(_idea(collected_cents=3_750), TODAY) == "funded"
    assert rules.outcome(_idea(collected_cents=10), TODAY + timedelta(days=11)) == "not_reached"
    assert rules.outcome(_idea(), TODAY) is None
    assert rules.days_left(TODAY, TODAY) == 1 and rules.days_left(TODAY, TODAY + timedelta(1)) == 0


def test_acceptance_needs_target_date_and_three_addresses():
    found = rules.acceptance_problems(
        target_cents=None,
        target_date=TODAY,
        max_target_cents=500_000,
        organiser_addresses=["a", "a", None],
        today=TODAY,
    )
    assert [p.code for p in found] == ["target_missing", "date_past", "organisers"]
    assert found[-1].params == {"needed": 3, "found": 1}
    assert not rules.acceptance_problems(
        target_cents=500_000,
        target_date=TODAY + timedelta(days=1),
        max_target_cents=500_000,
        organiser_addresses=["a", "b", "c"],
        today=TODAY,
    )
    too_high = rules.acceptance_problems(
        target_cents=500_001,
        target_date=TODAY + timedelta(days=1),
        max_target_cents=500_000,
        organiser_addresses=["a", "b", "c"],
        today=TODAY,
    )
    assert [p.code for p in too_high] == ["target_too_high"]


def test_addresses_are_hashed_in_one_spelling():
    key = b"k"
    assert rules.address_hash("5341 ab", "12 a", key) == rules.address_hash("5341AB", "12-A", key)
    assert rules.address_hash("5341AB", "12", key) != rules.address_hash("5341AB", "14", key)
    assert rules.address_hash("5341AB", "12", key) != rules.address_hash("5341AB", "12", b"x")
    with pytest.raises(rules.InvalidAddress) as error:
        rules.address_hash("5341", "12", key)
    assert error.value.code == "postcode"
    with pytest.raises(rules.InvalidAddress):
        rules.address_hash("5341AB", "twaalf", key)


def test_address_counts_from_csv_with_header_and_semicolons():
    data = b"buurtcode;adressen\nBU08280100;1.250\nBU08280101;300\n"
    assert rules.read_address_counts(data) == {"BU08280100": 1250, "BU08280101": 300}


def test_address_counts_report_every_bad_row():
    data = b"BU08280100,12\nWK082801,5\nBU08280101,veel\nBU08280100,3\nonly\n"
    with pytest.raises(rules.InvalidCountFile) as error:
        rules.read_address_counts(data)
    assert [code for _, code, _ in error.value.rows] == ["code", "count", "repeated", "columns"]
