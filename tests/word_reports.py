"""Word reports made to order for the import's tests: the August 2020 pair rebuilt from its
text (tests/archive/2020-08.txt), cell by cell, with its merged cells; and reports in that
shape typed by other hands."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .conftest import ROOT

SOURCE = ROOT / "tests" / "archive" / "2020-08.txt"

# Each table's rows, a row as its cells: (grid columns it spans, "restart"/"continue" for a
# cell merged down, or None). The text keeps the cells in order but not these merges.
RU_ROWS = (
    [(1, "restart"), (1, "restart"), (2, None), (8, None), (1, None)],
    [(1, "continue"), (1, "continue"), (1, None), (1, None), (3, None), (5, None), (1, None)],
    [(1, "continue"), (1, "continue"), (1, None), (1, None), *[(1, None)] * 9],
    *[[(1, None)] * 13] * 17,
    [(2, None), (1, None), (1, None), (5, None), (1, None), (1, None), (1, None), (1, None)],
)
KK_ROWS = (
    [(1, "restart"), (1, "restart"), (2, None), (1, None), (6, None), (1, None)],
    [(1, "continue"), (1, "continue"), (1, None), (1, None), (1, None), (3, None), (3, None),
     (1, None)],
    [(1, "continue"), (1, "continue"), (1, None), (1, None), *[(1, None)] * 8],
    *[[(1, None)] * 12] * 17,
    [(2, None), (1, None), (1, None), (1, None), (3, None), (1, None), (1, None), (1, None),
     (1, None)],
)


def source_documents() -> tuple[list, list]:
    """The Russian and the Kazakh report of the source as lists of parts: a paragraph's text,
    or a table as rows of (text, span, merge) cells."""
    lines = SOURCE.read_text(encoding="utf-8").replace("[bookmark: _GoBack]", "").split("\n")
    split = next(i for i, line in enumerate(lines) if line.startswith("2020 жылдың тамыз"))
    return _parts(lines[:split], RU_ROWS), _parts(lines[split:], KK_ROWS)


def _parts(lines: list[str], shape) -> list:
    expected = sum(len(row) for row in shape)
    parts: list = []
    cells: list[list[str]] | None = None
    for line in lines:
        if line.startswith("\t") and (cells is None or len(cells) < expected):
            if cells is None:
                cells = []
            cells.append([line[1:]])
        elif cells is not None and len(cells) < expected:
            cells[-1].append(line)
        elif cells is not None and len(cells) == expected and not line.strip():
            continue
        else:
            if cells is not None:
                parts.append(_rows(cells, shape))
                cells = None
                expected = -1  # one table per report
            parts.append(line)
    return parts


def _rows(cells: list[list[str]], shape) -> list[list[tuple[str, int, str | None]]]:
    rows, index = [], 0
    for row in shape:
        texts = []
        for span, merge in row:
            text = "\n".join(cells[index]).strip("\n")
            texts.append((text, span, merge))
            index += 1
        rows.append(texts)
    return rows


def _cell(text: str, span: int, merge: str | None):
    tc = OxmlElement("w:tc")
    properties = OxmlElement("w:tcPr")
    if span > 1:
        grid = OxmlElement("w:gridSpan")
        grid.set(qn("w:val"), str(span))
        properties.append(grid)
    if merge:
        vmerge = OxmlElement("w:vMerge")
        if merge == "restart":
            vmerge.set(qn("w:val"), "restart")
        properties.append(vmerge)
    tc.append(properties)
    for line in (text.split("\n") if merge != "continue" else [""]):
        p = OxmlElement("w:p")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = line
        r.append(t)
        p.append(r)
        tc.append(p)
    return tc


def _table(rows) -> object:
    width = max(sum(span for _t, span, _m in row) for row in rows)
    tbl = OxmlElement("w:tbl")
    tbl_pr = OxmlElement("w:tblPr")
    style = OxmlElement("w:tblStyle")
    style.set(qn("w:val"), "TableGrid")
    tbl_pr.append(style)
    tbl.append(tbl_pr)
    grid = OxmlElement("w:tblGrid")
    for _ in range(width):
        column = OxmlElement("w:gridCol")
        column.set(qn("w:w"), str(9000 // width))
        grid.append(column)
    tbl.append(grid)
    for row in rows:
        tr = OxmlElement("w:tr")
        for text, span, merge in row:
            tr.append(_cell(text, span, merge))
        tbl.append(tr)
    return tbl


def write_report(path: Path, parts: list) -> Path:
    """A .docx of the parts in order: a str is a paragraph, a list a table's rows."""
    document = Document()
    section = document.element.body.find(qn("w:sectPr"))
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
        else:
            section.addprevious(_table(part))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def source_pair(folder: Path, ru_name: str = "Анализ август.docx",
                kk_name: str = "Талдау тамыз.docx") -> tuple[Path, Path]:
    """The August 2020 source as two Word files, named as a person might name them."""
    ru, kk = source_documents()
    return write_report(folder / ru_name, ru), write_report(folder / kk_name, kk)
