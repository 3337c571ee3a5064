"""Malformed parts are reported once, where they are, and never as a wrong sum."""

from __future__ import annotations

import re

import pytest


def _edit(text: str, pattern: str, replacement: str) -> str:
    edited, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, pattern
    return edited


def _flat(report) -> list[list]:
    return [[f.code, f.json_path] for f in report.findings]


CASES = {
    "a count written 1.0": (
        r"^(  karaganda:.*\n(?:    .*\n)*?      placement-date-missing:) 1$", r"\1 1.0",
        [["wrong-type", "$.regions.karaganda.violations['placement-date-missing']"]]),
    "a count written true": (
        r"^(  karaganda:.*\n(?:    .*\n)*?      placement-date-missing:) 1$", r"\1 true",
        [["wrong-type", "$.regions.karaganda.violations['placement-date-missing']"]]),
    "a count left empty": (
        r"^(  karaganda:.*\n(?:    .*\n)*?      placement-date-missing:) 1$", r"\1",
        [["wrong-type", "$.regions.karaganda.violations['placement-date-missing']"]]),
    "a dash typed for n/a": (
        r"^(  shymkent:.*\n    announcements:) n/a$", r'\1 "-"',
        [["wrong-type", "$.regions.shymkent.announcements"]]),
    "violations given as n/a": (
        r"^(  pavlodar:.*\n(?:    .*\n){2})    violations:\n(?:      .*\n)+",
        r"\1    violations: n/a\n",
        [["wrong-type", "$.regions.pavlodar.violations"]]),
    "a row that is a number": (
        r"^  pavlodar:.*\n(?:    .*\n)+", "  pavlodar: 0\n",
        [["wrong-type", "$.regions.pavlodar"]]),
    "the summary as n/a": (
        r"^  violations: 43 .*$", "  violations: n/a",
        [["wrong-type", "$.summary.violations"]]),
    "a period that is no month": (
        r"^period: 2020-08$", "period: 2020-13",
        [["invalid-value", "$.period"]]),
    "a period written as a date": (
        r"^period: 2020-08$", "period: 2020-08-01",
        [["invalid-value", "$.period"]]),
    "no closing": (
        r"^closing:\n(?:(?: .*)?\n)*", "",
        [["missing-key", "$.closing"]]),
    "an observation for an unknown category": (
        r"^  - category: backdated$", "  - category: backdate",
        [["invalid-value", "$.observations[1].category"]]),
    "an observation in Russian only": (
        r"^(  - category: rubric-mismatch\n    ru: >-\n(?:      .*\n)+)    kk: >-\n(?:      .*\n)+",
        r"\1",
        [["missing-key", "$.observations[2].kk"]]),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_part_is_reported_once(case, august_text, validate_text) -> None:
    pattern, replacement, expected = CASES[case]
    assert _flat(validate_text(_edit(august_text, pattern, replacement))) == expected


def test_period_falls_back_to_the_file_name_for_region_names(august_text,
                                                             validate_text) -> None:
    text = _edit(august_text, r"^period: 2020-08$", "period: August")
    text = _edit(text, r"^(  astana:.*\n(?:    .*\n)*?)    total: 0$", r"\1    total: 1")
    findings = validate_text(text).findings
    assert [(f.code, f.region) for f in findings] == [
        ("invalid-value", None), ("row-total-mismatch", "Nur-Sultan city")]


def test_the_same_file_named_for_2022_10_names_astana(august_text, validate_text) -> None:
    text = _edit(august_text, r"^period: 2020-08$", "period: 2022-10")
    text = _edit(text, r"^(  astana:.*\n(?:    .*\n)*?)    total: 0$", r"\1    total: 1")
    report = validate_text(text, "2022-10.yaml")
    rows = [f for f in report.findings if f.code == "row-total-mismatch"]
    assert rows[0].region == "Astana city"
    missing = [f.region for f in report.findings if f.code == "region-missing"]
    assert missing == ["Abai Region", "Zhetisu Region", "Ulytau Region"]
