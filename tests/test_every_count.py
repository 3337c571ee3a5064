"""Changing any single count of the August file makes validation fail and say where."""

from __future__ import annotations

import re

import pytest

from hearings.month.context import is_count
from hearings.month.load import parse
from hearings.month.reference import Period, reference

from .conftest import AUGUST

DOCUMENT = parse(AUGUST.read_text(encoding="utf-8"), str(AUGUST))
PERIOD = Period.parse("2020-08")


def _counts(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _counts(value, (*path, key))
    elif is_count(data) and path[0] in ("summary", "regions"):
        yield path


def _value(path: tuple) -> int:
    value = DOCUMENT.data
    for step in path:
        value = value[step]
    return value


COUNTS = list(_counts(DOCUMENT.data))
# every count one up, and one down where it is above zero
CHANGES = [(path, _value(path) + delta) for path in COUNTS for delta in (1, -1)
           if _value(path) + delta >= 0]


def _changed(text: str, path: tuple, value: int) -> str:
    """The file with the number at path replaced, everything else as it was."""
    mark = DOCUMENT.values[path]
    lines = text.split("\n")
    line = lines[mark.line - 1]
    number = re.match(r"\d+", line[mark.column - 1:]).group()
    lines[mark.line - 1] = line[:mark.column - 1] + str(value) + \
        line[mark.column - 1 + len(number):]
    return "\n".join(lines)


def test_every_count_of_the_table_and_summary_is_covered() -> None:
    # each region x (2 placed + each category + total), less Shymkent's n/a category cells,
    # and the summary's figures (announcements, protocols, violations, one per group)
    regions = len(DOCUMENT.data["regions"])
    categories = len(reference().categories_in_force(Period.parse(DOCUMENT.data["period"])))
    summary = 3 + len(reference().groups)
    assert len(COUNTS) == regions * (2 + categories + 1) - categories + summary


@pytest.mark.parametrize(("path", "value"), CHANGES,
                         ids=[f"{'.'.join(p)}={v}" for p, v in CHANGES])
def test_a_changed_count_is_reported(path, value, august_text, validate_text) -> None:
    delta = value - _value(path)
    report = validate_text(_changed(august_text, path, value))
    assert report.errors, f"changing {path} to {value} went unnoticed"
    if path[0] == "regions" and path[2] in ("violations", "total"):
        # the row's total no longer matches: the finding names the region and the figure
        region = reference().region(path[1]).name(PERIOD).forms["en"]["official"]
        [row] = [f for f in report.errors if f.code == "row-total-mismatch"]
        assert row.region == region and row.message.startswith(region)
        assert row.line == DOCUMENT.values[("regions", path[1], "total")].line
        expected = sum(v for v in DOCUMENT.data["regions"][path[1]]["violations"].values()
                       if is_count(v)) + (delta if path[2] == "violations" else 0)
        assert row.expected == expected and f"add up to {expected}" in row.message
    else:
        # a placed count or a summary figure: the summary no longer matches its column
        finding = next(f for f in report.errors if f.code == "summary-mismatch")
        assert finding.line == DOCUMENT.values[("summary", path[-1]) if path[0] == "regions"
                                               else path].line
        assert f"adds up to {finding.expected}" in finding.message
