"""Render one language's report: the template filled strictly, the table built, settings applied."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import marshal
import os
import re
import types
import zipfile
from pathlib import Path
from typing import ClassVar

import jinja2
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate
from markupsafe import Markup

from .chart import CHART_TYPE, PACKAGE_TYPE, ChartData, chart_xml, workbook
from .exceptions import RenderError
from .tables import appendix_table
from .workspace import PACKAGED_TEMPLATES
from .write import write_atomically, write_entry

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


class _Environment(jinja2.Environment):
    """Jinja compiling each template text once: the template's XML is the same for every
    month (the month is in the context), so a process compiles it once, and the compiled
    code is kept on disk like Python's own bytecode (see code_cache)."""

    _compiled: ClassVar[dict] = {}  # one environment's settings for all: one code per text

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        key = (source, name, filename, defer_init)
        if key not in self._compiled:
            self._compiled[key] = code_cache(
                f"{name}\0{filename}\0{defer_init}\0{source}",
                lambda: super(_Environment, self).compile(source, name, filename, raw,
                                                          defer_init))
        return self._compiled[key]


# What the compiled code depends on besides the text: this environment's settings (strict,
# escaping, finalize), jinja's version and Python's bytecode.
_CODE_KEY = f"hearings-1 {jinja2.__version__} {importlib.util.MAGIC_NUMBER.hex()}"


def _cache_dir() -> Path | None:
    """HEARINGS_CACHE_DIR, else $XDG_CACHE_HOME/hearings (~/.cache/hearings); empty: none."""
    if "HEARINGS_CACHE_DIR" in os.environ:
        folder = os.environ["HEARINGS_CACHE_DIR"]
        return Path(folder) if folder else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "hearings"


def code_cache(text: str, compile_code):
    """Compiled code for a template text, from the cache folder when it holds it (a file
    that cannot be read is compiled again and replaced); no folder, no cache."""
    folder = _cache_dir()
    if folder is None:
        return compile_code()
    path = folder / "jinja" / (hashlib.sha256(f"{_CODE_KEY}\0{text}".encode()).hexdigest()
                               + ".code")
    try:
        code = marshal.loads(path.read_bytes())
        if isinstance(code, types.CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = compile_code()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, marshal.dumps(code))
    except OSError:
        pass  # a cache that cannot be written is no cache
    return code


def jinja_environment() -> jinja2.Environment:
    """Strict (an undefined name stops the build) and escaping (& and < stay text)."""
    return _Environment(undefined=jinja2.StrictUndefined, autoescape=True,
                        finalize=_xml_text)


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
        write_entry(self.archive, pack_uri.membername, blob, self.day)


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


_READ: dict[tuple, bytes] = {}


def _template_bytes(path: Path) -> bytes:
    """The template file, read once per process while it is unchanged on disk."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _READ:
        _READ[key] = path.read_bytes()
    return _READ[key]


def _fill_chart(document, chart: ChartData, day: dt.date) -> None:
    """The month's labels and figures into the template's chart and the workbook behind it
    (a template without a chart, which a clerk may keep, gets none)."""
    for relationship in list(document.part.rels.values()):
        if relationship.reltype != CHART_TYPE:
            continue
        part = relationship.target_part
        part._blob = chart_xml(part.blob, chart)
        for inner in part.rels.values():
            if inner.reltype == PACKAGE_TYPE:
                inner.target_part._blob = workbook(chart, day)


def render(context: dict, table: Markup, settings: dict, lang: str, day: dt.date,
           template_path: Path | None = None, chart: ChartData | None = None) -> bytes:
    """The DOCX of one language, as bytes (from the packaged template by default)."""
    path = template_path or PACKAGED_TEMPLATES / lang / "report.docx"
    try:
        template = DocxTemplate(io.BytesIO(_template_bytes(path)))
        _drop_stale_parts(template.get_docx())
        _apply_settings(template.get_docx(), settings, lang)  # before rendering: the same
        context = {**context, "table": table}
        if context.get("appendix"):
            context["appendix"] = {**context["appendix"], "table": appendix_table(
                context["appendix"], settings)}
        template.render(context, jinja_environment(), autoescape=True)
    except jinja2.UndefinedError as err:
        raise RenderError(f"{path}: the template uses an undefined name: {err}") from err
    except jinja2.TemplateSyntaxError as err:
        raise RenderError(f"{path}: template syntax error, line {err.lineno}: "
                          f"{err.message}") from err
    except (OSError, KeyError, ValueError) as err:
        raise RenderError(f"{path}: cannot render: {err}") from err
    document = template.docx
    if chart is not None:
        _fill_chart(document, chart, day)
    _set_properties(document, context["title"], context["ministry"] or "", lang, day)
    return package_bytes(document, day)  # docxtpl's save adds nothing here: no media replaced
