"""Make LibreOffice's PDF archival: PDF/A-2b as the DOCX describes it, the same bytes for the
same DOCX, every glyph drawn, and validated before anyone may write it."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

import pikepdf
import pikepdf.pdfa
from fontTools.ttLib import TTFont

from ..exceptions import ConversionError
from ..i18n import _

FLAVOUR = "2b"
_CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
# LibreOffice's own leftovers: a checksum in the trailer that no PDF/A rule knows, an action
# that only repeats the viewer's default, and its random document ID (replaced by one made
# from the content).
_TRAILER_DROPPED = ("/DocChecksum", "/ID")
_CATALOG_DROPPED = ("/OpenAction",)
logging.getLogger("fontTools").setLevel(logging.ERROR)  # LibreOffice's subsets have no date


def properties(docx: bytes) -> dict[str, str]:
    """Title, author, language and date of a DOCX, from its core properties."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        core = ElementTree.fromstring(package.read("docProps/core.xml"))
    return {key: core.findtext(path, default="", namespaces=_CORE) for key, path in (
        ("title", "dc:title"), ("author", "dc:creator"), ("language", "dc:language"),
        ("date", "dcterms:created"))}


def archival(name: str, pdf_bytes: bytes, docx: bytes, families: list[str]) -> bytes:
    """The PDF/A-2b bytes of a PDF LibreOffice made from `docx`, or ConversionError naming the
    PDF/A rule, the glyph or the font that fails. Dated, titled and in the language of the
    DOCX; the fonts are of `families` (PostScript names without style)."""
    described = properties(docx)
    try:
        opened = pikepdf.open(io.BytesIO(pdf_bytes))
    except pikepdf.PdfError as err:
        raise ConversionError(_("LibreOffice wrote {name} as a damaged PDF: {reason}").format(
            name=name, reason=str(err)[:200])) from err
    with opened as pdf:
        for key in _TRAILER_DROPPED:
            if key in pdf.trailer:
                del pdf.trailer[key]
        for key in _CATALOG_DROPPED:
            if key in pdf.Root:
                del pdf.Root[key]
        _check_fonts(name, pdf, families)
        pikepdf.pdfa.prepare(pdf, FLAVOUR)  # one sRGB output intent, XMP as PDF/A wants it
        pdf.Root.Lang = pikepdf.String(described["language"])
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = described["title"]
            meta["dc:creator"] = [described["author"]]
            meta["dc:language"] = [described["language"]]
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = described["date"]
        output = io.BytesIO()
        try:
            pikepdf.pdfa.save(pdf, output, FLAVOUR, repair=False, deterministic_id=True)
        except pikepdf.pdfa.PdfaError as err:
            raise ConversionError(_("{name} is not valid PDF/A-2b and was not written: "
                                    "{findings}").format(name=name, findings="; ".join(
                                        f"{f.rule} ({f.where}: {f.message})"
                                        for f in err.report.findings[:5]))) from err
    return output.getvalue()


def _check_fonts(name: str, pdf: pikepdf.Pdf, families: list[str]) -> None:
    """Every font embedded and of the document's families, and a drawn glyph behind every
    character the text maps to it."""
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            postscript = str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1]
            family = re.split(r"[-,]", postscript)[0]
            if family not in families:
                raise ConversionError(_(
                    "{name}: LibreOffice drew some letters in the font {font}, not in {fonts}: "
                    "the document's font lacks them; install one that has them (Debian: "
                    "fonts-liberation2)").format(name=name, font=postscript,
                                                 fonts=" / ".join(families)))
            missing = undrawn(font)
            if missing is None:
                raise ConversionError(_("{name}: the font {font} is not embedded, so the PDF "
                                        "would not show the same letters everywhere").format(
                                            name=name, font=postscript))
            if missing:
                raise ConversionError(_(
                    "{name}: the font {font} has no glyph for {letters}: it would print an "
                    "empty box; install a font that has them (Debian: fonts-liberation2)")
                    .format(name=name, font=postscript, letters=" ".join(sorted(missing))))


def undrawn(font: pikepdf.Dictionary) -> set[str] | None:
    """The characters a simple TrueType font draws with no glyph (.notdef or an empty outline
    for what is not a space), or None when the font is not embedded."""
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                "/FontFile3")):
        return None
    if font.get("/Subtype") != "/TrueType" or "/FontFile2" not in descriptor \
            or "/ToUnicode" not in font:
        return set()  # LibreOffice writes simple TrueType fonts; others are left to PDF/A
    program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
    tables = {(t.platformID, t.platEncID): t.cmap for t in program["cmap"].tables}
    missing = set()
    for code, text in to_unicode(font.ToUnicode.read_bytes()).items():
        glyph = next((tables[key][code + offset] for key, offset in
                      (((3, 0), 0xF000), ((3, 0), 0), ((1, 0), 0), ((3, 1), 0))
                      if key in tables and code + offset in tables[key]), None)
        notdef = glyph is None or program.getGlyphID(glyph) == 0  # glyph 0: the empty box
        blank = not notdef and "glyf" in program \
            and program["glyf"][glyph].numberOfContours == 0 and not text.isspace()
        if notdef or blank:
            missing.update(text)
    return missing


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def to_unicode(cmap: bytes) -> dict[int, str]:
    """Code -> text of a ToUnicode CMap (bfchar and bfrange with a start value)."""
    def text(hexdigits: bytes) -> str:
        return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", "replace")

    mapping = {}
    for block in _BFCHAR.findall(cmap):
        for code, value in _PAIR.findall(block):
            mapping[int(code, 16)] = text(value)
    for block in _BFRANGE.findall(cmap):
        for low, high, start in _RANGE.findall(block):
            first = text(start)
            for step, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = first[:-1] + chr(ord(first[-1]) + step) if first else ""
    return mapping
