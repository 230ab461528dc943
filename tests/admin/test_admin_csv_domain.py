"""The pure CSV readers: encodings, delimiters, numbers, layouts and row errors."""

import pytest

from buurtbegroting.domain import csv_import as csvi


def codes(errors):
    return [(line, code) for line, code, _params in errors]


def test_utf8_with_bom_and_semicolons_is_read():
    data = "\ufeffcode;name;parent_code\nGM0828;Oss;\n".encode()
    rows, errors = csvi.parse_areas(data)
    assert errors == []
    assert rows[0].code == "GM0828" and rows[0].parent_code is None


def test_cp1252_file_with_commas_is_read():
    data = "code,name,parent_code\nWK082803,Ruwaard Zuid-Oost café,GM0828\n".encode("cp1252")
    rows, errors = csvi.parse_areas(data)
    assert errors == []
    assert rows[0].name == "Ruwaard Zuid-Oost café"


def test_header_is_case_insensitive_and_columns_may_be_reordered():
    rows, errors = csvi.parse_areas(b"Name;CODE;Parent_Code\nOss;GM0828;\n")
    assert errors == [] and rows[0].name == "Oss"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"code;name;parent_code\n", "no_rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        (b"foo;bar\n1;2\n", "header"),
        (b'code;name;parent_code\nGM0828;"Oss;\n', "malformed"),
    ],
)
def test_file_problems_are_named(data, problem):
    with pytest.raises(csvi.FileProblem) as caught:
        csvi.parse_areas(data)
    assert caught.value.code == problem


def test_file_above_the_limit_is_refused_before_reading():
    with pytest.raises(csvi.FileProblem) as caught:
        csvi.parse_areas(b"x" * 101, max_bytes=100)
    assert caught.value.code == "too_large"


def test_area_rows_report_every_error_with_its_line():
    data = (
        "code;name;parent_code\n"
        "GM0828;Oss;\n"  # 2 fine
        "XX12;Fout;GM0828\n"  # 3 bad code
        "WK082801;;GM0828\n"  # 4 empty name
        "WK082802;Wijk;\n"  # 5 no parent
        "BU08280201;Buurt;GM0828\n"  # 6 neighbourhood under a municipality
        "GM0828;Oss again;\n"  # 7 duplicate
        f"WK082803;{'x' * 10000};GM0828\n"  # 8 too long
        "WK082804;Wijk;WK082803\n"  # 9 district under a district
        "GM0829;Andere;GM0828\n"  # 10 municipality with a parent
        "BU08280401;Buurt;nope\n"  # 11 parent code malformed
        "WK082805;Te veel;GM0828;extra\n"  # 12 too many columns
    ).encode()
    rows, errors = csvi.parse_areas(data)
    assert [r.line for r in rows] == [2]
    assert codes(errors) == [
        (12, "columns"),
        (3, "code_invalid"),
        (4, "required"),
        (5, "parent_missing"),
        (6, "parent_must_be_district"),
        (7, "duplicate_code"),
        (8, "too_long"),
        (9, "parent_must_be_municipality"),
        (10, "parent_not_allowed"),
        (11, "parent_code_invalid"),
    ]
    duplicate = next(e for e in errors if e[1] == "duplicate_code")
    assert duplicate[2] == {"value": "GM0828", "first": 2}


def test_trailing_empty_columns_from_spreadsheets_are_ignored():
    rows, errors = csvi.parse_areas(b"code;name;parent_code;;\nGM0828;Oss;;;\n")
    assert errors == [] and len(rows) == 1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-3", -3.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("0", 0.0),
        ("abc", None),
        ("1,2,3", None),
        ("12%", None),
        ("", None),
        ("nan", None),
    ],
)
def test_numbers_with_decimal_comma_or_point(text, number):
    assert csvi.parse_number(text) == number


def test_simple_postcode_rows_are_normalised():
    data = b"postcode;area_code\n5344;BU08280300\n5341 ab;bu08280301\n"
    parsed, errors = csvi.parse_postcodes(data)
    assert errors == []
    assert parsed.layout == "simple"
    assert parsed.mapping == {"5344": "BU08280300", "5341AB": "BU08280301"}


def test_simple_postcode_errors():
    data = (
        b"postcode;area_code\n12;BU08280300\n5344;WK082803\n5344AB;BU08280300\n5344 ab;BU08280300\n"
    )
    _parsed, errors = csvi.parse_postcodes(data)
    assert codes(errors) == [
        (2, "postcode_invalid"),
        (3, "not_neighbourhood_code"),
        (5, "duplicate_postcode"),
    ]


def test_cbs_layout_goes_to_the_buurt_with_most_house_numbers():
    data = (
        b"PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
        b"5341AB;1;08280300;082803;0828\n"
        b"5341AB;3;08280300;082803;0828\n"
        b"5341AB;5;08280301;082803;0828\n"
        b"5342CD;2;08280301;082803;0828\n"
        b"5343EF;1;08280302;082803;0828\n"
        b"5343EF;2;08280301;082803;0828\n"
    )
    parsed, errors = csvi.parse_postcodes(data)
    assert errors == []
    assert parsed.layout == "cbs"
    assert parsed.mapping == {
        "5341AB": "BU08280300",
        "5342CD": "BU08280301",
        "5343EF": "BU08280301",  # a tie goes to the lowest code
    }
    assert parsed.split == 2
    assert parsed.rows == 6


def test_cbs_layout_rejects_bad_rows():
    data = (
        b"pc6;huisnummer;buurt2023;wijk2023;gemeente2023\n"
        b"5341;1;08280300;082803;0828\n"
        b"5341AB;een;08280300;082803;0828\n"
        b"5341AB;1;0828;082803;0828\n"
    )
    _parsed, errors = csvi.parse_postcodes(data)
    assert codes(errors) == [
        (2, "pc6_invalid"),
        (3, "house_number_invalid"),
        (4, "not_neighbourhood_code"),
    ]


def test_indicator_rows():
    data = (
        b"area_code;name;value;unit;municipal_average;year;source\n"
        b"WK082803;Eenzaam;48,5;%;44,0;2025;Wijkmonitor\n"
        b"WK082803;Inwoners;12.345;;;2025;CBS\n"
    )
    rows, errors = csvi.parse_indicators(data)
    assert errors == []
    assert rows[0].value == 48.5 and rows[0].municipal_average == 44.0
    assert rows[1].value == 12.345 and rows[1].municipal_average is None


def test_indicator_errors():
    data = (
        b"area_code;name;value;unit;municipal_average;year;source\n"
        b"WK082803;Eenzaam;veel;%;;2025;x\n"
        b"WK082803;Eenzaam;1;%;gemiddeld;2025;x\n"
        b"WK082803;Eenzaam;1;%;;25;x\n"
        b"ZZ;Eenzaam;1;%;;2025;x\n"
        b"WK082803;Eenzaam;1;%;;2025;x\n"
        b"WK082803;Eenzaam;2;%;;2025;x\n"
        b"WK082803;Leeg;;%;;2025;x\n"
    )
    _rows, errors = csvi.parse_indicators(data)
    assert codes(errors) == [
        (2, "not_a_number"),
        (3, "not_a_number"),
        (4, "year_invalid"),
        (5, "code_invalid"),
        (7, "duplicate_indicator"),
        (8, "required"),
    ]
