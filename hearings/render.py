"""Render one language's report: the template filled strictly, the table built, settings applied."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import jinja2
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from .exceptions import RenderError
from .workspace import PACKAGED_TEMPLATES

LANGUAGE_TAGS = {"ru": "ru-RU", "kk": "kk-KZ"}
# XML 1.0 cannot hold these; validation refuses them, rendering refuses them again.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: object) -> object:
    """Every value printed into the document: text XML can hold, or the build stops."""
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise RenderError(f"the text {value[:40]!r} holds the character "
                              f"U+{ord(bad.group()):04X}, which a DOCX file cannot hold")
    return value


def jinja_environment() -> jinja2.Environment:
    """Strict (an undefined name stops the build) and escaping (& and < stay text)."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True,
                              finalize=_xml_text)


# Property elements must stand in schema order: each is inserted before those that follow it.
_FOLLOWERS = {
    "w:rPr": ("w:sectPr", "w:pPrChange"),
    "w:tblBorders": ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange"),
    "w:tblLayout": ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                    "w:tblPrChange"),
    "w:tblCellMar": ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"),
    "w:textDirection": ("w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
                        "w:cellDel", "w:cellMerge", "w:tcPrChange"),
    "w:cantSplit": ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
                    "w:ins", "w:del", "w:trPrChange"),
    "w:tblHeader": ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange"),
    "w:lang": ("w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange"),
}


def _set(element, tag: str, child=None, **attributes) -> None:
    """Set (replacing) a property child, e.g. <w:textDirection w:val="btLr"/>, in order."""
    for old in element.findall(qn(tag)):
        element.remove(old)
    if child is None:
        child = OxmlElement(tag)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), str(value))
    element.insert_element_before(child, *_FOLLOWERS[tag])


def _borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    properties = table._tbl.tblPr
    _set(properties, "w:tblBorders", borders)
    _set(properties, "w:tblLayout", type="fixed")
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "34")  # 0.6 mm: narrow columns keep their text
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _set(properties, "w:tblCellMar", margins)


def _widths(table, widths_mm: list[float]) -> None:
    """Column widths in the grid and in every cell (Word reads the cells, not the grid)."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_mm, strict=True):
            tc.width = Mm(width)


def _write(cell, text: str, size: float, *, bold: bool = False, upward: bool = False,
           align=WD_ALIGN_PARAGRAPH.CENTER) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Mm(0), Pt(0), Pt(0)
    fmt.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if upward:
        _set(cell._tc.get_or_add_tcPr(), "w:textDirection", val="btLr")


def _table(template: DocxTemplate, spec: dict, settings: dict):
    """The table as a subdocument: three merged header rows, a row per region, the totals."""
    widths = settings["table"]["width_mm"]
    size = settings["font"]["table_pt"]
    categories = spec["categories"]
    columns = [widths["number"], widths["region"], widths["placed"], widths["placed"],
               *[widths["category"]] * len(categories), widths["total"]]
    subdoc = template.new_subdoc()
    _spacer(subdoc)
    table = subdoc.add_table(rows=3 + len(spec["rows"]) + 1, cols=len(columns))
    table.autofit = False
    _borders(table)
    _widths(table, columns)
    rows = table.rows
    last = len(columns) - 1
    labels = spec["labels"]

    def merged(top, left, bottom, right):
        return rows[top].cells[left].merge(rows[bottom].cells[right])

    _write(merged(0, 0, 2, 0), labels["number"], size, bold=True)
    _write(merged(0, 1, 2, 1), labels["region"], size, bold=True)
    _write(merged(0, 2, 0, 3), labels["placed"], size, bold=True)
    _write(merged(0, 4, 0, last - 1), labels["violations"], size, bold=True)
    _write(merged(0, last, 2, last), labels["total"], size, bold=True, upward=True)
    for offset, title in enumerate(spec["placed"]):
        _write(merged(1, 2 + offset, 2, 2 + offset), title, size, bold=True, upward=True)
    start = 4
    for title, count in spec["groups"]:
        _write(merged(1, start, 1, start + count - 1), title, size, bold=True)
        start += count
    for offset, header in enumerate(categories):
        _write(rows[2].cells[4 + offset], header, settings["font"]["table_header_pt"],
               upward=True)
    rows[2].height = Mm(settings["table"]["header_height_mm"])
    rows[2].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for row in rows[:3]:
        _set(row._tr.get_or_add_trPr(), "w:tblHeader")  # repeated on every page
    for row, cells in zip(rows[3:], spec["rows"], strict=False):
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            _write(cell, text, size,
                   align=WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    totals = rows[-1]
    _write(merged(len(rows) - 1, 0, len(rows) - 1, 1), spec["totals"][0], size, bold=True,
           align=WD_ALIGN_PARAGRAPH.LEFT)
    for cell, text in zip(totals.cells[2:], spec["totals"][1:], strict=True):
        _write(cell, text, size, bold=True)
    for row in rows:
        _set(row._tr.get_or_add_trPr(), "w:cantSplit")
    # the totals row never stands alone at the top of a page: the last region goes with it
    for cell in rows[-2].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
    _spacer(subdoc)
    return subdoc


def _appendix(template: DocxTemplate, spec: dict, settings: dict):
    """The evidence register as a table: a header row, then an entry per row."""
    widths = settings["appendix"]["width_mm"]
    size = settings["font"]["table_pt"]
    subdoc = template.new_subdoc()
    table = subdoc.add_table(rows=1 + len(spec["rows"]), cols=len(widths))
    table.autofit = False
    _borders(table)
    _widths(table, widths)
    header = table.rows[0]
    for cell, title in zip(header.cells, spec["columns"], strict=True):
        _write(cell, title, size, bold=True)
    _set(header._tr.get_or_add_trPr(), "w:tblHeader")
    for row, entry in zip(table.rows[1:], spec["rows"], strict=True):
        *cells, remark = entry
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            _write(cell, text, size, align=WD_ALIGN_PARAGRAPH.CENTER if index in (0, 5)
                   else WD_ALIGN_PARAGRAPH.LEFT)
        if remark:
            note = row.cells[3].add_paragraph()
            note.alignment = WD_ALIGN_PARAGRAPH.LEFT
            note.paragraph_format.first_line_indent = Mm(0)
            run = note.add_run(remark)
            run.font.size, run.font.italic = Pt(size), True
        _set(row._tr.get_or_add_trPr(), "w:cantSplit")
    return subdoc


def _spacer(subdoc) -> None:
    """A thin (6 pt) empty line between the table and the text around it."""
    paragraph = subdoc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    # an empty line is as high as its paragraph mark: 12 half-points
    mark, size = OxmlElement("w:rPr"), OxmlElement("w:sz")
    size.set(qn("w:val"), "12")
    mark.append(size)
    _set(paragraph._p.get_or_add_pPr(), "w:rPr", mark)


def _apply_settings(document, settings: dict, lang: str) -> None:
    """Page setup and typography from reference/document.yaml, for every style."""
    page, font = settings["page"], settings["font"]
    for section in document.sections:
        section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        margins = page["margin_mm"]
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    for style in document.styles:
        if not hasattr(style, "font") or style.font is None:
            continue
        style.font.name = font["name"]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{slot}"), font["name"])
        _set(style.element.get_or_add_rPr(), "w:lang", val=LANGUAGE_TAGS[lang],
             eastAsia=LANGUAGE_TAGS[lang], bidi=LANGUAGE_TAGS[lang])
    styles = document.styles
    styles["Normal"].font.size = Pt(font["body_pt"])
    styles["Normal"].paragraph_format.first_line_indent = Mm(font["first_line_indent_mm"])
    if "Executor" in [s.name for s in styles]:
        styles["Executor"].font.size = Pt(font["executor_pt"])


def _set_properties(document, title: str, author: str, lang: str, day: dt.date) -> None:
    """Document properties from the report, dated by its period rather than the clock."""
    moment = dt.datetime(day.year, day.month, day.day)
    properties = document.core_properties
    for child in list(properties._element):  # start clean: the base package's are malformed
        properties._element.remove(child)
    properties.title = title
    properties.subject = title
    properties.author = author
    properties.language = LANGUAGE_TAGS[lang]
    properties.created = moment
    properties.modified = moment
    # lastModifiedBy and revision are left out: with docxcompose imported, python-docx
    # writes them in the wrong namespace.


# Parts of python-docx's base package that would mislead: a stale copy of the styles and a
# thumbnail picture of some other document.
_DROPPED_PARTS = ("stylesWithEffects", "thumbnail")


def _drop_stale_parts(document) -> None:
    for owner in (document.part, document.part.package):
        for key, relationship in list(owner.rels.items()):
            if relationship.reltype.rsplit("/", 1)[-1] in _DROPPED_PARTS:
                del owner.rels[key]


def deterministic_zip(data: bytes, day: dt.date) -> bytes:
    """The same package with every entry stamped with the report's date, so that the same
    input gives the same bytes on every rebuild."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()


def render(context: dict, table_spec: dict, settings: dict, lang: str, day: dt.date,
           template_path: Path | None = None) -> bytes:
    """The DOCX of one language, as bytes (from the packaged template by default)."""
    path = template_path or PACKAGED_TEMPLATES / lang / "report.docx"
    try:
        template = DocxTemplate(path)
        context = {**context, "table": _table(template, table_spec, settings)}
        if context.get("appendix"):
            context["appendix"] = {**context["appendix"], "table": _appendix(
                template, context["appendix"], settings)}
        template.render(context, jinja_environment(), autoescape=True)
    except jinja2.UndefinedError as err:
        raise RenderError(f"{path}: the template uses an undefined name: {err}") from err
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"{path}: template syntax error, line {err.lineno}: "
                          f"{err.message}") from err
    except (OSError, KeyError, ValueError) as err:
        raise RenderError(f"{path}: cannot render: {err}") from err
    document = template.docx
    _drop_stale_parts(document)
    _apply_settings(document, settings, lang)
    _set_properties(document, context["title"], context["ministry"] or "", lang, day)
    buffer = io.BytesIO()
    template.save(buffer)
    return deterministic_zip(buffer.getvalue(), day)
