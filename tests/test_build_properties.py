"""Any valid month builds, and both documents read back as its data, figure for figure."""

from __future__ import annotations

import copy
import os
import unicodedata

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearings.documents.parity import full_text, read_summary, read_table
from hearings.documents.report import build
from hearings.month.load import load
from hearings.month.reference import Period, reference

from .conftest import ROOT

SIGNED = load(ROOT / "tests" / "signed" / "2020-08.yaml").data
REF = reference()
NA = "n/a"
# Each example is a full build of both documents (about 0.3 s);
# HEARINGS_BUILDS=200 pytest tests/test_build_properties.py searches deeper than CI does.
SETTINGS = settings(max_examples=int(os.environ.get("HEARINGS_BUILDS", 12)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

placed = st.one_of(st.integers(0, 40), st.integers(0, 40_000), st.just(NA))
found = st.one_of(st.integers(0, 3), st.integers(0, 1_500), st.just(NA))
# text a clerk might paste: markup characters, quotes, both scripts, any character the
# reports' font prints (but the invisible ones, which validation refuses)
PRINTABLE = [chr(point) for start, end in
             load(ROOT / "hearings" / "reference" / "characters.yaml").data["ranges"]
             for point in range(int(start, 0), int(end, 0) + 1)
             if unicodedata.category(chr(point)) not in ("Cf", "Zl", "Zp")]
texts = st.text(st.sampled_from(PRINTABLE), min_size=1, max_size=40).map(str.strip).filter(bool)


def _sum(values) -> int:
    return sum(value for value in values if value != NA)


@st.composite
def months(draw):
    """A month that validates: rows that add up, a summary that agrees, texts in both
    languages, and a period from 2020 to 2024 with the regions in force then."""
    period = Period.parse(f"{draw(st.integers(2020, 2024))}-{draw(st.integers(1, 12)):02d}")
    data = copy.deepcopy(SIGNED)
    data["period"] = str(period)
    data["observations"] = []  # an observation needs findings in its category
    data["closing"] = [{"ru": draw(texts), "kk": draw(texts)}]
    if draw(st.booleans()):
        del data["signatory"], data["executor"]
    data["regions"] = {}
    for region in REF.regions_in_force(period):
        violations = {c.code: draw(found) for c in REF.categories_in_force(period)}
        assessed = [value for value in violations.values() if value != NA]
        data["regions"][region.code] = {
            "announcements": draw(placed), "protocols": draw(placed),
            "violations": violations, "total": sum(assessed) if assessed else NA}
    rows = data["regions"].values()
    groups = {group.code: _sum(row["violations"][category.code] for row in rows
                               for category in REF.categories_in_force(period)
                               if category.group == group.code)
              for group in REF.groups_in_force(period)}
    data["summary"] = {"announcements": _sum(row["announcements"] for row in rows),
                       "protocols": _sum(row["protocols"] for row in rows),
                       "violations": sum(groups.values()), "violations_by_group": groups}
    return data


def _expected_table(data) -> list[list[int | None]]:
    rows = [[row["announcements"], row["protocols"],
             *row["violations"].values(), row["total"]]
            for row in data["regions"].values()]
    totals = [_sum(column) for column in zip(*rows, strict=True)]
    return [[None if value == NA else value for value in row] for row in rows] + [totals]


@SETTINGS
@given(months())
def test_any_valid_month_builds_and_reads_back_as_its_data(tmp_path_factory, data) -> None:
    folder = tmp_path_factory.mktemp("month")
    path = folder / f"{data['period']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    outcome = build(path, folder / "reports")
    assert not outcome.report.errors, [f.message for f in outcome.report.errors]
    documents = {path.stem.rsplit("-", 1)[1]: path.read_bytes() for path, _ in outcome.files}
    expected = _expected_table(data)
    summary = data["summary"]
    for lang, document in documents.items():
        assert read_table(document) == expected, lang
        # the groups are listed when there are violations; "none" lines read as 0
        groups = [summary["violations_by_group"][group.code] for group in REF.groups]
        assert read_summary(document) == [
            summary["announcements"], summary["protocols"], summary["violations"],
            *(groups if summary["violations"] > 1 else [])], lang  # one: a sentence
        text = full_text(document)
        # full_text reads a non-breaking space as a space, as the typesetting writes them
        assert data["closing"][0][lang].replace("\xa0", " ") in text
        assert "{{" not in text and "{%" not in text
