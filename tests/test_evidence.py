"""The evidence register: entries checked, counts cross-checked, listed in an appendix."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from docx import Document

from hearings.commands.cli import main
from hearings.month.evidence import _well_formed_url

from .conftest import ROOT

WITH_REGISTER = ROOT / "tests" / "evidence" / "2020-08.yaml"


def _codes(report) -> list:
    return [[f.code, f.json_path] for f in report.findings]


def test_a_register_that_matches_the_table_is_valid(validate_text) -> None:
    report = validate_text(WITH_REGISTER.read_text(encoding="utf-8"))
    assert report.valid(strict=True)


def test_an_empty_register_contradicts_every_count(validate_text) -> None:
    text = WITH_REGISTER.read_text(encoding="utf-8")
    text = text[:text.index("evidence:\n")] + "evidence: []\n"
    findings = validate_text(text).findings
    assert {f.code for f in findings} == {"evidence-mismatch"}
    # one finding per non-zero table cell: 23 cells hold the 43 violations; each says what
    # the register lacks: it should list the table's count and lists none
    assert len(findings) == 23
    assert sum(f.expected for f in findings) == 43 and {f.found for f in findings} == {0}


def test_an_entry_for_a_region_without_a_row(validate_text) -> None:
    text = WITH_REGISTER.read_text(encoding="utf-8") + (
        "  - region: abai\n    category: backdated\n"
        "    url: https://abai.hearings.test.kz/1\n    seen: 2020-08-03\n"
        "    project: Тестовый проект\n")
    [finding] = validate_text(text).findings
    assert (finding.code, finding.json_path) == ("evidence-mismatch", "$.evidence[43].region")
    assert finding.message == (
        "Abai Region › Backdated: the evidence register lists 1, the table counts 0; a register "
        "lists every violation of the table, one entry each, or the file keeps none (no "
        "`evidence:`)")


@pytest.mark.parametrize(("value", "code"), [
    ("[]", "invalid-value"),         # found by hypothesis: once an unhandled exception
    ("almaty", "invalid-value"),     # no such region code
])
def test_a_malformed_entry_is_reported_once(validate_text, value, code) -> None:
    text = WITH_REGISTER.read_text(encoding="utf-8").replace(
        "  - region: almaty-city\n", f"  - region: {value}\n", 1)
    assert _codes(validate_text(text)) == [[code, "$.evidence[0].region"]]


@pytest.mark.parametrize(("seen", "valid"), [
    ("2020-08-01", True), ("2020-08-31", True), ("2020-07-31", False),
    ("2020-09-01", False), ("2020-08-32", False), ("2020-02-30", False)])
def test_dates_are_days_of_the_month(validate_text, seen, valid) -> None:
    text = WITH_REGISTER.read_text(encoding="utf-8")
    text = re.sub(r"    seen: 2020-08-08\n", f"    seen: {seen}\n", text, count=1)
    report = validate_text(text)
    assert report.valid() == valid, _codes(report)


@pytest.mark.parametrize(("url", "valid"), [
    ("https://www.gov.kz/memleket/entities/kostanay/documents/1", True),
    ("http://akmola.gov.kz/ru/hearings?id=5#top", True),
    ("https://localhost:8080/x", True),
    ("https://kostanay/hearings", False),          # no domain
    ("https://-bad-.gov.kz/x", False),             # a label cannot start with a hyphen
    ("https://gov..kz/x", False),
    ("https://gov.kz:99999/x", False),             # no such port
    ("ftp://gov.kz/x", False),
])
def test_web_addresses(url, valid) -> None:
    assert _well_formed_url(url) == valid


def test_both_reports_list_the_evidence_in_an_appendix(tmp_path) -> None:
    result = CliRunner().invoke(main, ["build", str(WITH_REGISTER), "--reports", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = {
        "ru": ("Приложение. Перечень нарушений, выявленных за август 2020 года",
               ["1", "г. Алматы",
                "Несоответствие рубрики «Общественные слушания» утвержденной форме",
                "Тестовый проект № 1\nВ объявлении указаны 2 даты проведения общественных "
                "слушаний.", "https://almaty-city.hearings.test.kz/announcements/1",
                "08.08.2020"]),
        "kk": ("Қосымша. 2020 жылғы тамыз айында анықталған бұзушылықтар тізбесі",
               ["1", "Алматы қ.",
                "«Қоғамдық тыңдаулар» айдарының бекітілген нысанға сәйкес келмеуі",
                "Тестовый проект № 1\nХабарландыруда қоғамдық тыңдаулардың 2 мерзімі "
                "көрсетілген.", "https://almaty-city.hearings.test.kz/announcements/1",
                "08.08.2020"]),
    }
    for lang, (title, first_row) in expected.items():
        data = (tmp_path / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
        document = Document(io.BytesIO(data))
        assert title in [p.text.replace("\u00a0", " ") for p in document.paragraphs]
        appendix = document.tables[-1]
        assert len(appendix.rows) == 1 + 43
        assert [c.text.replace("\u00a0", " ") for c in appendix.rows[1].cells] == first_row
