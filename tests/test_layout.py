"""What a signer sees on page 1: the table with its totals row, in an ordinary month with the
comparison sentence, with 17 regions and with 20, in both languages (LibreOffice's PDF)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from hearings.commands.cli import main
from hearings.documents.geometry import table_width
from hearings.documents.report import build
from hearings.files.workspace import Workspace
from hearings.month.reference import Period, document_settings, reference

from .conftest import SIGNED
from .months import month_data, write_month
from .test_compare import _july

pytestmark = pytest.mark.pages

TOTALS = {"ru": "Итого за", "kk": "бойынша барлығы"}


def _page_one(pdf) -> str:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
@pytest.mark.parametrize("regions", [17, 20])
def test_the_table_and_its_totals_stay_on_page_one(tmp_path, regions) -> None:
    data = tmp_path / "data"
    if regions == 17:
        data.mkdir()
        shutil.copy(SIGNED, data / "2020-08.yaml")
        (data / "2020-07.yaml").write_text(_july(SIGNED.read_text(encoding="utf-8")),
                                           encoding="utf-8")
        month = "2020-08"
    else:
        write_month(data, month_data("2022-09", {("akmola", "backdated"): 2}))
        write_month(data, month_data("2022-10", {
            ("astana", "rubric-mismatch"): 1, ("almaty-city", "protocol-missing"): 2,
            ("abai", "protocol-missing"): 1, ("ulytau", "placement-date-missing"): 3}))
        month = "2022-10"
    outcome = build(data / f"{month}.yaml", tmp_path / "reports", pdf=True,
                    workspace=Workspace(tmp_path))
    assert not outcome.notes  # the month before is there: the comparison sentence is printed
    for lang, label in TOTALS.items():
        text = _page_one(tmp_path / "reports" / month / f"{month}-{lang}.pdf")
        assert label in text, f"{regions} regions, {lang}: the totals row is not on page 1"
        assert ("За " in text and "года выявлено" in text) if lang == "ru" else "анықталды" in text


def _own_categories(count: int) -> str:
    """A folder's categories.yaml that leaves `count` columns from July 2026: the package's
    eight less those retired, or with new ones, half in each group."""
    retired = ["posted-after-survey-start", "survey-period-missing", "placement-date-missing",
               "backdated", "protocol-missing"][:max(8 - count, 0)]
    lines = ["categories:"]
    for code in retired:
        lines += [f"  - code: {code}", "    valid_until: 2026-06-30",
                  "    source: a test entry, not an act"]
    for index in range(max(count - 8, 0)):
        group = ("announcements", "protocols")[index % 2]
        words = {"ru": f"Нарушение требований к размещению № {index + 1}",
                 "kk": f"Орналастыру талаптарын бұзу № {index + 1}"}
        lines += [f"  - code: extra-{index + 1}", "    valid_from: 2026-07-01",
                  "    source: a test entry, not an act", f"    group: {group}",
                  f"    header: {{ru: '{words['ru']}', kk: '{words['kk']}', en: Extra}}",
                  f"    label: {{ru: '{words['ru']}', kk: '{words['kk']}'}}",
                  f"    name: {{ru: '{words['ru']}', kk: '{words['kk']}'}}",
                  "    sentence:",
                  *(f"      {lang}: {{one: '{text}', many: '{text}'}}"
                    for lang, text in words.items())]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
@pytest.mark.parametrize("count", [5, 12])
def test_five_to_twelve_columns_fit_the_text_width_with_their_totals(tmp_path, count) -> None:
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "categories.yaml").write_text(_own_categories(count),
                                                             encoding="utf-8")
    workspace = Workspace(tmp_path)
    ref = workspace.facts().reference
    columns = ref.categories_in_force(Period.parse("2026-07"))
    assert len(columns) == count
    findings = {(region, category.code): 1 for region, category in
                zip(("astana", "akmola", "aktobe", "abai", "ulytau"), columns[-5:], strict=False)}
    write_month(tmp_path / "data", month_data("2026-07", findings, ref=ref))
    outcome = build(tmp_path / "data" / "2026-07.yaml", tmp_path / "reports", pdf=True,
                    workspace=workspace)
    for lang, label in TOTALS.items():
        docx = Document(str(tmp_path / "reports" / "2026-07" / f"2026-07-{lang}.docx"))
        grid = docx.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
        widths = [int(col.get(qn("w:w"))) / 56.7 for col in grid]  # twips to millimetres
        assert len(widths) == 5 + count
        assert sum(widths) <= table_width(document_settings()) + 0.5
        assert min(widths) >= document_settings()["tables"]["monthly"]["min_mm"] - 0.1
        text = _page_one(tmp_path / "reports" / "2026-07" / f"2026-07-{lang}.pdf")
        assert label in text, f"{count} columns, {lang}: the totals row is not on page 1"
    assert outcome.files


# --- the signature block: whole, and on the page of the text before it ---

SIGNATURE = {"ru": ("Директор Департамента экологического мониторинга", "А. Б. Тестов"),
             "kk": ("Экологиялық мониторинг департаментінің директоры", "А. Б. Тестов")}
FILLER = {"ru": "Предложение заключения, которое продолжает текст до конца страницы",
          "kk": "Қорытындының мәтінді беттің соңына дейін жалғастыратын сөйлемі"}


def _pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(page.replace("\u00a0", " ").split()) for page in text.split("\f")[:-1]]


def _closing(paragraphs: int, last: str) -> list[dict]:
    texts = [{lang: f"{FILLER[lang]} {index}; " * 6 + f"{FILLER[lang]} {index}."
              for lang in ("ru", "kk")} for index in range(paragraphs)]
    return [*texts, {"ru": last, "kk": last}]


CASES = {  # a case's months, one for each length of the closing
    "a month without violations": ([f"2020-{month:02d}" for month in range(7, 13)], {}),
    "a single finding": ([f"2021-{month:02d}" for month in range(1, 7)],
                         {("akmola", "backdated"): 1}),
    "20 regions, findings in every category": ([f"2022-{month:02d}" for month in range(7, 13)], {
        (region, category): 1 + (index + offset) % 3
        for index, region in enumerate(("astana", "almaty-city", "akmola", "aktobe", "abai",
                                        "zhetisu", "ulytau", "shymkent", "kostanay",
                                        "west-kazakhstan", "north-kazakhstan", "east-kazakhstan",
                                        "almaty-oblast", "mangystau", "turkestan"))
        for offset, category in enumerate(("less-than-20-days", "posted-after-survey-start",
                                           "survey-period-missing", "backdated",
                                           "rubric-mismatch", "protocol-without-announcement",
                                           "placement-date-missing", "protocol-missing"))}),
}


# Months with neither narrative nor closing: the signature block follows the table
BARE = {"2025-06": {}}
BARE_TOTALS = {"ru": "Итого за июнь 2025 года", "kk": "2025 жылғы маусым бойынша барлығы"}


@pytest.fixture(scope="module")
def signed_months(tmp_path_factory) -> Path:
    """Every case's months with closings of 0 to 5 long paragraphs, built as PDFs in one
    command (one LibreOffice run): the signature block falls at every place of its page."""
    folder = tmp_path_factory.mktemp("signed")
    for periods, findings in CASES.values():
        for paragraphs, period in enumerate(periods):
            data = month_data(period, findings)
            data["closing"] = _closing(paragraphs, f"Последнее предложение {paragraphs}.")
            write_month(folder / "data", data)
    for period, findings in BARE.items():  # nothing between the table and the signature
        write_month(folder / "data", {**month_data(period, findings), "closing": []})
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, ["build", "--all", "--pdf", "--jobs", "1"])
        quarter = CliRunner().invoke(main, ["year", "2022-Q4", "--pdf"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert quarter.exit_code == 0, quarter.output
    return folder / "reports"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
@pytest.mark.parametrize("case", CASES)
def test_the_signature_block_stays_whole_with_the_text_before_it(signed_months, case) -> None:
    """For closings of 0 to 5 long paragraphs: the position, the name and the closing's last
    sentence always on one page."""
    periods, _findings = CASES[case]
    for paragraphs, period in enumerate(periods):
        for lang, (position, name) in SIGNATURE.items():
            pages = _pages(signed_months / period / f"{period}-{lang}.pdf")
            [page] = [page for page in pages if name in page]
            assert position in page, (case, paragraphs, lang, "the block split")
            assert f"Последнее предложение {paragraphs}." in page, (
                case, paragraphs, lang, "the block alone on its page")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_a_signature_block_after_the_table_keeps_the_tables_last_rows(signed_months) -> None:
    """A month without violations nor closing (20 regions): where the table fills page one,
    its totals row goes over with the signature, never the block alone (2025-06 in Kazakh)."""
    for period in BARE:
        for lang, (position, name) in SIGNATURE.items():
            pages = _pages(signed_months / period / f"{period}-{lang}.pdf")
            [page] = [page for page in pages if name in page]
            assert position in page and BARE_TOTALS[lang] in page, (period, lang, page[:300])


# --- names whole on their line, lists without wide gaps (issue: "Батыс / Қазақстан обл.") ---

def _lines(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line.strip().replace("\u00a0", " ").replace("\u2011", "-")
            for line in text.split("\n")]


def _whole() -> set[str]:
    """What a line must not split: every region's name in every form and language (those of
    two words or joined by a hyphen), a quarter and its numeral."""
    names = {name for region in reference().regions for forms in region.names
             for lang in ("ru", "kk") for name in forms.forms[lang].values()}
    return {name for name in names if " " in name or "-" in name} | {
        "IV квартал", "IV тоқсан"}


def _split(lines: list[str], name: str) -> bool:
    for before, after in itertools.pairwise(lines):
        for at, character in enumerate(name):
            if character in " -" and before.endswith(name[:at + (character == "-")].rstrip()) \
                    and after.startswith(name[at + 1:].split(" ")[0]) and before != name[:at]:
                return True
    return False


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_no_name_clause_or_quarter_breaks_across_lines(signed_months) -> None:
    """In the table, the narrative, the chart's note and the quarter's report, in both
    languages: a region's name, a clause's number and a quarter stay on one line."""
    whole = _whole()
    split = [(pdf.name, name) for pdf in sorted(signed_months.rglob("*.pdf"))
             for lines in [_lines(pdf)] for name in whole if _split(lines, name)]
    assert not split, split


def _gaps(pdf) -> list[tuple[float, str, str]]:
    """The gaps between the words of each line that lists regions with their counts, in
    spaces (a space: a quarter of the words' height)."""
    text = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", text))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    gaps = []
    for line in root.iter(f"{xhtml}line"):
        words = list(line.iter(f"{xhtml}word"))
        if not any(re.fullmatch(r"\(\d+\)[,.;]?", word.text or "") for word in words):
            continue
        for left, right in itertools.pairwise(words):
            space = (float(left.get("yMax")) - float(left.get("yMin"))) / 4
            gaps.append(((float(right.get("xMin")) - float(left.get("xMax"))) / space,
                         left.text, right.text))
    return gaps


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_a_list_of_regions_has_no_gap_wider_than_three_spaces(signed_months) -> None:
    """Names that never break are long chains a justified line would space out by several
    words' widths ("г. Нур-Султан (2),      Акмолинская обл. (1),"): the lists are set flush
    left, every gap about one space."""
    wide = [(pdf.name, round(gap, 1), left, right)
            for pdf in sorted(signed_months.rglob("*.pdf"))
            for gap, left, right in _gaps(pdf) if gap > 3]
    assert not wide, wide[:10]


def test_the_appendix_lets_its_narrow_column_break_a_name(tmp_path) -> None:
    """Its region column is 20 mm: a name kept whole would break inside a word there
    ("Западно-Казахста / нская обл."), so it keeps its space and hyphen to break at."""
    data = month_data("2021-03", {("west-kazakhstan", "backdated"): 1})
    data["evidence"] = [{"region": "west-kazakhstan", "category": "backdated",
                         "url": "https://bko.gov.kz/ru/announcements/1", "seen": "2021-03-10",
                         "project": "Проект № 1"}]
    outcome = build(write_month(tmp_path / "data", data), tmp_path / "reports",
                    workspace=Workspace(tmp_path))
    assert not outcome.report.errors
    for lang, name in (("ru", "Западно-Казахстанская обл."), ("kk", "Батыс Қазақстан обл.")):
        document = Document(tmp_path / "reports" / "2021-03" / f"2021-03-{lang}.docx")
        cells = [row.cells[1].text for row in document.tables[-1].rows]
        assert name.replace(" обл.", "\u00a0обл.") in cells, cells
