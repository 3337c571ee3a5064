"""The year's and a quarter's report: built from the months' files, every cell of its table the
sum of the months' cells (read back, both languages), the regions of June and September 2022
as they changed, a missing month named, nothing written without --partial."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.chart import read_chart
from hearings.documents.parity import figure, full_text, read_grid
from hearings.documents.year import Span, aggregate, check_year_parity, collect
from hearings.exceptions import ParityError
from hearings.month.reference import reference

from .months import month_data, write_month

LANGS = ("ru", "kk")
NA = "n/a"


def _year(folder: Path) -> None:
    """Twelve valid months of 2022: the three new oblasts from June, Astana's name back in
    September, Shymkent not assessed in May."""
    rng = random.Random(2022)
    for month in range(1, 13):
        period = f"2022-{month:02d}"
        findings = {("astana", "backdated"): rng.randint(0, 3),
                    ("karaganda", "protocol-missing"): rng.randint(0, 4),
                    ("akmola", "rubric-mismatch"): month % 3}
        if month >= 6:
            findings[("abai", "less-than-20-days")] = rng.randint(0, 2)
            findings[("ulytau", "placement-date-missing")] = 1
        write_month(folder, month_data(period, findings,
                                       not_assessed=("shymkent",) if month == 5 else ()))


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _year(Path("data"))
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(main, ["year", *args])


def _month(period: str) -> dict:
    return yaml.load(Path(f"data/{period}.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _expected_cell(region: str, period: str, months: dict | None = None):
    """What the year's table must show for a region in a month, from the month's own file."""
    data = months[period] if months is not None else _month(period)
    if region not in data["regions"]:
        return "×"
    counts = [v for v in data["regions"][region]["violations"].values() if v != NA]
    return sum(counts) if counts else None


def _grid(lang: str, name: str = "2022") -> list[list[str]]:
    return [[cell.replace("\u00a0", " ") for cell in row]
            for row in read_grid(Path(f"reports/{name}/{name}-{lang}.docx").read_bytes())]


@pytest.mark.parametrize("lang", LANGS)
def test_every_cell_is_the_sum_of_the_months(workspace, lang) -> None:
    result = _run("2022")
    assert result.exit_code == 0, result.output
    rows = _grid(lang)[1:]
    regions = [code for code in yaml.safe_load(Path("data/2022-12.yaml").read_text(
        encoding="utf-8"))["regions"]]
    assert len(rows) == 20 + 1
    periods = [f"2022-{m:02d}" for m in range(1, 13)]
    months = {period: _month(period) for period in periods}
    for code, row in zip(regions, rows, strict=False):
        expected = [_expected_cell(code, period, months) for period in periods]
        shown = [text if text == "×" else figure(text) for text in row[2:14]]
        assert shown == expected, code
        assert figure(row[14]) == sum(v for v in expected if isinstance(v, int))
    totals = rows[-1]
    for index, period in enumerate(periods):
        assert figure(totals[2 + index]) == sum(
            v for code in regions if isinstance(v := _expected_cell(code, period, months), int))


def test_the_regions_as_they_changed(workspace) -> None:
    assert _run("2022").exit_code == 0
    grid = {lang: _grid(lang) for lang in LANGS}
    names = {lang: [row[1] for row in grid[lang][1:-1]] for lang in LANGS}
    assert names["ru"][0] == "г. Астана" and names["kk"][0] == "Астана қ."  # end of the year
    abai = grid["ru"][1 + names["ru"].index("Абай")]
    assert abai[2:7] == ["×"] * 5 and "×" not in abai[7:14]  # from June
    shymkent = grid["kk"][1 + names["kk"].index("Шымкент қ.")]
    assert shymkent[6] == "–"  # May: not assessed, not 0
    text = full_text(Path("reports/2022/2022-ru.docx").read_bytes())
    lines = text.splitlines()
    totals = next(i for i, line in enumerate(lines) if line.startswith("Итого за 2022 год |"))
    after = [line for line in lines[totals + 1:] if line]
    # the keys under its table: "×", and "–" for a region not assessed in a month
    assert after[0] == "× – регион еще не был образован. «–» – оценить не удалось (это не ноль)."
    assert text.count("× – регион") == 1


def test_the_year_s_sentences_read_as_sentences(workspace) -> None:
    """The groups joined by a comma; the months with most findings named only as a choice
    among more (all three months of a quarter say nothing), one in a sentence of its own."""
    assert _run("2022").exit_code == 0 and _run("2022-Q3").exit_code == 0
    year = full_text(Path("reports/2022/2022-ru.docx").read_bytes())
    quarter = full_text(Path("reports/2022-Q3/2022-Q3-ru.docx").read_bytes())
    kk = full_text(Path("reports/2022-Q3/2022-Q3-kk.docx").read_bytes())
    for text in (year, quarter):
        summary = next(line for line in text.splitlines() if line.startswith("Выявлено "))
        assert ";" not in summary and ", из них " in summary
    assert "Больше всего нарушений выявлено за месяцы: " in year
    assert "за месяцы" not in quarter
    [month] = [line for line in quarter.splitlines() if line.startswith("Больше всего "
                                                                         "нарушений выявлено за")]
    assert re.fullmatch(r"Больше всего нарушений выявлено за (июль|август|сентябрь) \(\d+\)\.",
                        month)
    assert re.search(r"Бұзушылықтар ең көп (шілде|тамыз|қыркүйек) айында анықталды \(\d+\)\.",
                     kk)


def test_a_changed_month_changes_exactly_its_cells(workspace) -> None:
    assert _run("2022").exit_code == 0
    before = {lang: _grid(lang) for lang in LANGS}
    july = Path("data/2022-07.yaml")
    data = yaml.safe_load(july.read_text(encoding="utf-8"))
    write_month(Path("data"), month_data("2022-07", {
        (region, category): count for region, row in data["regions"].items()
        for category, count in row["violations"].items() if count not in (0, NA)} | {
        ("pavlodar", "backdated"): 5}))
    assert _run("2022").exit_code == 1  # the report changed: not replaced without --force
    assert _run("2022", "--force").exit_code == 0
    for lang in LANGS:
        after = _grid(lang)
        changed = {(r, c) for r, (a, b) in enumerate(zip(before[lang], after, strict=True))
                   for c, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}
        pavlodar = next(r for r, row in enumerate(after) if row[1] in ("Павлодарская",
                                                                       "Павлодар"))
        last = len(after) - 1
        assert changed == {(pavlodar, 8), (pavlodar, 14), (last, 8), (last, 14)}, lang
        assert figure(after[pavlodar][8]) == figure(before[lang][pavlodar][8]) + 5
    assert sorted(p.name for p in Path("reports/2022").glob("*previous*")) == [
        "2022-kk.previous-1.docx", "2022-ru.previous-1.docx"]


def test_a_missing_month_is_named_and_nothing_is_written(workspace) -> None:
    Path("data/2022-03.yaml").unlink()
    result = _run("2022")
    assert result.exit_code == 1
    assert "2022-03 (data/2022-03.yaml: there is no such file)" in result.output
    assert "nothing was written" in result.output and not Path("reports").exists()
    result = _run("2022", "--partial")
    assert result.exit_code == 0, result.output
    assert "2022-03: left out (data/2022-03.yaml: there is no such file)" in result.output
    assert "2022: 11 months:" in result.output
    assert len(_grid("ru")[0]) == 2 + 11 + 1
    ru = full_text(Path("reports/2022/2022-ru.docx").read_bytes())
    kk = full_text(Path("reports/2022/2022-kk.docx").read_bytes())
    assert "Отчет неполный: он составлен по данным только за январь, февраль, апрель" in ru
    assert "данных за март нет или они содержат ошибки" in ru
    assert "наурыз деректері жоқ" in kk


def test_an_invalid_month_is_named_too(workspace) -> None:
    Path("data/2022-05.yaml").write_text("period: 2022-05\n", encoding="utf-8")
    result = _run("2022")
    assert result.exit_code == 1 and "2022-05 (data/2022-05.yaml: it has errors)" in result.output


def test_a_quarter_and_its_phrases(workspace) -> None:
    result = _run("2022-Q1")
    assert result.exit_code == 0, result.output
    ru = full_text(Path("reports/2022-Q1/2022-Q1-ru.docx").read_bytes())
    kk = full_text(Path("reports/2022-Q1/2022-Q1-kk.docx").read_bytes())
    # Roman numerals in Latin letters, in both languages (babel's Kazakh "І" is Cyrillic)
    assert "за I квартал 2022 года" in ru.splitlines()[0]
    assert kk.splitlines()[0].startswith("2022 жылғы I тоқсандағы")
    assert "2022 жылғы I тоқсан бойынша барлығы" in kk
    assert "І" not in kk.splitlines()[0]
    # a line never breaks between the numeral and its quarter, nor inside a region's name
    exact = full_text(Path("reports/2022-Q1/2022-Q1-kk.docx").read_bytes(), no_break=True)
    assert "2022\u00a0жылғы I\u00a0тоқсандағы" in exact
    grid = _grid("ru", "2022-Q1")
    assert grid[0][2:5] == ["янв.", "февр.", "март"] and len(grid) == 1 + 17 + 1
    # the name in force at the end of March 2022, whole on its line: Word's no-break hyphen
    assert grid[1][1] == "г. Нур\u2011Султан"


def test_the_year_phrases_and_the_chart_of_months(workspace) -> None:
    assert _run("2022").exit_code == 0
    ru = full_text(Path("reports/2022/2022-ru.docx").read_bytes())
    kk = full_text(Path("reports/2022/2022-kk.docx").read_bytes())
    assert "за 2022 год" in ru.splitlines()[0] and kk.startswith("2022 жылғы")
    assert "2022 жыл бойынша барлығы" in kk
    labels, series = read_chart(Path("reports/2022/2022-kk.docx").read_bytes())
    assert labels[0] == "қаңтар" and len(labels) == 12
    months, _ = collect(Span.parse("2022"), Path("data"), reference())
    assert series[1][1] == [m.group_total("protocols") for m in months]


def test_the_same_months_give_the_same_bytes(workspace) -> None:
    assert _run("2022", "--reports", "one").exit_code == 0
    assert _run("2022", "--reports", "two").exit_code == 0
    for lang in LANGS:
        assert Path(f"one/2022/2022-{lang}.docx").read_bytes() == \
            Path(f"two/2022/2022-{lang}.docx").read_bytes()
    shutil.rmtree("two")


def test_a_table_that_disagrees_with_the_months_stops_the_build(workspace) -> None:
    ref = reference()
    span = Span.parse("2022")
    months, _ = collect(span, Path("data"), ref)
    data = aggregate(span, months, ref)
    assert _run("2022").exit_code == 0
    good = {lang: Path(f"reports/2022/2022-{lang}.docx").read_bytes() for lang in LANGS}
    check_year_parity(good, data)
    cells = list(data.cells)
    cells[0] = (*cells[0][:-1], 99)  # Astana in December, as if the months said 99
    with pytest.raises(ParityError, match="the ru year table, row 1"):
        check_year_parity(good, replace(data, cells=tuple(cells)))


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_a_quarter_as_archival_pdfs(workspace) -> None:
    import subprocess

    import pikepdf.pdfa

    result = _run("2022-Q3", "--pdf")
    assert result.exit_code == 0, result.output
    for lang, phrase in (("ru", "за III квартал 2022 года"), ("kk", "2022 жылғы III тоқсан")):
        pdf = Path(f"reports/2022-Q3/2022-Q3-{lang}.pdf")
        assert pikepdf.pdfa.validate_written(pdf, "2b").passed
        text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
        assert phrase in text, lang


@pytest.mark.parametrize("span", ["2022-Q5", "22", "2022-13", "Q3-2022"])
def test_a_period_that_is_not_a_year_or_a_quarter_is_a_usage_error(workspace, span) -> None:
    result = _run(span)
    assert result.exit_code == 2
    assert f"'{span}' is not a year or a quarter: write it YYYY or YYYY-Q1 to YYYY-Q4" \
        in result.output


def test_ties_are_named_whole_never_cut(tmp_path, monkeypatch) -> None:
    """April and May tie for the most findings of the quarter, and four regions tie for the
    third place: all of them are named, in both languages."""
    monkeypatch.chdir(tmp_path)
    counts = {"2025-04": {"akmola": 2, "karaganda": 2, "astana": 2, "abai": 1},
              "2025-05": {"akmola": 2, "karaganda": 1, "astana": 1, "abai": 2, "ulytau": 1},
              "2025-06": {"akmola": 1, "karaganda": 1, "astana": 1, "abai": 1}}
    for period, regions in counts.items():
        write_month(Path("data"), month_data(period, {(region, "backdated"): count
                                                      for region, count in regions.items()}))
    assert _run("2025-Q2").exit_code == 0
    ru = full_text(Path("reports/2025-Q2/2025-Q2-ru.docx").read_bytes()).replace("\u00a0", " ")
    kk = full_text(Path("reports/2025-Q2/2025-Q2-kk.docx").read_bytes()).replace("\u00a0", " ")
    assert "Больше всего нарушений выявлено за месяцы: апрель (7), май (7)." in ru
    assert ("Больше всего нарушений выявлено в регионах: Акмолинская обл. (5), г. Астана (4), "
            "Карагандинская обл. (4), обл. Абай (4).") in ru, ru
    assert "сәуір (7), мамыр (7)" in kk
    assert "Ұлытау" not in next(line for line in kk.splitlines() if "(5)" in line)


def test_every_title_of_a_table_or_figure_has_one_caption_style(workspace) -> None:
    """The year's table titles were body text beside a centred figure caption: every title
    (the table's, the categories', the chart's) is now one style, and so is the monthly
    chart's caption."""
    from docx import Document

    assert _run("2022").exit_code == 0
    for lang in ("ru", "kk"):
        document = Document(f"reports/2022/2022-{lang}.docx")
        titles = [p for p in document.paragraphs
                  if p.text.startswith(("Нарушения по", "Рисунок.", "Сурет."))
                  or "бойынша бұзушылықтар" in p.text]
        assert len(titles) == 3, [p.text for p in titles]
        assert {p.style.name for p in titles} == {"ReportCaption"}, lang
