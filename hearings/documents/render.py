"""Render one language's report: the template filled strictly, the table built, settings applied."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import docx
import docxtpl
import jinja2
from docx.opc.part import Part, PartFactory
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError
from lxml import etree
from markupsafe import Markup

from ..exceptions import RenderError
from ..files.cache import cached, remembered
from ..files.workspace import PACKAGED_TEMPLATES, shown
from ..files.write import write_entry
from ..i18n import _
from . import sandbox
from .chart import CHART_TYPE, PACKAGE_TYPE, ChartData, as_drawn, chart_xml, workbook
from .localize import NO_BREAK_HYPHEN, NO_BREAK_SPACE
from .tables import appendix_table
from .untrusted import (
    RENDER_MEMORY,
    RENDER_SECONDS,
    TooLong,
    memory_limit,
    template_bytes,
    time_limit,
)

LANGUAGE_TAGS = {"ru": "ru-RU", "kk": "kk-KZ"}
# XML 1.0 cannot hold these; validation refuses them, rendering refuses them again.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: object) -> object:
    """Every value printed into the document: text XML can hold, or the build stops."""
    if isinstance(value, str):
        bad = _NOT_XML.search(value)
        if bad:
            raise RenderError(f"the text {value[:40]!r} holds the character "
                              f"U+{ord(bad.group()):04X}, which a DOCX file cannot hold")
    return value


def jinja_environment() -> jinja2.Environment:
    """The sandbox every template is rendered in; every value printed is text XML can hold."""
    return sandbox.environment(finalize=_xml_text)


# Children of a style and of its run properties in schema order: a new one goes before the
# first of those that must follow it (the orders python-docx keeps, without its proxies).
_AFTER_STYLE_RPR = frozenset(qn(f"w:{tag}") for tag in ("tblPr", "trPr", "tcPr", "tblStylePr"))
_AFTER_RFONTS = frozenset(qn(f"w:{tag}") for tag in (
    "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w",
    "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"))
_AFTER_LANG = frozenset(qn(f"w:{tag}") for tag in (
    "eastAsianLayout", "specVanish", "oMath", "rPrChange"))


def _insert(parent, child, successors: frozenset) -> None:
    for index, existing in enumerate(parent):
        if existing.tag in successors:
            parent.insert(index, child)
            return
    parent.append(child)


def _child(parent, tag: str, successors: frozenset):
    """The child with this tag, added in schema order when there is none."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        _insert(parent, found, successors)
    return found


def _apply_settings(document, settings: dict, lang: str) -> None:
    """Page setup and typography from reference/document.yaml, for every style."""
    page, font = settings["page"], settings["font"]
    for section in document.sections:
        section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
        margins = page["margin_mm"]
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    tag = LANGUAGE_TAGS[lang]
    for style in document.styles.element.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) == "numbering":  # a numbering style has no font
            continue
        properties = _child(style, "w:rPr", _AFTER_STYLE_RPR)
        fonts = _child(properties, "w:rFonts", _AFTER_RFONTS)
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{slot}"), font["name"])
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        language = OxmlElement("w:lang")
        for name in ("val", "eastAsia", "bidi"):
            language.set(qn(f"w:{name}"), tag)
        _insert(properties, language, _AFTER_LANG)
    styles = document.styles
    styles["Normal"].font.size = Pt(font["body_pt"])
    styles["Normal"].paragraph_format.first_line_indent = Mm(font["first_line_indent_mm"])
    if "Executor" in [s.name for s in styles]:
        styles["Executor"].font.size = Pt(font["executor_pt"])


@cache
def _no_break(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


def _typeset(document, patterns: list[str], hyphens: list[str]) -> None:
    """A no-break space wherever document.yaml says a line must not break (between "г." and
    the city, a number and its noun, ...), and a no-break hyphen where it says a hyphen joins
    (or the build wrote U+2011: a region's name), in every text of the body."""
    space = _no_break(tuple(patterns)) if patterns else None
    hyphen = _no_break(tuple(hyphens)) if hyphens else None
    for text in list(document.element.body.iter(qn("w:t"))):
        if not text.text:
            continue
        if space is not None and " " in text.text:
            text.text = space.sub(NO_BREAK_SPACE, text.text)
        if hyphen is not None and "-" in text.text:
            text.text = hyphen.sub(NO_BREAK_HYPHEN, text.text)
        if NO_BREAK_HYPHEN in text.text:
            _no_break_hyphens(text)


def _no_break_hyphens(text) -> None:
    """U+2011 in a w:t as Word writes a no-break hyphen: a w:noBreakHyphen between the texts
    around it, in the same run (the reports' font has no glyph for U+2011 itself)."""
    first, *rest = text.text.split(NO_BREAK_HYPHEN)
    text.text = first
    at = text
    for piece in rest:
        at.addnext(OxmlElement("w:noBreakHyphen"))
        at = at.getnext()
        if piece:
            following = OxmlElement("w:t")
            following.text = piece
            following.set(qn("xml:space"), "preserve")
            at.addnext(following)
            at = following
    text.set(qn("xml:space"), "preserve")


def _keep_next(element) -> None:
    DocxParagraph(element, None).paragraph_format.keep_with_next = True


def _keep_with_signature(document) -> None:
    """The signature block never stands on a page alone: the empty paragraphs above it keep
    with it, and so does what comes before them: the last paragraph of text, or, in a month
    with neither narrative nor closing, the table's last two rows (its totals row and the
    row above), which LibreOffice and Word then carry over to the signature's page."""
    body = list(document.element.body.iterchildren())
    signature = next((index for index, block in enumerate(body) if block.tag == qn("w:tbl")
                      and any(style.get(qn("w:val")) == "Signature"
                              for style in block.iter(qn("w:pStyle")))), None)
    index = (signature or 0) - 1
    while index >= 0 and body[index].tag == qn("w:p") and not any(
            (text.text or "").strip() for text in body[index].iter(qn("w:t"))) \
            and body[index].find(f".//{qn('w:drawing')}") is None:
        _keep_next(body[index])
        index -= 1
    if index < 0:
        return
    if body[index].tag == qn("w:p"):
        _keep_next(body[index])
    elif body[index].tag == qn("w:tbl"):
        for row in body[index].findall(qn("w:tr"))[-2:]:
            for paragraph in row.iter(qn("w:p")):
                _keep_next(paragraph)


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


class _StampedWriter:
    """python-docx's package writer with every entry dated the report's day."""

    def __init__(self, archive: zipfile.ZipFile, day: dt.date) -> None:
        self.archive, self.day = archive, day

    def write(self, pack_uri, blob: bytes) -> None:
        write_entry(self.archive, pack_uri.membername, blob, self.day,
                    repeated=pack_uri == _STYLES_PART)


def package_bytes(document, day: dt.date) -> bytes:
    """The DOCX of a python-docx document, written once, in python-docx's order of parts."""
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        writer = _StampedWriter(archive, day)
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)
    return output.getvalue()


def _fill_chart(document, chart: ChartData, day: dt.date) -> None:
    """The month's labels and figures into the template's chart and the workbook behind it
    (a template without a chart, which a clerk may keep, gets none)."""
    for relationship in list(document.part.rels.values()):
        if relationship.reltype != CHART_TYPE:
            continue
        part = relationship.target_part
        drawn = as_drawn(part.blob, chart)
        part._blob = chart_xml(part.blob, drawn)
        for inner in part.rels.values():
            if inner.reltype == PACKAGE_TYPE:
                inner.target_part._blob = workbook(drawn, day)


def render(context: dict, table: Markup, settings: dict, lang: str, day: dt.date,
           template_path: Path | None = None, chart: ChartData | None = None) -> bytes:
    """The DOCX of one language, as bytes (from the packaged template by default). A
    template is untrusted: it is rendered in the sandbox, in a limited time, and whatever it
    does wrong is a RenderError that names it."""
    path = template_path or PACKAGED_TEMPLATES / lang / "report.docx"
    data = template_bytes(path)
    template = shown(path)
    try:
        with time_limit(RENDER_SECONDS), memory_limit(RENDER_MEMORY):
            document = _rendered(data, context, table, settings, lang)
    except RenderError:
        raise
    except MemoryError as err:
        raise RenderError(_("{template}: the template makes values larger than a report "
                            "holds (more than {limit} MB of memory); it was not rendered").format(
                                template=template, limit=RENDER_MEMORY // 1024 // 1024)) from err
    except TooLong as err:
        raise RenderError(_("{template}: rendering took longer than {seconds} s and was "
                            "stopped").format(template=template, seconds=RENDER_SECONDS)) from err
    except SecurityError as err:
        raise RenderError(_("{template}: the template reaches for what a template may not "
                            "({reason}); it was not rendered").format(
                                template=template, reason=err)) from err
    except jinja2.UndefinedError as err:
        raise RenderError(_("{template}: the template uses an undefined name: {reason}").format(
            template=template, reason=err)) from err
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(_("{template}: template syntax error, line {line}: {reason}").format(
            template=template, line=err.lineno, reason=err.message)) from err
    except RecursionError as err:
        raise RenderError(_("{template}: the template calls itself without end").format(
            template=template)) from err
    except Exception as err:  # a damaged package: python-docx, lxml and docxtpl fail in many ways
        raise RenderError(_("{template} is not a usable report template ({reason})").format(
            template=template, reason=f"{type(err).__name__}: {err}"[:300])) from err
    _typeset(document, settings.get("no_break", []), settings.get("no_break_hyphen", []))
    _keep_with_signature(document)
    if chart is not None:
        _fill_chart(document, chart, day)
    _set_properties(document, context["title"], context["ministry"] or "", lang, day)
    return package_bytes(document, day)  # docxtpl's save adds nothing here: no media replaced


# Many months are built from the same template: the template with the settings applied is
# kept as a package (per template, settings and language, and the libraries that make it),
# and docxtpl's cleaning of a part's XML for jinja per XML text.
_PREPARED: dict[str, bytes] = {}
# what a prepared template depends on besides its bytes, settings and language: the code that
# prepares it (this module) and the libraries that read and write it
_PREPARED_KEY = (f"prepared {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()} "
                 f"python-docx {docx.__version__} docxtpl {docxtpl.__version__}")
_PATCHED: dict[str, str] = {}


class _Template(DocxTemplate):
    def patch_xml(self, src_xml: str) -> str:
        """docxtpl's cleaning of a part's XML for jinja (a dozen regular expressions over
        the main document, 5 ms), kept like the prepared template."""
        key = f"patched docxtpl {docxtpl.__version__}\0{src_xml}"
        return remembered(_PATCHED, src_xml, lambda: cached(
            "patched", key, lambda: super(_Template, self).patch_xml(src_xml),
            lambda xml: xml.encode("utf-8", "surrogatepass"),
            lambda data: data.decode("utf-8", "surrogatepass")))

    def fix_tables(self, xml: str):
        """docxtpl's mending of a table whose rows have more or fewer cells than its grid
        has columns (after its column tags), only when one has: its walk over every cell
        took 2.5 ms a document. The test is its own condition, with fewer lookups."""
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        w = tree.nsmap.get("w")  # the namespace fix_tables reads, by its prefix
        if w is not None and all(_fits(table, w) for table in tree.iter(f"{{{w}}}tbl")):
            return tree
        return super().fix_tables(xml)

    def resolve_listing(self, xml: str) -> str:
        """docxtpl's listing: a tab, a line or a page break written in a text made into
        Word's own; its every replacement is of one of those characters, so a part that
        has none of them is left as it is, without its three regular expressions per run."""
        if not any(mark in xml for mark in "\t\a\n\f"):
            return xml
        return super().resolve_listing(xml)


def _fits(table, w: str) -> bool:
    """docxtpl's fix_tables leaves the table as it is: no row has more cells than the grid
    has columns, and the widest row, its cells' spans counted, spans them all."""
    ns = f"{{{w}}}"
    grid = table.find(f"{ns}tblGrid")
    if grid is None:
        return False
    columns, widest = len(grid.findall(f"{ns}gridCol")), 0
    for row in table.iter(f"{ns}tr"):
        cells = len(row.findall(f"{ns}tc"))
        # the first span of each cell's first properties, as fix_tables reads them
        spans = row.xpath("w:tc/w:tcPr[1]/w:gridSpan[1]", namespaces={"w": w})
        if cells > columns:
            return False
        try:
            width = cells - len(spans) + sum(int(span.get(f"{ns}val")) for span in spans)
        except (TypeError, ValueError):
            return False
        widest = max(widest, width)
    return widest >= columns


_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
_STYLES_PART = "/word/styles.xml"


@contextmanager
def _styles_as_bytes() -> Iterator[None]:
    """python-docx reads the styles part as its bytes, not as XML: in a prepared template
    the settings are in it already and nothing after changes it, and its 380 kB cost 6 ms to
    parse and write again (its own part selector, images, still decides the rest)."""
    before = PartFactory.part_class_selector

    def selector(content_type: str, reltype: str):
        if content_type == _STYLES:
            return Part
        return before(content_type, reltype) if before else None

    PartFactory.part_class_selector = selector
    try:
        yield
    finally:
        PartFactory.part_class_selector = before


def _prepared(data: bytes, settings: dict, lang: str) -> _Template:
    """The template without its stale parts and with the settings applied: prepared once
    and kept, in the process and in the cache folder, as a package whose styles part is
    read as bytes (the first month of a process without the cache prepares it itself)."""
    key = "\0".join((_PREPARED_KEY, hashlib.sha256(data).hexdigest(), lang, repr(settings)))
    package = remembered(_PREPARED, key, lambda: cached(
        "prepared", key, lambda: _prepare(data, settings, lang), bytes, bytes))
    template = _Template(io.BytesIO(package))
    with _styles_as_bytes():
        template.init_docx()
    return template


def _prepare(data: bytes, settings: dict, lang: str) -> bytes:
    template = _Template(io.BytesIO(data))
    _drop_stale_parts(template.get_docx())
    _apply_settings(template.get_docx(), settings, lang)  # before rendering: the same
    return package_bytes(template.get_docx(), dt.date(2000, 1, 1))


def _rendered(data: bytes, context: dict, table: Markup, settings: dict, lang: str):
    template = _prepared(data, settings, lang)
    context = {**context, "table": table}
    if context.get("appendix"):
        context["appendix"] = {**context["appendix"], "table": appendix_table(
            context["appendix"], settings)}
    template.render(context, jinja_environment(), autoescape=True)
    return template.docx
