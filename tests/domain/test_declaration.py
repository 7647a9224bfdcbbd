"""The pure rules of a declaration file: its header, the wage as written, and the checks of the lines (no
database: the enrolments and rates are handed in). Expected values written by hand."""

from datetime import date

import pytest

from sscard.domain.contributions import ContributionError, Rates
from sscard.domain.declaration import Enrolled, RawLine, check_declaration, parse_wage, read_header
from sscard.domain.idnumber import make_id_number

RATES_2026_WUHAN = Rates(year=2026, average_wage_fen=730_000, minimum_wage_fen=234_000)
MARCH, TODAY = date(2026, 3, 1), date(2026, 12, 1)


@pytest.mark.parametrize(("text", "fen"), [
    ("6500", 650_000), ("6500.5", 650_050), ("6500.05", 650_005), ("6,500.00", 650_000), (" 2340 ", 234_000),
    ("６５００．５０", 650_050), ("1,234,567.89", 123_456_789), ("0.01", 1),
])
def test_a_wage_is_read_as_fen(text, fen):
    assert parse_wage(text) == fen


@pytest.mark.parametrize("text", ["", "0", "0.00", "-6500", "6500.123", "6,50.00", "65,00", "6500元", "1e4", "abc",
                                  "6500.", ".5"])
def test_a_wage_that_is_not_a_positive_amount_with_two_decimals_is_refused(text):
    with pytest.raises(ContributionError):
        parse_wage(text)


def test_the_header_accepts_chinese_and_english_names_in_any_order():
    mapping, errors = read_header(["wage", "姓名", "ID_NUMBER"], ["A1", "B1", "C1"])
    assert errors == [] and mapping == {0: "wage", 1: "name", 2: "id_number"}


def test_the_header_names_unknown_repeated_and_missing_columns():
    _, errors = read_header(["证件号码", "姓名", "备注", "姓名"], ["证件号码", "姓名", "备注", "姓名"])
    assert [(e.column, e.code) for e in errors] == [("备注", "extra_column"), ("姓名", "duplicate_column")]
    _, errors = read_header(["证件号码", "姓名"], ["A1", "B1"])
    assert [(e.code, e.params) for e in errors] == [("missing_column", {"column": "缴费工资"})]


def line(n, id_number, name, wage):
    return RawLine(n, {"id_number": id_number, "name": name, "wage": wage},
                   {"id_number": f"A{n}", "name": f"B{n}", "wage": f"C{n}"})


def test_lines_are_assessed_only_when_no_line_has_an_error():
    person = make_id_number("420106", date(1985, 6, 15), 11)
    enrolments = {person: Enrolled("张三", ("pension", "work_injury"))}
    result = check_declaration([line(2, person, "张三", "3000")], month=MARCH, today=TODAY, enrolments=enrolments,
                               rates=RATES_2026_WUHAN, industry_class=1)
    assert result.errors == []
    # floor 4,380.00; pension 16 % / 8 % = 700.80 / 350.40; work injury class 1 0.2 % = 8.76
    assert [(a.insurance_type, a.employer_fen, a.employee_fen) for a in result.lines[0].assessment.amounts] == [
        ("pension", 70_080, 35_040), ("work_injury", 876, 0)]
    assert (result.employer_fen, result.employee_fen) == (70_956, 35_040)
    other = make_id_number("420106", date(1985, 6, 15), 22)
    result = check_declaration([line(2, person, "张三", "3000"), line(3, other, "李四", "3000")], month=MARCH,
                               today=TODAY, enrolments=enrolments, rates=RATES_2026_WUHAN, industry_class=1)
    assert [(e.line, e.column, e.code) for e in result.errors] == [(3, "A3", "not_enrolled")]
    assert result.lines == []


def test_an_empty_file_and_a_future_month_are_page_errors():
    result = check_declaration([], month=date(2027, 1, 1), today=TODAY, enrolments={}, rates=None, industry_class=1)
    assert [(e.line, e.code) for e in result.errors] == [(0, "future_month"), (0, "no_rates"), (2, "no_lines")]
