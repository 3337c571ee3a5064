"""Hostile files stay harmless: Word tables whose spans leave their grid, Word files named
with line breaks, paragraphs too large for a monthly file, documents and templates that name
an address for LibreOffice to fetch."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearings.archive.importing import import_reports
from hearings.archive.notes import KINDS
from hearings.exceptions import ConversionError
from hearings.files import pdf
from hearings.files.limits import TEXT_LIMIT
from hearings.files.workspace import PACKAGED_TEMPLATES, Workspace

from .conftest import SIGNED
from .test_fuzz import _at_most
from .test_import import _hearings, _invoke
from .test_untrusted import _build_in, _folder, crafted
from .word_reports import source_pair

RU = "Анализ август.docx"


def _source_xml() -> bytes:
    """The main document of the August 2020 Russian report, as the tests build it."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        ru, _kk = source_pair(Path(folder))
        with zipfile.ZipFile(ru) as package:
            return package.read("word/document.xml")


SOURCE_XML = _source_xml()


def _rewrite(path: Path, change) -> None:
    """The Word file with its main document's XML changed by `change` (text to text)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts["word/document.xml"] = change(parts["word/document.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def _first_span(value: str):
    return lambda xml: xml.replace('<w:gridSpan w:val="2"/>', f'<w:gridSpan w:val="{value}"/>',
                                   1)


def _third_row_before(value: str):
    def change(xml: str) -> str:
        rows = xml.split("<w:tr>")
        rows[3] = f'<w:trPr><w:gridBefore w:val="{value}"/></w:trPr>' + rows[3]
        return "<w:tr>".join(rows)
    return change


# Each: how the table is changed, and where the finding must stand (row, grid column).
SPANS = {
    "span-of-a-billion": (_first_span("1000000000"), "row 1, column 3"),
    "span-of-a-million": (_first_span("1000000"), "row 1, column 3"),
    "span-not-a-number": (_first_span("abc"), "row 1, column 3"),
    "span-of-5000-digits": (_first_span("9" * 5000), "row 1, column 3"),
    "span-one-past-the-grid": (_first_span("12"), "row 1, column 3"),
    "before-not-a-number": (_third_row_before("x1"), "row 3, column 1"),
    "before-of-a-billion": (_third_row_before("1000000000"), "row 3, column 1"),
}


@pytest.mark.parametrize("case", SPANS)
def test_a_span_outside_the_tables_grid_is_a_finding_at_its_cell(tmp_path, case) -> None:
    change, where = SPANS[case]
    ru, _kk = source_pair(tmp_path / "archive")
    _rewrite(ru, change)
    code, out = _invoke(tmp_path, ["archive"])
    assert code == 1
    assert f"archive/{RU}, table 1, {where}: error [cell-span-outside-grid]" in out, out
    assert "grid of 13; the file is not imported" in out
    assert "unexpected error" not in out
    assert not (tmp_path / "data" / "2020-08.yaml").exists()


def test_a_span_within_the_grid_is_read_as_before(tmp_path) -> None:
    ru, _kk = source_pair(tmp_path / "archive")
    _rewrite(ru, _first_span("2"))
    _code, out = _invoke(tmp_path, ["archive"])
    assert "cell-span-outside-grid" not in out
    assert (tmp_path / "data" / "2020-08.yaml").exists(), out


@pytest.mark.parametrize("breaks", ["\n", "\u2028", "\r", "\x85"])
def test_a_word_files_name_with_line_breaks_stays_inside_its_comments(tmp_path, breaks) -> None:
    name = f"ru{breaks}signatory: {{position: x}}{breaks}x.docx"
    source_pair(tmp_path / "archive", ru_name=name)
    _invoke(tmp_path, ["archive"])
    text = (tmp_path / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert "signatory" not in data
    assert f"ru\\u{ord(breaks):04x}signatory: {{position: x}}\\u{ord(breaks):04x}x.docx" in text
    assert not any(breaks in line for line in text.split("\n")), "a raw line break"
    validated = _hearings(tmp_path, "validate", "data/2020-08.yaml")[1]
    assert "yaml-syntax" not in validated and "bad-character" not in validated, validated


def test_a_control_character_in_a_paragraph_is_written_escaped(tmp_path) -> None:
    ru, kk = source_pair(tmp_path / "archive")
    for path in (ru, kk):
        _rewrite(path, lambda xml: xml.replace("</w:t></w:r></w:p>",
                                               "\x9b csi\u2029end</w:t></w:r></w:p>", 1))
    _invoke(tmp_path, ["archive"])
    text = (tmp_path / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    assert "\x9b" not in text and "\u2029" not in text and "\\u009b csi end" in text
    yaml.safe_load(text)


def test_a_paragraph_too_large_for_a_monthly_file_writes_nothing(tmp_path) -> None:
    ru, kk = source_pair(tmp_path / "archive")
    # one paragraph in each language is more than a monthly file may be, barely
    paragraph = "Слово " * (TEXT_LIMIT // len("Слово ".encode()) + 1)
    for path in (ru, kk):
        _rewrite(path, lambda xml: re.sub(
            "(<w:body>)", rf"\1<w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>", xml, count=1))
    code, out = _invoke(tmp_path, ["archive"])
    assert code == 1
    assert ("data/2020-08.yaml: error [month-too-large] data/2020-08.yaml would be "
            in out), out
    assert "larger than the 2 MB a monthly file may be" in out
    assert not (tmp_path / "data" / "2020-08.yaml").exists()


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 that answers 404 and keeps every request it gets."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            requests.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_GET = do_HEAD = do_OPTIONS = do_POST = do_PROPFIND = _any

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def _page(address: str) -> bytes:
    """An HTML page saved as .doc (as some archives hold them), with a picture by address."""
    return (f"<html><body><p>Анализ работы интернет-ресурсов за август 2020 года</p>"
            f'<img src="{address}/picture.png"></body></html>').encode()


@pytest.fixture
def linked(listener, tmp_path) -> tuple[dict[str, bytes], list[str]]:
    """Old Word files that name an address: an HTML page with an <img>, and a Word 97 file
    with a linked picture (INCLUDEPICTURE), made by LibreOffice from that page."""
    address, requests = listener
    docx = pdf.to_docx({"page.doc": _page(address)})["page.doc"]
    with pdf.work_folder() as work:
        (work / "in").mkdir()
        (work / "in" / "linked.docx").write_bytes(docx)
        code, output = pdf._run([*pdf.without_network(), pdf.libreoffice(), "--headless",
                                 f"-env:UserInstallation={(work / 'p').as_uri()}",
                                 "--convert-to", "doc:MS Word 97", "--outdir", str(work / "out"),
                                 str(work / "in" / "linked.docx")], work)
        assert code == 0, output
        word97 = (work / "out" / "linked.doc").read_bytes()
    assert b"INCLUDEPICTURE" in word97.replace(b"\0", b"")
    assert b"External" in zipfile.ZipFile(io.BytesIO(docx)).read("word/_rels/document.xml.rels")
    return {"page.doc": _page(address), "linked.doc": word97, "linked.docx": docx}, requests


def test_old_word_files_that_name_an_address_are_imported_without_a_request(
        tmp_path, linked) -> None:
    files, requests = linked
    (tmp_path / "archive").mkdir()
    for name in ("page.doc", "linked.doc"):
        (tmp_path / "archive" / name).write_bytes(files[name])
    requests.clear()
    _code, out = _invoke(tmp_path, ["archive"])
    assert "page.doc" in out and "linked.doc" in out
    assert requests == []


@pytest.mark.parametrize("isolated", [True, False], ids=["no-network", "settings-alone"])
def test_libreoffice_fetches_nothing_a_document_names(linked, monkeypatch, isolated) -> None:
    """With no network where the system allows it, and with LibreOffice's settings alone
    where it does not."""
    files, requests = linked
    if not isolated:
        monkeypatch.setattr(pdf, "without_network", lambda: ())
    requests.clear()
    pdf.to_docx({"page.doc": files["page.doc"], "linked.doc": files["linked.doc"]})
    with contextlib.suppress(ConversionError):  # its fonts' checks are not the point here
        pdf.to_pdf({"linked.docx": files["linked.docx"]}, ["Liberation Serif"])
    assert requests == []


def test_the_system_gives_libreoffice_no_network_here() -> None:
    """CI runs as root, where `unshare --net` works: there the conversions have no network."""
    assert pdf.without_network()[1:] in (("--net",), ("--net", "--map-root-user"))


def test_a_folder_template_that_links_a_picture_by_address_is_refused(tmp_path,
                                                                      listener) -> None:
    address, requests = listener
    folder = _folder(tmp_path)
    data = io.BytesIO()
    with zipfile.ZipFile(PACKAGED_TEMPLATES / "ru" / "report.docx") as source, \
            zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                part = part.replace(b"</Relationships>", (
                    "<Relationship Id='rIdOut' TargetMode='External' Target='"
                    f"{address}/logo.png' Type='http://schemas.openxmlformats.org/"
                    "officeDocument/2006/relationships/image'/></Relationships>").encode())
            target.writestr(info, part)
    (folder / "templates" / "ru" / "report.docx").write_bytes(data.getvalue())
    result = _build_in(folder, "--pdf")
    assert result.exit_code == 1
    assert (f"Error: templates/ru/report.docx takes {address}/logo.png from outside itself "
            "(word/_rels/document.xml.rels)") in result.output
    assert requests == []
    assert not (folder / "reports").exists() or not any((folder / "reports").iterdir())


# Templates that make a value of gigabytes, and what the refusal says: each refused before
# it is made, or by the render's memory limit where no operation can be bounded in advance
# (a text doubled by a macro calling itself with `s ~ s`).
GREEDY = {
    "repetition": ("{{ (('x'*100000)*30000)|length }}", "* 30000 is too large for a report"),
    "list-repetition": ("{{ (['x']*100000*30000)|length }}", "is too large for a report"),
    "join-filter": ("{{ (['x'*100000]*30000)|join|length }}",
                    "joining 30000 items makes a text longer than 100000"),
    "join-method": ("{{ 'y'.join(['x'*100000]*3000)|length }}",
                    "join would make a text longer than 100000"),
    "replace": ("{{ ('x'*100000).replace('x', 'x'*100000)|length }}",
                "replace would make a text longer than 100000"),
    "expandtabs": ("{{ ('\t'*100000).expandtabs(100000)|length }}",
                   "expandtabs would make a text longer than 100000"),
    "concatenation": ("{{ ('x'*60000 + 'x'*60000)|length }}", "is too large for a report"),
    "doubling": ("{% macro m(s, n) %}{% if n %}{{ m(s ~ s, n - 1) }}{% else %}{{ s|length }}"
                 "{% endif %}{% endmacro %}{{ m('x'*100000, 16) }}",
                 "the template makes values larger than a report holds (more than 256 MB"),
}
# Runs a build and says the largest memory it held (kB), as the only child of this process.
_MEASURED = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], "
             "capture_output=True, text=True); print(done.returncode); print(done.stdout + "
             "done.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


@pytest.mark.parametrize("case", GREEDY)
def test_a_template_that_makes_gigabytes_is_refused_in_little_memory(tmp_path, case) -> None:
    payload, said = GREEDY[case]
    folder = _folder(tmp_path)
    (folder / "templates" / "ru" / "report.docx").write_bytes(crafted(payload))
    done = subprocess.run([sys.executable, "-c", _MEASURED, sys.executable, "-m", "hearings",
                           "build"], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HEARINGS_LANG": "en"})
    code, *output, peak = done.stdout.strip().split("\n")
    output = "\n".join(output)
    assert code == "1", output
    assert "Error: templates/ru/report.docx:" in output and said in output, output
    assert "Traceback" not in output
    assert int(peak) < 300 * 1024, f"{int(peak) // 1024} MB"
    assert not (folder / "reports").exists() or not any((folder / "reports").iterdir())


@pytest.mark.parametrize(("period", "finding"), [
    ("20200-08", "11:9: error [invalid-value] expected a month written YYYY-MM, found '20200-08'"),
    ("99999-01", "11:9: error [invalid-value] expected a month written YYYY-MM, found '99999-01'"),
    ("0000-01", "11:9: error [period-out-of-range] 0000-01 is outside the years 1991 to 2099"),
])
def test_a_period_of_no_calendar_is_a_finding_and_stops_no_other_month(
        tmp_path, period, finding) -> None:
    (tmp_path / "data").mkdir()
    text = SIGNED.read_text(encoding="utf-8")
    (tmp_path / "data" / "2020-08.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "data" / "2020-09.yaml").write_text(
        text.replace("period: 2020-08", f"period: {period}"), encoding="utf-8")
    code, out = _hearings(tmp_path, "validate")
    assert code == 1
    assert f"data/2020-09.yaml:{finding}" in out, out
    assert "data/2020-08.yaml: valid: 2020-08, 17 regions" in out
    for command in (["export"], ["facts"], ["new", "2020-10"], ["compare", "2020-08", "2020-09"],
                    ["translated", "2020-09"], ["build", "2020-09"], ["year", "2020-Q3"]):
        code, out = _hearings(tmp_path, *command)
        assert "unexpected error" not in out and "out of range" not in out, (command, out)
        if command[0] in ("compare", "build"):
            assert f"data/2020-09.yaml:{finding}" in out, (command, out)
    assert (tmp_path / "data" / "2020-10.yaml").exists()


# The cells' and rows' settings of a Word table, and values a hostile file may give them
_SETTINGS = [b"gridSpan", b"gridBefore", b"gridAfter", b"vMerge", b"gridCol"]
_VALUES = [b"0", b"1", b"2", b"13", b"14", b"63", b"64", b"-1", b"1000000000", b"9" * 5000,
           b"abc", b"x1", b"", b" 2", b"\xd9\xa3", b"restart", b"continue", b"1e9", b"0x10"]
FUZZ_EXAMPLES = int(os.environ.get("HEARINGS_FUZZ", 300)) // 10


@st.composite
def damaged_table(draw) -> bytes:
    """The main document of the August 2020 Russian report with one to four damages of its
    table: a setting given a hostile value, a setting added to a cell or a row, a cell or a
    row removed or repeated."""
    xml = SOURCE_XML
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "add-span", "add-before", "drop", "repeat"]))
        if kind == "value":
            starts = [m.end() for m in re.finditer(rb"<w:(?:%s) w:val=\"" % b"|".join(
                _SETTINGS), xml)]
            if starts:
                at = draw(st.sampled_from(starts))
                end = xml.index(b'"', at)
                xml = xml[:at] + draw(st.sampled_from(_VALUES)) + xml[end:]
        elif kind in ("add-span", "add-before"):
            tag, parent = ((b"gridSpan", b"<w:tcPr>") if kind == "add-span"
                           else (b"gridBefore", b"<w:tr>"))
            starts = [m.end() for m in re.finditer(re.escape(parent), xml)]
            if starts:
                at = draw(st.sampled_from(starts))
                setting = b'<w:%s w:val="%s"/>' % (tag, draw(st.sampled_from(_VALUES)))
                xml = xml[:at] + (setting if kind == "add-span"
                                  else b"<w:trPr>" + setting + b"</w:trPr>") + xml[at:]
        else:
            element = draw(st.sampled_from([b"tc", b"tr"]))
            spans = [(m.start(), m.end()) for m in re.finditer(
                rb"<w:%s>.*?</w:%s>" % (element, element), xml, re.DOTALL)]
            if spans:
                start, end = draw(st.sampled_from(spans))
                xml = xml[:start] + (b"" if kind == "drop" else xml[start:end] * draw(
                    st.integers(2, 50))) + xml[end:]
    return xml


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(damaged_table())
def test_any_damaged_word_table_is_findings_or_a_month(tmp_path_factory, xml) -> None:
    """Whatever a table's cells and rows say, the import gives findings with places or a
    month, in little time: never a traceback, a hang or a loop over a span's columns."""
    folder = tmp_path_factory.mktemp("fuzz")
    ru, _kk = source_pair(folder / "archive")
    _rewrite(ru, lambda text: xml.decode())
    with _at_most(30):
        result = import_reports([folder / "archive"], Workspace(folder), force=True)
    for note in [*result.files, *(n for m in result.months for n in m.notes)]:
        assert note.code in KINDS and note.place.file, note
        assert note.message
