"""A Word report read as it stands: its paragraphs and tables in order, each table's cells at
their places on the grid (merged cells over columns and rows as Word merges them)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ..files.limits import TEMPLATE_LIMIT, UnreadableFile, read_limited, zip_contents
from ..i18n import _

# what the parts of a .docx may hold unpacked: a report is about 100 kB, its images a few MB
UNPACKED_LIMIT = 64 * 1024 * 1024
PARTS_LIMIT = 2000
# Word's own limit of a table's columns: the grid of a table that states none
MAX_COLUMNS = 63


class NotAWordFile(Exception):
    """Raised when a file cannot be read as a Word report; its text says why."""


class SpanOutsideGrid(NotAWordFile):
    """Raised when a cell's span (or a row's cells skipped before it) is no whole number of
    columns within its table's grid: where it stands, what it says, and the grid's width."""

    def __init__(self, table: int, row: int, column: int, found: str, width: int) -> None:
        super().__init__(found)
        self.table, self.row, self.column = table, row, column
        self.found, self.width = found, width


@dataclass(frozen=True)
class Paragraph:
    number: int   # the paragraph's place among the document's paragraphs, from 1
    text: str
    style: str


@dataclass(frozen=True)
class Cell:
    row: int       # from 1, as Word counts the table's rows
    column: int    # the first grid column it covers, from 1
    span: int      # how many grid columns it covers
    text: str
    continued: bool = False  # the lower part of a cell merged down (vMerge): its text is above

    @property
    def columns(self) -> range:
        return range(self.column, self.column + self.span)


@dataclass
class WordTable:
    number: int                      # from 1, in the document's order
    rows: list[list[Cell]] = field(default_factory=list)
    after: int = 0                   # the number of paragraphs before it

    def cell_at(self, row: int, column: int) -> Cell | None:
        return next((c for c in self.rows[row - 1] if column in c.columns), None)


@dataclass
class WordFile:
    file: str
    paragraphs: list[Paragraph]
    tables: list[WordTable]


def _text(element) -> str:
    return DocxParagraph(element, None).text


def _cell_text(tc) -> str:
    return "\n".join(_text(p) for p in tc.iterchildren(qn("w:p"))).strip()


def _grid_width(element) -> int:
    """How many columns the table's grid has (w:tblGrid), else as many as Word allows."""
    grid = element.find(qn("w:tblGrid"))
    columns = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    return columns or MAX_COLUMNS


def _columns(setting, default: int, at: tuple[int, int, int], width: int) -> int:
    """A count of grid columns a cell or row states (w:gridSpan, w:gridBefore), checked
    against the grid before anything is made of it: a span of 10^9 would be 10^9 columns."""
    if setting is None:
        return default
    raw = setting.get(qn("w:val")) or str(default)
    table, row, column = at
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 3 \
            or column - 1 + int(raw) > width:
        raise SpanOutsideGrid(table, row, column, raw[:40], width)
    return int(raw)


def _table(element, number: int, after: int) -> WordTable:
    table = WordTable(number, after=after)
    width = _grid_width(element)
    above: dict[int, str] = {}  # a vertically merged cell's text, by its grid column
    for row_index, tr in enumerate(element.iterchildren(qn("w:tr")), 1):
        properties = tr.find(qn("w:trPr"))
        before = properties.find(qn("w:gridBefore")) if properties is not None else None
        column = 1 + _columns(before, 0, (number, row_index, 1), width)
        cells = []
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span, continued = 1, False
            if tc_pr is not None:
                grid = tc_pr.find(qn("w:gridSpan"))
                span = max(1, _columns(grid, 1, (number, row_index, column), width))
                if (merge := tc_pr.find(qn("w:vMerge"))) is not None:
                    continued = merge.get(qn("w:val"), "continue") != "restart"
            text = above.get(column, "") if continued else _cell_text(tc)
            if not continued:
                above[column] = text
            cells.append(Cell(row_index, column, span, text, continued))
            column += span
        table.rows.append(cells)
    return table


def _check_package(data: bytes) -> None:
    """A .docx is a zip: refuse one that unpacks to more than a report can hold."""
    try:
        names, size = zip_contents(data)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise NotAWordFile(_("it is not a Word document (.docx): {reason}").format(
            reason=err)) from err
    if len(names) > PARTS_LIMIT or size > UNPACKED_LIMIT:
        raise NotAWordFile(_("it unpacks to more than a report holds ({size} MB)").format(
            size=size // (1024 * 1024)))
    if "word/document.xml" not in names:
        raise NotAWordFile(_("it is a zip file, but not a Word document (.docx)"))


def read_word(path: Path, file: str | None = None) -> WordFile:
    """The paragraphs and tables of a .docx, in the body's order (tables inside tables are
    read as their cells' text)."""
    file = file or str(path)
    try:
        data = read_limited(path, TEMPLATE_LIMIT)
    except UnreadableFile as err:
        raise NotAWordFile(str(err)) from err
    return word_from_bytes(data, file)


def word_from_bytes(data: bytes, file: str) -> WordFile:
    """A .docx's paragraphs and tables from its bytes; `file` names it in messages."""
    _check_package(data)
    try:
        document = Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError) as err:
        raise NotAWordFile(_("it is not a Word document (.docx): {reason}").format(
            reason=err)) from err
    paragraphs, tables = [], []
    styles = {s.style_id: s.name for s in document.styles}
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            name = styles.get(style.get(qn("w:val")), "") if style is not None else "Normal"
            paragraphs.append(Paragraph(len(paragraphs) + 1, _text(element), name or ""))
        elif element.tag == qn("w:tbl"):
            tables.append(_table(element, len(tables) + 1, len(paragraphs)))
    return WordFile(file, paragraphs, tables)
