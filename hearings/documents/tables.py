"""The report's tables as WordprocessingML text, written in one pass (the same XML that
python-docx's cell-by-cell calls would make, at a fraction of their cost); docxtpl puts the
text where the template says `{{p table }}`."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from docx.shared import Mm
from markupsafe import Markup

from .geometry import column_widths

_BORDERS = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:type="auto" w:w="0"/>'
    f"<w:tblBorders>{_BORDERS}</w:tblBorders>"
    '<w:tblLayout w:type="fixed"/>'
    # 0.6 mm: narrow columns keep their text
    '<w:tblCellMar><w:left w:w="34" w:type="dxa"/><w:right w:w="34" w:type="dxa"/></w:tblCellMar>'
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
    'w:noVBand="1" w:val="04A0"/></w:tblPr>')
# A thin (6 pt) empty line between the table and the text around it: an empty line is as
# high as its paragraph mark, 12 half-points.
SPACER = '<w:p><w:pPr><w:spacing w:after="0"/><w:rPr><w:sz w:val="12"/></w:rPr></w:pPr></w:p>'
CENTER, LEFT = "center", "left"


def escape(text: str) -> str:
    """Text as XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _twips(mm: float) -> int:
    return Mm(mm).twips


def _runs(text: str, properties: str) -> str:
    """A run per line of text, as python-docx's add_run writes tabs and line breaks."""
    parts = []
    for piece in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if parts:
            parts.append("<w:br/>")
        for index, chunk in enumerate(piece.split("\t")):
            if index:
                parts.append("<w:tab/>")
            if chunk:
                keep = ' xml:space="preserve"' if chunk != chunk.strip() else ""
                parts.append(f"<w:t{keep}>{escape(chunk)}</w:t>")
    return f"<w:r><w:rPr>{properties}</w:rPr>{''.join(parts)}</w:r>"


@dataclass
class Cell:
    """One cell of the grid as written: its text and looks, and how far it spans."""

    text: str | None = None      # None: the continuation of a cell merged from above
    size: float = 9
    bold: bool = False
    upward: bool = False
    align: str = CENTER
    span: int = 1                # grid columns
    merge: str | None = None     # "restart" above a vertical merge, "continue" below it
    keep_with_next: bool = False
    remark: str | None = None    # an italic paragraph of its own after the text

    def xml(self, width: int) -> str:
        properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
        if self.span > 1:
            properties += f'<w:gridSpan w:val="{self.span}"/>'
        if self.merge:
            properties += '<w:vMerge w:val="restart"/>' if self.merge == "restart" \
                else "<w:vMerge/>"
        if self.text is None:
            return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p/></w:tc>"
        if self.upward:
            properties += '<w:textDirection w:val="btLr"/>'
        properties += '<w:vAlign w:val="center"/>'
        keep = "<w:keepNext/>" if self.keep_with_next else ""
        size = f'<w:sz w:val="{round(self.size * 2)}"/>'
        bold = "<w:b/>" if self.bold else '<w:b w:val="0"/>'
        paragraph = (
            f'<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="240" '
            f'w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="{self.align}"/></w:pPr>'
            f"{_runs(self.text, bold + size)}"
            "</w:p>")
        if self.remark:
            paragraph += (f'<w:p><w:pPr>{keep}<w:ind w:firstLine="0"/><w:jc w:val="left"/>'
                          f'</w:pPr>{_runs(self.remark, "<w:i/>" + size)}</w:p>')
        return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraph}</w:tc>"


def table_xml(widths_mm: list[float], rows: list[tuple[list[Cell], dict]]) -> str:
    """A fixed-layout table with single borders: rows of cells, each row with its options
    (header: repeated on every page; height_mm: at least this high; may_split: the row may
    break across pages, which no other row does)."""
    # each edge rounded from the running sum, so that the rounding never adds up
    edges = [_twips(sum(widths_mm[:index])) for index in range(len(widths_mm) + 1)]
    columns = [right - left for left, right in itertools.pairwise(edges)]
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in columns)
    written = []
    for cells, options in rows:
        properties = "" if options.get("may_split") else "<w:cantSplit/>"
        if options.get("height_mm"):
            properties += (f'<w:trHeight w:val="{_twips(options["height_mm"])}" '
                           'w:hRule="atLeast"/>')
        if options.get("header"):
            properties += "<w:tblHeader/>"
        column, body = 0, []
        for cell in cells:
            body.append(cell.xml(sum(columns[column:column + cell.span])))
            column += cell.span
        if column != len(columns):
            raise ValueError(f"a row of {column} grid columns in a table of {len(columns)}")
        written.append(f"<w:tr><w:trPr>{properties}</w:trPr>{''.join(body)}</w:tr>")
    return f"<w:tbl>{_TABLE_PROPERTIES}<w:tblGrid>{grid}</w:tblGrid>{''.join(written)}</w:tbl>"


def monthly_table(spec: dict, settings: dict) -> Markup:
    """The month's table between two thin spacers: three merged header rows (repeated on
    every page), a row per region, the totals; the last region keeps with the totals row."""
    layout = settings["tables"]["monthly"]
    size, header_size = layout["font_pt"], layout["header_pt"]
    labels, categories = spec["labels"], spec["categories"]
    columns = column_widths(settings, "monthly", {"placed": len(spec["placed"]),
                                                  "category": len(categories)})

    def head(text, **looks) -> Cell:
        return Cell(text, size, bold=True, **looks)

    below = Cell(merge="continue")
    first = [head(labels["number"], merge="restart"), head(labels["region"], merge="restart"),
             head(labels["placed"], span=2), head(labels["violations"], span=len(categories)),
             head(labels["total"], merge="restart", upward=True)]
    second = [below, below,
              *[head(title, merge="restart", upward=True) for title in spec["placed"]],
              *[head(title, span=count) for title, count in spec["groups"]], below]
    third = [below, below, below, below,
             *[Cell(title, header_size, upward=True) for title in categories], below]
    rows = [(first, {"header": True}), (second, {"header": True}),
            (third, {"header": True, "height_mm": layout["header_height_mm"]}),
            *_regions_and_totals(spec, size)]
    return Markup(SPACER + table_xml(columns, rows) + SPACER)


def _regions_and_totals(spec: dict, size: float) -> list[tuple[list[Cell], dict]]:
    """A row per region (its name left, its figures centred), then the totals row in bold,
    its label over the number and name columns; the last region keeps with the totals."""
    last = len(spec["rows"]) - 1
    rows = [([Cell(text, size, align=LEFT if index == 1 else CENTER,
                   keep_with_next=number == last) for index, text in enumerate(texts)], {})
            for number, texts in enumerate(spec["rows"])]
    label, *figures = spec["totals"]
    rows.append(([Cell(label, size, bold=True, span=2, align=LEFT),
                  *[Cell(text, size, bold=True) for text in figures]], {}))
    return rows


def appendix_table(spec: dict, settings: dict) -> Markup:
    """The evidence register: a header row (repeated on every page), then an entry per row,
    its remark in italics under the project's name."""
    size = settings["tables"]["appendix"]["font_pt"]
    rows = [([Cell(title, size, bold=True) for title in spec["columns"]],
             {"header": True, "may_split": True})]
    for *texts, remark in spec["rows"]:
        rows.append(([Cell(text, size, align=CENTER if index in (0, 5) else LEFT,
                           remark=remark if index == 3 else None)
                      for index, text in enumerate(texts)], {}))
    return Markup(table_xml(column_widths(settings, "appendix"), rows))


def year_table(spec: dict, settings: dict) -> Markup:
    """Regions by month: a header row (repeated on every page), a row per region, the
    totals; the month columns share what the number, region and total columns leave."""
    size = settings["tables"]["year"]["font_pt"]
    columns = column_widths(settings, "year", {"month": len(spec["months"])})
    labels = spec["labels"]
    rows = [([Cell(labels["number"], size, bold=True), Cell(labels["region"], size, bold=True),
              *[Cell(month, size, bold=True) for month in spec["months"]],
              Cell(labels["total"], size, bold=True)], {"header": True}),
            *_regions_and_totals(spec, size)]
    return Markup(SPACER + table_xml(columns, rows) + SPACER)


def categories_table(spec: dict, settings: dict) -> Markup:
    """The period's violations by category: each group's line with its total, its
    categories under it, the total of all."""
    size = settings["tables"]["categories"]["font_pt"]
    rows = []
    for title, count, categories in spec["groups"]:
        rows.append(([Cell(title, size, bold=True, align=LEFT), Cell(count, size, bold=True)],
                     {}))
        rows.extend(([Cell(name, size, align=LEFT), Cell(figure, size)], {})
                    for name, figure in categories)
    label, total = spec["total"]
    rows.append(([Cell(label, size, bold=True, align=LEFT), Cell(total, size, bold=True)], {}))
    return Markup(SPACER + table_xml(column_widths(settings, "categories"), rows) + SPACER)
