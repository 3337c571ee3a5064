"""The PDFs are archival: PDF/A-2b as a validator sees it, tagged, described as the DOCX, the
same bytes on every build, the same text as the DOCX in fonts that draw every letter; and a
PDF whose font lacks a letter is refused (real LibreOffice, poppler and fontconfig)."""

from __future__ import annotations

import collections
import io
import re
import shutil
import subprocess
import sys

import pikepdf
import pikepdf.pdfa
import pytest
from docx import Document
from fontTools import subset
from fontTools.ttLib import TTFont

from hearings.documents.chart import read_chart
from hearings.documents.report import build
from hearings.exceptions import ConversionError
from hearings.files.pdf import EXPORT
from hearings.files.pdfa import archival, properties, undrawn
from hearings.files.workspace import Workspace

from .conftest import AUGUST, ROOT
from .months import month_data, write_month

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler-utils not installed")

LANGS = ("ru", "kk")
KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def august(tmp_path_factory):
    """August 2020 built with --pdf from the command line twice, each time into an empty
    reports folder: {build number: folder of the month}."""
    builds = {}
    for number in (1, 2):
        reports = tmp_path_factory.mktemp(f"reports-{number}")
        done = subprocess.run([sys.executable, "build.py", "build", "--pdf", "--reports",
                               str(reports)], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        builds[number] = reports / "2020-08"
    return builds


@pytest.fixture(scope="module")
def twenty_regions(tmp_path_factory):
    """October 2022 (20 regions, Astana, the new oblasts) built with --pdf."""
    root = tmp_path_factory.mktemp("2022-10")
    write_month(root / "data", month_data("2022-10", {
        ("astana", "rubric-mismatch"): 1, ("abai", "protocol-missing"): 2,
        ("ulytau", "placement-date-missing"): 3, ("zhetisu", "backdated"): 1}))
    build(root / "data" / "2022-10.yaml", root / "reports", pdf=True, workspace=Workspace(root))
    return root / "reports" / "2022-10"


def _folder(request, month):
    return request.getfixturevalue("august")[1] if month == "2020-08" \
        else request.getfixturevalue("twenty_regions")


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_pdfa_2b_tagged_and_described_as_its_docx(august, lang) -> None:
    pdf_path, docx_path = (august[1] / f"2020-08-{lang}.{ext}" for ext in ("pdf", "docx"))
    report = pikepdf.pdfa.validate_written(pdf_path, "2b")
    assert report.passed, report.summary()
    described = properties(docx_path.read_bytes())
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root  # tagged
        assert str(pdf.Root.Lang) == described["language"] == {"ru": "ru-RU", "kk": "kk-KZ"}[lang]
        assert str(pdf.docinfo.Title) == described["title"]
        assert str(pdf.docinfo.Author) == described["author"]
        assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == "D:20200831000000+00'00"
        assert "/OpenAction" not in pdf.Root and "/DocChecksum" not in pdf.trailer
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == described["title"]
        assert meta["xmp:CreateDate"] == described["date"] == "2020-08-31T00:00:00Z"
    assert "Tagged:          yes" in subprocess.run(
        ["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", LANGS)
def test_a_second_build_into_an_empty_folder_gives_the_same_bytes(august, lang) -> None:
    for ext in ("docx", "pdf"):
        name = f"2020-08-{lang}.{ext}"
        assert (august[1] / name).read_bytes() == (august[2] / name).read_bytes(), name


def _docx_words(path) -> collections.Counter:
    """The words of the document body, table cells included (the footer holds only the page
    number field)."""
    body = Document(path).element.body
    return collections.Counter(word for paragraph in body.iter(f"{W}p") for word in "".join(
        t.text or "" if t.tag == f"{W}t" else "-"  # a no-break hyphen draws a hyphen
        for t in paragraph.iter(f"{W}t", f"{W}noBreakHyphen")).split())


def _pdf_words(path) -> collections.Counter:
    """The words of the PDF as poppler reads them: each page's number left out, a word broken
    after its hyphen at a line's end joined again."""
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    words = []
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        lines = page.rstrip("\n").split("\n")
        assert str(number) in lines, f"page {number} has no number"
        del lines[len(lines) - 1 - lines[::-1].index(str(number))]  # the footer's, at the foot
        words += re.sub(r"(?<=\w-)\n(?=\w)", "", "\n".join(lines)).split()
    return collections.Counter(words)


def _chart_words(path) -> collections.Counter:
    """What the chart draws besides its figures: the region labels and the series names."""
    labels, series = read_chart(path.read_bytes())
    return collections.Counter(word for text in [*labels, *(name for name, _ in series)]
                               for word in text.split())


@pytest.mark.parametrize("month", ["2020-08", "2022-10"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_says_what_the_docx_says(request, month, lang) -> None:
    """The body's words and the chart's labels, each as often as the DOCX has them; beyond
    them the PDF may only show the chart's numbers (its bars' values, its axis)."""
    folder = _folder(request, month)
    docx = folder / f"{month}-{lang}.docx"
    expected = _docx_words(docx) + _chart_words(docx)
    shown = _pdf_words(folder / f"{month}-{lang}.pdf")
    beyond = shown - expected
    assert expected - shown == collections.Counter(), f"only in the DOCX: {expected - shown}"
    assert all(word.isdigit() for word in beyond), f"only in the PDF: {beyond}"
    text = "".join(shown.elements())
    assert "\ufffd" not in text
    if lang == "kk":  # each Kazakh letter of the DOCX is read back (Һ is in none of these)
        assert len(set(text) & set(KAZAKH)) >= 11
    figures = [word for word in expected.elements() if word.isdigit()]
    assert len(figures) > 100 and collections.Counter(figures) <= shown


@pytest.mark.parametrize("month", ["2020-08", "2022-10"])
@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_embedded_and_draws_every_letter(request, month, lang) -> None:
    pdf_path = _folder(request, month) / f"{month}-{lang}.pdf"
    listed = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert listed and all(line.split()[-5] == "yes" for line in listed), listed  # emb
    with pikepdf.open(pdf_path) as pdf:
        fonts = {font.objgen: font for page in pdf.pages
                 for font in page.Resources.Font.values()}
        assert {re.split(r"[-,+]", str(f.BaseFont))[1] for f in fonts.values()} \
            == {"LiberationSerif"}
        for font in fonts.values():
            assert undrawn(font) == set(), font.BaseFont


# --- a font without the Kazakh letters -------------------------------------------------------

@pytest.fixture(scope="module")
def fonts_without_kazakh(tmp_path_factory):
    """A fontconfig setup whose only serif is Liberation Serif with the Kazakh letters taken
    out, as fonts-liberation 1.07 has it; with_fallback adds DejaVu Sans, which has them."""
    def setup(with_fallback: bool):
        root = tmp_path_factory.mktemp("fonts")
        (root / "fonts").mkdir()
        for style in ("Regular", "Bold"):
            source = subprocess.run(["fc-match", "-f", "%{file}", f"Liberation Serif:{style}"],
                                    capture_output=True, text=True, check=True).stdout
            font = TTFont(source)
            keep = set(font.getBestCmap()) - set(map(ord, KAZAKH))
            assert "LiberationSerif" in source and len(keep) > 500
            options = subset.Options(name_IDs=["*"], notdef_outline=True, glyph_names=True)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=keep)
            subsetter.subset(font)
            font.save(root / "fonts" / f"LiberationSerif-{style}.ttf")
        if with_fallback:
            shutil.copy(subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"],
                                       capture_output=True, text=True, check=True).stdout,
                        root / "fonts")
        (root / "fonts.conf").write_text(
            f'<?xml version="1.0"?>\n<fontconfig><dir>{root / "fonts"}</dir>'
            f'<cachedir>{root / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
        return root / "fonts.conf"
    return setup


def test_the_checks_find_the_letters_a_font_lacks(tmp_path, fonts_without_kazakh,
                                                  monkeypatch) -> None:
    """LibreOffice's own PDF with such a font: poppler still reads the letters (the text
    test alone would pass), the glyph check does not."""
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_without_kazakh(with_fallback=False)))
    build(AUGUST, tmp_path / "reports", workspace=Workspace(ROOT), force=True)
    docx = tmp_path / "reports" / "2020-08" / "2020-08-kk.docx"
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", EXPORT, "--outdir", str(tmp_path), str(docx)],
                   capture_output=True, check=True)
    with pikepdf.open(tmp_path / "2020-08-kk.pdf") as pdf:
        missing = set().union(*(undrawn(font) for page in pdf.pages
                                for font in page.Resources.Font.values()))
    assert missing and missing <= set(KAZAKH)


@pytest.mark.parametrize("fallback, said", [
    (False, "has no glyph for"),
    (True, "LibreOffice drew some letters in the font DejaVuSans"),
])
def test_a_pdf_whose_font_lacks_a_kazakh_letter_is_not_written(
        tmp_path, fonts_without_kazakh, monkeypatch, fallback, said) -> None:
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_without_kazakh(with_fallback=fallback)))
    with pytest.raises(ConversionError, match=said) as raised:
        build(AUGUST, tmp_path / "reports", pdf=True, workspace=Workspace(ROOT))
    assert "2020-08-kk.pdf" in str(raised.value) and "fonts-liberation2" in str(raised.value)
    assert not (tmp_path / "reports").exists()  # nothing written, the DOCX neither


def test_a_pdf_breaking_a_pdfa_rule_is_not_written_and_the_rule_is_named(august) -> None:
    docx = (august[1] / "2020-08-ru.docx").read_bytes()
    with pikepdf.open(august[1] / "2020-08-ru.pdf") as pdf:
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
        changed = io.BytesIO()
        pdf.save(changed)
    with pytest.raises(ConversionError, match=r"ISO_19005_2:6\.5\.2-2 .*/AA"):
        archival("2020-08-ru.pdf", changed.getvalue(), docx, ["LiberationSerif"])

