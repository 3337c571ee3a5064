"""The build: both documents from one month, exact, identical figures, safe to rebuild."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from hearings.commands.cli import main
from hearings.documents import render as render_module
from hearings.documents import report
from hearings.documents import sandbox as sandbox_module
from hearings.documents.localize import document_context, table
from hearings.documents.parity import check_parity, full_text, read_table
from hearings.documents.render import render
from hearings.documents.report import build
from hearings.documents.tables import monthly_table
from hearings.exceptions import ParityError, RenderError, ReportExistsError
from hearings.files import pdf
from hearings.files.workspace import PACKAGED_TEMPLATES as TEMPLATES
from hearings.month.facts.dated import facts
from hearings.month.model import month_from
from hearings.month.reference import Period, document_settings, reference

from .conftest import AUGUST, ROOT, SIGNED, assert_as_kept

GOLDEN = ROOT / "tests" / "golden"
N = None  # could not be assessed: a dash
# The source's Russian table, August 2020: announcements, protocols, the eight categories
# in the source's column order, total.
SOURCE_RU = [
    ("г. Нур-Султан", 15, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("г. Алматы", 12, 19, 0, 0, 0, 0, 1, 0, 0, 3, 4),
    ("Акмолинская", 22, 21, 0, 0, 0, 2, 1, 0, 0, 1, 4),
    ("Актюбинская", 20, 7, 0, 0, 0, 0, 1, 0, 0, 0, 1),
    ("Алматинская", 14, 10, 0, 0, 0, 0, 0, 2, 2, 6, 10),
    ("Атырауская", 12, 13, 0, 0, 0, 0, 0, 1, 0, 0, 1),
    ("ВКО", 5, 8, 0, 0, 0, 0, 1, 0, 0, 2, 3),
    ("ЗКО", 7, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1),
    ("Жамбылская", 7, 6, 0, 1, 1, 0, 0, 0, 6, 3, 11),
    ("Карагандинская", 6, 3, 0, 0, 0, 0, 0, 0, 1, 0, 1),
    ("Костанайская", 10, 0, 1, 0, 0, 0, 0, 0, 0, 2, 3),
    ("Кызылординская", 6, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("Мангистауская", 9, 6, 0, 0, 0, 0, 0, 0, 1, 0, 1),
    ("Павлодарская", 10, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("СКО", 15, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    ("Туркестанская", 2, 7, 0, 0, 0, 0, 0, 0, 0, 2, 2),
    ("г. Шымкент", N, N, N, 0, N, N, 1, N, N, N, 1),
]
KK_NAMES = ["Нұр-Сұлтан қ.", "Алматы қ.", "Ақмола", "Ақтөбе", "Алматы", "Атырау", "ШҚО", "БҚО",
            "Жамбыл", "Қарағанды", "Қостанай", "Қызылорда", "Маңғыстау", "Павлодар", "СҚО",
            "Түркістан", "Шымкент қ."]


def _build(tmp_path: Path, *args: str, data: Path = SIGNED):
    return CliRunner().invoke(main, ["build", str(data), "--reports", str(tmp_path), *args])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("reports")
    result = _build(out)
    assert result.exit_code == 0, result.output
    return {lang: (out / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
            for lang in ("ru", "kk")}


@pytest.fixture(scope="module")
def august(tmp_path_factory) -> dict[str, bytes]:
    """The reports of data/2020-08.yaml itself, which names no signatory or executor."""
    out = tmp_path_factory.mktemp("reports")
    result = _build(out, data=AUGUST)
    assert result.exit_code == 0, result.output
    assert result.output.count("warning [not-ready-to-sign]") == 2
    return {lang: (out / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
            for lang in ("ru", "kk")}


def _rows(data: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(data))
    return [[c.text.replace("\u00a0", " ") for c in row.cells] for row in document.tables[0].rows]


def test_the_russian_table_is_the_source_table(august) -> None:
    rows = _rows(august["ru"])
    assert len(rows) == 3 + 17 + 1
    for number, (cells, source) in enumerate(zip(rows[3:20], SOURCE_RU, strict=True), 1):
        expected = [str(number), source[0], *("–" if v is None else str(v) for v in source[1:])]
        assert cells == expected
    assert rows[-1][1:] == ["Итого за август 2020 года", "172", "124", "1", "1", "1", "2",
                            "5", "3", "10", "20", "43"]


def test_the_kazakh_table_has_the_same_figures_and_the_lost_column(august) -> None:
    ru, kk = _rows(august["ru"]), _rows(august["kk"])
    assert [row[2:] for row in kk[3:]] == [row[2:] for row in ru[3:]]
    assert [row[1] for row in kk[3:20]] == KK_NAMES
    august_columns = reference().categories_in_force(Period.parse("2020-08"))
    assert kk[2][4:12] == [c.header["kk"] for c in august_columns]
    assert "Хабарландыру жоқ, бірақ хаттама бар" in kk[2]
    assert kk[-1][0] == "2020 жылғы тамыз бойынша барлығы"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_full_text_is_the_golden_text(built, lang) -> None:
    """HEARINGS_WRITE_EXPECTED=1 rewrites the golden text from the current build."""
    assert_as_kept(full_text(built[lang], no_break=True), GOLDEN / f"2020-08-{lang}.txt")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_nothing_of_the_template_is_left(built, lang) -> None:
    text = full_text(built[lang])
    assert not re.search(r"\{[{%#]|[}%#]\}", text)
    with zipfile.ZipFile(io.BytesIO(built[lang])) as package:
        names = package.namelist()
        xml = package.read("word/document.xml").decode()
    assert "{{" not in xml and "{%" not in xml
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)


@pytest.mark.parametrize(("lang", "tag"), [("ru", "ru-RU"), ("kk", "kk-KZ")])
def test_properties_come_from_the_report(built, lang, tag) -> None:
    properties = Document(io.BytesIO(built[lang])).core_properties
    assert properties.language == tag
    assert properties.title == full_text(built[lang]).splitlines()[0]
    assert str(properties.created) == str(properties.modified) == "2020-08-31 00:00:00+00:00"
    with zipfile.ZipFile(io.BytesIO(built[lang])) as package:
        assert {i.date_time for i in package.infolist()} == {(2020, 8, 31, 0, 0, 0)}


def test_two_builds_give_identical_bytes(built, tmp_path) -> None:
    assert _build(tmp_path).exit_code == 0
    for lang in ("ru", "kk"):
        assert (tmp_path / "2020-08" / f"2020-08-{lang}.docx").read_bytes() == built[lang]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_table_stands_between_thin_empty_lines(built, lang) -> None:
    # an empty line is as high as its paragraph mark: 6 pt, not the body's 14 pt
    body = Document(io.BytesIO(built[lang])).element.body
    table = body.find(qn("w:tbl"))
    for line in (table.getprevious(), table.getnext()):
        assert line.tag == qn("w:p") and not "".join(line.itertext())
        assert line.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "12"


def test_templates_have_the_same_structure() -> None:
    def tags(lang):
        xml = zipfile.ZipFile(TEMPLATES / lang / "report.docx").read("word/document.xml")
        return re.findall(r"\{[{%].*?[}%]\}", re.sub(r"<[^>]+>", "", xml.decode()))
    assert tags("ru") == tags("kk")
    assert "{{p table }}" in tags("ru")


def test_documents_and_templates_pass_openxml_audit(built, august, tmp_path) -> None:
    files = [TEMPLATES / "ru" / "report.docx", TEMPLATES / "kk" / "report.docx"]
    for name, documents in (("signed", built), ("august", august)):
        for lang, data in documents.items():
            files.append(tmp_path / f"{name}-{lang}.docx")
            files[-1].write_bytes(data)
    for path in files:
        # run from this interpreter: its scripts folder need not be on PATH (.venv/bin is not)
        result = subprocess.run([sys.executable, "-m", "openxml_audit", "-m", "0", str(path)],
                                capture_output=True, text=True, check=False)
        assert "(no findings)" in result.stdout and result.returncode == 0, result.stdout


# --- bad input and refusals: nothing is written ---

def test_invalid_data_writes_nothing(tmp_path) -> None:
    bad = ROOT / "tests" / "fixtures" / "row-total-mismatch" / "2020-08.yaml"
    result = _build(tmp_path, data=bad)
    assert result.exit_code == 1
    assert "[row-total-mismatch]" in result.output
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_without_signatory_and_executor_their_lines_are_left_out(august, built, lang) -> None:
    # the signed copy's text up to its signature block, and nothing in their place
    signed = full_text(built[lang])
    assert full_text(august[lang]) == signed[:signed.rindex("\n\n\n") + 1]
    assert len(Document(io.BytesIO(august[lang])).tables) == 1  # the signature block is one


def test_missing_signatory_and_executor_are_named_with_their_place(tmp_path) -> None:
    result = _build(tmp_path, data=AUGUST)
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"{AUGUST}:8:1: warning [not-ready-to-sign] the file names no signatory: the "
        "reports have no signature block until `signatory:` is added (see README) ($.signatory)",
        f"{AUGUST}:8:1: warning [not-ready-to-sign] the file names no executor: the "
        "reports have no executor's line until `executor:` is added (see README) ($.executor)"]


def test_strict_build_of_a_file_without_signatory_writes_nothing(tmp_path) -> None:
    result = _build(tmp_path, "--strict", data=AUGUST)
    assert result.exit_code == 1
    assert "[not-ready-to-sign] the file names no signatory" in result.output
    assert "nothing was written" in result.output
    assert not any(tmp_path.iterdir())


def test_strict_build_of_a_signed_file_writes_both(tmp_path) -> None:
    result = _build(tmp_path, "--strict")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "2020-08").iterdir()) == [
        "2020-08-kk.docx", "2020-08-ru.docx"]


def _month(text_change=None):
    from hearings.month.load import load

    data = load(SIGNED).data
    if text_change:
        text_change(data)
    return month_from(data, reference())


def _render(month, lang="ru", template=None):
    settings = document_settings()
    return render(document_context(month, reference(), facts().for_month(month.period),
                                   settings, lang),
                  monthly_table(table(month, reference(), lang, settings["languages"][lang]),
                                settings), settings, lang, month.period.last_day, template)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_signatory_without_executor_gives_the_signature_block_alone(lang) -> None:
    def change(data):
        del data["executor"]

    signed = full_text(_render(_month(), lang=lang)).rstrip("\n").split("\n")
    text = full_text(_render(_month(change), lang=lang)).rstrip("\n").split("\n")
    assert signed[-1].startswith(("Исп.: ", "Орынд.: "))
    assert text == signed[:-1]  # the signature block stays, the executor's line goes


def test_text_is_escaped_not_interpreted() -> None:
    tricky = 'A & B <b>bold</b> "quoted" \'single\' {{ title }} {% if x %}'

    def change(data):
        data["closing"][0]["ru"] = tricky

    text = full_text(_render(_month(change)))
    assert tricky + "." in text


def test_a_character_xml_cannot_hold_stops_the_build() -> None:
    def change(data):
        data["closing"][0]["ru"] = "bell\x07"

    with pytest.raises(RenderError, match="U\\+0007"):
        _render(_month(change))


def test_an_undefined_name_in_a_template_stops_the_build(tmp_path) -> None:
    document = Document(TEMPLATES / "ru" / "report.docx")
    document.add_paragraph("{{ signatory.rank }}")
    broken = tmp_path / "broken.docx"
    document.save(broken)
    with pytest.raises(RenderError, match="undefined"):
        _render(_month(), template=broken)


def test_a_changed_report_is_not_overwritten_without_force(tmp_path) -> None:
    assert _build(tmp_path).exit_code == 0
    ru = tmp_path / "2020-08" / "2020-08-ru.docx"
    before = ru.read_bytes()
    changed = tmp_path / "in" / "2020-08.yaml"
    changed.parent.mkdir()
    changed.write_text(SIGNED.read_text(encoding="utf-8").replace(
        "Работа в данном направлении продолжается.", "Работа продолжается."), encoding="utf-8")

    refused = _build(tmp_path, data=changed)
    assert refused.exit_code == 1
    assert "exist with other content" in refused.output and "--force" in refused.output
    assert ru.read_bytes() == before

    forced = _build(tmp_path, "--force", data=changed)
    assert forced.exit_code == 0
    assert "replaced (previous kept as 2020-08-ru.previous-1.docx)" in forced.output
    assert (tmp_path / "2020-08" / "2020-08-ru.previous-1.docx").read_bytes() == before
    assert "Работа продолжается." in full_text(ru.read_bytes())
    # the Kazakh text did not change: its report is left as it was
    assert "2020-08-kk.docx: unchanged" in forced.output


def test_an_unchanged_rebuild_touches_nothing(tmp_path) -> None:
    assert _build(tmp_path).exit_code == 0
    again = _build(tmp_path)
    assert again.exit_code == 0
    assert again.output.count(": unchanged") == 2


# --- parity ---

def _groups():
    columns = reference().categories_in_force(Period.parse("2020-08"))
    return [[i for i, c in enumerate(columns) if c.group == g.code]
            for g in reference().groups]


def _edited(data: bytes, edit) -> bytes:
    document = Document(io.BytesIO(data))
    edit(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_parity_holds_for_the_built_pair(built) -> None:
    check_parity(built, _groups())
    assert read_table(built["kk"])[-1] == [172, 124, 1, 1, 1, 2, 5, 3, 10, 20, 43]


def test_parity_fails_when_one_table_figure_differs(built) -> None:
    def edit(document):
        cell = document.tables[0].rows[7].cells[6]  # ВКО, "Не указан период опроса"
        cell.paragraphs[0].runs[0].text = "1"

    with pytest.raises(ParityError, match="row 5, figure column 5: ru 0, kk 1"):
        check_parity({"ru": built["ru"], "kk": _edited(built["kk"], edit)}, _groups())


def test_parity_fails_when_a_summary_figure_differs(built) -> None:
    def edit(document):
        item = next(p for p in document.paragraphs if p.style.name == "Summary Item")
        item.runs[0].text = item.runs[0].text.replace("172", "173")

    with pytest.raises(ParityError, match="the kk summary states"):
        check_parity({"ru": built["ru"], "kk": _edited(built["kk"], edit)}, _groups())


# --- PDF ---

def test_missing_libreoffice_is_a_clear_message_and_writes_nothing(tmp_path,
                                                                   monkeypatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    result = _build(tmp_path, "--pdf")
    assert result.exit_code == 1
    assert "--pdf needs LibreOffice" in result.output
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_of_both_languages_in_one_run(tmp_path, libreoffice_runs) -> None:
    runs = libreoffice_runs
    result = _build(tmp_path, "--pdf")
    assert result.exit_code == 0, result.output
    assert len(runs) == 1
    for lang in ("ru", "kk"):
        assert (tmp_path / "2020-08" / f"2020-08-{lang}.pdf").read_bytes().startswith(b"%PDF")


def test_build_defaults_to_the_newest_month(tmp_path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "2020-08" / "2020-08-kk.docx").exists()


def test_report_module_plans_before_writing(tmp_path) -> None:
    folder = tmp_path / "2020-08"
    folder.mkdir()
    (folder / "2020-08-kk.docx").write_bytes(b"an older, different report")
    with pytest.raises(ReportExistsError):
        report.build(SIGNED, tmp_path)
    # the Russian report, new, was not written either: refusals come before any write
    assert sorted(p.name for p in folder.iterdir()) == ["2020-08-kk.docx"]




def test_the_cache_of_compiled_and_prepared_templates_changes_nothing(tmp_path,
                                                                    monkeypatch) -> None:
    """Cold, warm, damaged or switched off: the same bytes."""
    from hearings.documents import render as render_module

    cache = tmp_path / "cache"
    monkeypatch.setenv("HEARINGS_CACHE_DIR", str(cache))
    outputs = []
    for run in ("cold", "warm", "damaged", "off"):
        if run == "damaged":
            for path in cache.rglob("*"):
                if path.is_file():
                    path.write_bytes(b"not an entry")
        if run == "off":
            monkeypatch.setenv("HEARINGS_CACHE_DIR", "")
        monkeypatch.setattr(sandbox_module.Sandbox, "_compiled", {})
        monkeypatch.setattr(render_module, "_PREPARED", {})
        build(SIGNED, tmp_path / run)
        outputs.append([(tmp_path / run / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
                        for lang in ("ru", "kk")])
        if run == "cold":  # ru, kk each: its compiled text and its prepared template
            assert len(list((cache / "jinja").iterdir())) >= 2
            assert len(list((cache / "prepared").iterdir())) == 2
    assert all(output == outputs[0] for output in outputs)
    assert all(path.read_bytes() != b"not an entry" for path in cache.rglob("*")
               if path.is_file())


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_dated_document_prints_its_date_under_the_signature(tmp_path, lang) -> None:
    text = SIGNED.read_text(encoding="utf-8").replace("signatory:", "date: 2020-09-03\n"
                                                      "signatory:", 1)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2020-08.yaml").write_text(text, encoding="utf-8")
    outcome = build(tmp_path / "data" / "2020-08.yaml", tmp_path / "reports")
    assert not outcome.report.findings
    lines = full_text((tmp_path / "reports" / "2020-08" / f"2020-08-{lang}.docx")
                      .read_bytes()).splitlines()
    signature = next(i for i, line in enumerate(lines) if line.endswith("| А. Б. Тестов"))
    assert lines[signature + 1] == "03.09.2020"


def test_a_date_that_is_no_day_is_named(validate_text, august_text) -> None:
    report = validate_text(august_text.replace("signatory:", "date: 2020-09-31\nsignatory:", 1))
    [finding] = report.errors
    assert (finding.code, finding.json_path) == ("invalid-value", "$.date")
    assert "2020-09-31" in finding.message


W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@st.composite
def _table_bodies(draw) -> str:
    """A body of tables of any shape docxtpl's fix_tables meets: grids of 0-5 columns (or
    none), rows that fill the grid exactly (most of them, as a report's do) or have any
    number of cells, cells spanning 1-3 columns (a span without its value, or not a number,
    now and then), tables inside cells."""
    def cell(span: str, depth: int) -> str:
        inner = table(depth + 1) if depth < 1 and not draw(st.integers(0, 9)) else ""
        properties = f"<w:tcPr>{span}</w:tcPr>" if span or draw(st.booleans()) else ""
        return f"<w:tc>{properties}<w:p/>{inner}</w:tc>"

    def spans(columns: int) -> list[int]:  # cells' widths that fill the grid
        widths: list[int] = []
        while sum(widths) < columns:
            widths.append(min(draw(st.integers(1, 3)), columns - sum(widths)))
        return widths

    def table(depth: int) -> str:
        columns = draw(st.integers(0, 5))
        grid = "".join(f'<w:gridCol w:w="{draw(st.integers(100, 3000))}"/>'
                       for _ in range(columns))
        rows = []
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 3)):
                widths = [f'<w:gridSpan w:val="{n}"/>' if n > 1 else "" for n in spans(columns)]
            else:
                widths = [draw(st.sampled_from(["", "", '<w:gridSpan w:val="2"/>',
                                                '<w:gridSpan w:val="3"/>', "<w:gridSpan/>",
                                                '<w:gridSpan w:val="x"/>']))
                          for _ in range(draw(st.integers(0, 6)))]
            rows.append(f"<w:tr>{''.join(cell(span, depth) for span in widths)}</w:tr>")
        grid = f"<w:tblGrid>{grid}</w:tblGrid>" if draw(st.integers(0, 9)) else ""
        return f"<w:tbl>{grid}{''.join(rows)}</w:tbl>"

    tables = "".join(table(0) for _ in range(draw(st.integers(1, 2))))
    return f'<w:body xmlns:w="{W_MAIN}">{tables}</w:body>'


def _fixed(fix_tables, xml: str):
    try:
        return etree.tostring(fix_tables(xml))
    except Exception as err:  # a malformed table fails as docxtpl fails
        return type(err)


@settings(max_examples=int(os.environ.get("HEARINGS_EXAMPLES", 150)), deadline=None)
@given(_table_bodies())
def test_tables_are_mended_exactly_as_docxtpl_mends_them(xml: str) -> None:
    """The render's quicker fix_tables gives docxtpl's own result for any table: the same
    tree when nothing is to be mended, docxtpl's mending when something is."""
    ours = render_module._Template.__new__(render_module._Template)
    assert _fixed(ours.fix_tables, xml) == _fixed(
        lambda text: DocxTemplate.fix_tables(ours, text), xml)
