"""Read both documents back and prove they state the same figures as each other and the table."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from lxml import etree

from ..exceptions import ParityError
from ..files.cache import remembered
from .chart import read_chart
from .localize import NO_BREAK_HYPHEN

_NUMBER = re.compile(r"\d[\d\u00a0\u202f ]*")


def figure(text: str) -> int | None:
    """A cell's figure: an int, or None for a dash (could not be assessed)."""
    digits = re.sub(r"[\u00a0\u202f ]", "", text.strip())
    return int(digits) if digits.isdigit() else None


def full_text(data: bytes, no_break: bool = False) -> str:
    """The document's text in reading order: a line per paragraph, a line per table row
    with its cells separated by " | " (a merged cell once); the no-break spaces of the
    typesetting read as spaces and hyphens, as a reader reads them, unless `no_break`."""
    document = Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" if t.tag == f"{W}t" else NO_BREAK_HYPHEN
                                 for t in block.iter(f"{W}t", f"{W}noBreakHyphen")))
        elif block.tag.endswith("}tbl"):
            table = next(t for t in document.tables if t._tbl is block)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cell._tc is not cells[-1]._tc:
                        cells.append(cell)
                lines.append(" | ".join(_text(c._tc).replace("\n", " / ") for c in cells))
    text = "\n".join(lines) + "\n"
    return text if no_break else text.replace("\u00a0", " ").replace(NO_BREAK_HYPHEN, "-")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T = f"{W}t"
_BREAKS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n",
           f"{W}noBreakHyphen": NO_BREAK_HYPHEN}


class _Written:
    """The main document and styles of a DOCX as written, read with lxml: the same reading
    as python-docx's for what the checks need, at a fraction of its cost."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self.body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
            styles = package.getinfo("word/styles.xml")
            # 380 kB, the same in every month of a template: searched once for each content
            # (known by its CRC and sizes, read from the package's directory)
            self.summary_styles = remembered(
                _SUMMARY_STYLES, (styles.CRC, styles.file_size, styles.compress_size),
                lambda: _summary_styles(package.read(styles)))
        self.grid: list[list[str]] | None = None


def _written(data: bytes | _Written) -> _Written:
    return data if isinstance(data, _Written) else _Written(data)


def _text(element) -> str:
    """The text of a paragraph or a cell (its paragraphs on lines of their own)."""
    if element.tag != f"{W}p":
        return "\n".join(_text(p) for p in element.iterchildren(f"{W}p"))
    return "".join([node.text or "" if node.tag == _T else _BREAKS[node.tag]
                    for node in element.iter(_T, *_BREAKS)])


def _grid(row, above: list[str] | None) -> list[str]:
    """The text of each grid column of a row: a spanned cell in each of its columns, a cell
    merged from above with the text of the cell it continues."""
    cells = []
    for tc in row.findall(f"{W}tc"):
        span = tc.find(f"{W}tcPr/{W}gridSpan")
        merge = tc.find(f"{W}tcPr/{W}vMerge")
        continued = merge is not None and merge.get(f"{W}val", "continue") != "restart"
        for _ in range(int(span.get(f"{W}val")) if span is not None else 1):
            cells.append(above[len(cells)] if continued and above else _text(tc))
    return cells


def read_grid(data: bytes | _Written) -> list[list[str]]:
    """The text of each grid cell of the document's widest table, row by row (read once
    for a document read with _Written)."""
    written = _written(data)
    if written.grid is None:
        body = written.body
        table = max(body.findall(f"{W}tbl"),
                    key=lambda t: len(t.findall(f"{W}tblGrid/{W}gridCol")))
        rows, above = [], None
        for row in table.findall(f"{W}tr"):
            above = _grid(row, above)
            rows.append(above)
        written.grid = rows
    return written.grid


def read_table(data: bytes | _Written) -> list[list[int | None]]:
    """The figures of the report's table (the one with most columns), row by row, totals
    row last (header rows skipped)."""
    return [[figure(text) for text in row[2:]] for row in read_grid(data)[3:]]


SUMMARY_STYLES = ("Summary Item", "Summary Total")
# A single finding said in one sentence, in words: "Выявлено одно нарушение – по объявлениям."
SUMMARY_ONE_STYLE = "Summary Total One"
# A style's start tag and its name, its first child as written (a style written otherwise is
# not found, and the check fails rather than passes).
_STYLE = re.compile(rb'<w:style\b([^>]*)>\s*<w:name w:val="([^"]*)"')
_STYLE_ID = re.compile(rb'w:styleId="([^"]*)"')
# A summary line that says in words that there is nothing: "Нарушений не выявлено."
SUMMARY_NONE_STYLES = ("Summary Item None", "Summary Total None")


def read_summary(data: bytes | _Written) -> list[int | None]:
    """The figures the summary states, in order: announcements, protocols, violations, then
    by group (only when there are several): the first figure of each paragraph in a summary
    style of the template, 0 for a paragraph in a "none" style, 1 for the one sentence of a
    single finding."""
    written = _written(data)
    styles = written.summary_styles
    figures = []
    for paragraph in written.body.findall(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        style = style.get(f"{W}val") if style is not None else None
        if style in styles:
            match = _NUMBER.search(_text(paragraph))
            if styles[style] == "none":
                figures.append(None if match else 0)
            elif styles[style] == "one":
                figures.append(None if match else 1)
            else:
                figures.append(figure(match.group()) if match else None)
    return figures


_SUMMARY_STYLES: dict[tuple, dict[str, str]] = {}


def _summary_styles(styles: bytes) -> dict[str, str]:
    """The summary styles of a styles part: style id -> "figure", "none" or "one"."""
    found = {}
    for attributes, name in _STYLE.findall(styles):
        name = name.decode()
        if name in (*SUMMARY_STYLES, *SUMMARY_NONE_STYLES, SUMMARY_ONE_STYLE):
            found[_STYLE_ID.search(attributes).group(1).decode()] = (
                "none" if name in SUMMARY_NONE_STYLES else "one" if name == SUMMARY_ONE_STYLE
                else "figure")
    return found


def chart_expected(table: list[list[int | None]],
                   group_columns: list[list[int]]) -> list[list[int | None]]:
    """What the chart must show, by the table: per group, each region's violations of the
    group's categories (None when none was assessed)."""
    series = []
    for group in group_columns:
        values = []
        for row in table[:-1]:  # the regions, without the totals row
            assessed = [row[2 + i] for i in group if row[2 + i] is not None]
            values.append(sum(assessed) if assessed else None)
        series.append(values)
    return series


def table_regions(data: bytes | _Written) -> list[str]:
    """The region names of the report's table, in its order."""
    # as the chart names them: the no-break spaces of the typesetting are spaces to it
    return [row[1].replace("\u00a0", " ").replace(NO_BREAK_HYPHEN, "-")
            for row in read_grid(data)[3:-1]]


def _check_chart(lang: str, data: bytes, table: list, group_columns: list[list[int]],
                 regions: list[str]) -> None:
    if b"/charts/" not in data:  # a folder's own template without the chart
        return
    labels, series = read_chart(data)
    if [label.rstrip("*") for label in labels] != regions:
        raise ParityError(f"the {lang} chart's regions {labels} are not the table's {regions}")
    shown = [values for _, values in series]
    expected = chart_expected(table, group_columns)
    if shown != expected:
        raise ParityError(f"the {lang} chart shows {shown}, its table {expected}")


def check_parity(documents: dict[str, bytes], group_columns: list[list[int]]) -> None:
    """Every figure of the tables equal cell by cell across languages, each summary figure
    equal to the table's totals, and the chart's bars to the table's rows; ParityError names
    the first difference."""
    raw, documents = documents, {lang: _Written(data) for lang, data in documents.items()}
    tables = {lang: read_table(document) for lang, document in documents.items()}
    (first, reference_table), *others = tables.items()
    for lang, table in others:
        if len(table) != len(reference_table):
            raise ParityError(f"the {first} table has {len(reference_table)} rows, "
                              f"the {lang} table {len(table)}")
        for number, (a, b) in enumerate(zip(reference_table, table, strict=True), 1):
            if a != b:
                column = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
                raise ParityError(f"row {number}, figure column {column + 1}: "
                                  f"{first} {a[column]}, {lang} {b[column]}")
    for lang, table in tables.items():
        totals = table[-1]
        expected = [totals[0], totals[1], totals[-1]]
        if totals[-1] > 1:  # the groups are listed for several violations
            expected += [sum(totals[2 + i] or 0 for i in group) for group in group_columns]
        stated = read_summary(documents[lang])
        if stated != expected:
            raise ParityError(f"the {lang} summary states {stated}, its table adds up to "
                              f"{expected}")
        _check_chart(lang, raw[lang], table, group_columns, table_regions(documents[lang]))
