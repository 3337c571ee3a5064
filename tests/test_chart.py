"""The chart after the table: a native Word chart whose bars are the table's figures, in both
languages, with the workbook behind it holding the same; a region not assessed has no bar,
a mark and a note; a chart that disagrees with its table stops the build."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from hearings.documents.chart import read_chart
from hearings.documents.parity import (
    chart_expected,
    check_parity,
    full_text,
    read_table,
    table_regions,
)
from hearings.documents.report import build
from hearings.exceptions import ParityError

from .conftest import SIGNED
from .months import month_data, write_month

GROUPS = [[0, 1, 2, 3, 4], [5, 6, 7]]


@pytest.fixture(scope="module")
def august(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reports")
    build(SIGNED, out)
    return {lang: (out / "2020-08" / f"2020-08-{lang}.docx").read_bytes() for lang in ("ru", "kk")}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_bars_are_the_table_figures(august, lang) -> None:
    labels, series = read_chart(august[lang])
    assert [values for _, values in series] == chart_expected(read_table(august[lang]), GROUPS)
    assert [label.rstrip("*") for label in labels] == table_regions(august[lang])
    assert [name for name, _ in series] == {"ru": ["Объявления", "Протоколы"],
                                            "kk": ["Хабарландырулар", "Хаттамалар"]}[lang]
    # August 2020 by hand: Almaty region's 10 by protocols, Shymkent's protocols not assessed
    assert series[1][1][4] == 10 and series[1][1][16] is None and series[0][1][16] == 1
    assert labels[16] == {"ru": "г. Шымкент*", "kk": "Шымкент қ.*"}[lang]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_workbook_behind_the_chart_holds_the_same_figures(august, lang) -> None:
    labels, series = read_chart(august[lang])
    with zipfile.ZipFile(io.BytesIO(august[lang])) as package:
        sheet = load_workbook(io.BytesIO(package.read(
            "word/embeddings/Microsoft_Excel_Worksheet1.xlsx")))["Sheet1"]
    rows = list(sheet.iter_rows(values_only=True))
    # as the chart draws them, bottom up: the last region and the last group first
    drawn = [(name, values[::-1]) for name, values in reversed(series)]
    assert rows[0] == (None, *(name for name, _ in drawn))
    assert [row[0] for row in rows[1:]] == labels[::-1]
    for column, (_, values) in enumerate(drawn, start=1):
        assert [row[column] for row in rows[1:]] == values


def test_the_chart_keeps_the_template_look_and_takes_the_month_data(august) -> None:
    with zipfile.ZipFile(io.BytesIO(august["ru"])) as package:
        chart = package.read("word/charts/chart1.xml").decode()
    assert 'typeface="Times New Roman"' in chart and '<c:barDir val="bar"/>' in chart
    # drawn bottom up, so that LibreOffice's legend reads in the table's order, like the bars
    assert '<c:orientation val="minMax"/>' in chart
    assert chart.index("<c:v>Протоколы</c:v>") < chart.index("<c:v>Объявления</c:v>")
    assert re.search(r"<c:f>Sheet1!\$B\$2:\$B\$18</c:f>", chart)  # 17 regions from row 2


def test_a_chart_that_disagrees_with_its_table_stops_the_build(august) -> None:
    with zipfile.ZipFile(io.BytesIO(august["kk"])) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries["word/charts/chart1.xml"] = entries["word/charts/chart1.xml"].replace(
        b"<c:v>10</c:v>", b"<c:v>11</c:v>", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, content in entries.items():
            target.writestr(name, content)
    with pytest.raises(ParityError, match="the kk chart shows"):
        check_parity({"ru": august["ru"], "kk": buffer.getvalue()}, GROUPS)


def test_twenty_regions_and_the_note_of_a_month_without_gaps(tmp_path) -> None:
    write_month(tmp_path / "data", month_data("2022-10", {("ulytau", "backdated"): 2,
                                                          ("astana", "backdated"): 1}))
    build(tmp_path / "data" / "2022-10.yaml", tmp_path / "reports")
    docx = (tmp_path / "reports" / "2022-10" / "2022-10-kk.docx").read_bytes()
    labels, series = read_chart(docx)
    assert len(labels) == 20 and labels[0] == "Астана қ." and "Ұлытау" in labels
    assert series[0][1][labels.index("Ұлытау")] == 2
    assert not any(label.endswith("*") for label in labels)
    text = full_text(docx)
    assert "Сурет. 2022 жылғы қазан айындағы өңірлер бойынша бұзушылықтар" in text
    assert "Бағаланбады" not in text  # no note without a gap


def test_a_month_without_violations_has_no_chart_and_counts_step_whole(tmp_path) -> None:
    write_month(tmp_path / "data", month_data("2020-09"))
    write_month(tmp_path / "data", month_data("2021-02", {("zhambyl", "backdated"): 1,
                                                          ("akmola", "backdated"): 1}))
    write_month(tmp_path / "data", month_data("2022-10", {("abai", "protocol-missing"): 45,
                                                          ("astana", "protocol-missing"): 1}))
    for period in ("2020-09", "2021-02", "2022-10"):
        build(tmp_path / "data" / f"{period}.yaml", tmp_path / "reports")
    none = (tmp_path / "reports" / "2020-09" / "2020-09-ru.docx").read_bytes()
    assert "Рисунок" not in full_text(none) and b"<w:drawing>" not in zipfile.ZipFile(
        io.BytesIO(none)).read("word/document.xml")
    for period, step in (("2021-02", 1), ("2022-10", 5)):  # no "0 1 1" from a 0.5 step
        with zipfile.ZipFile(tmp_path / "reports" / period / f"{period}-kk.docx") as package:
            chart = package.read("word/charts/chart1.xml").decode()
            assert b"<w:drawing>" in package.read("word/document.xml")
        assert f'<c:majorUnit val="{step}"/>' in chart, period
