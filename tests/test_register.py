"""The register of publications: August 2020's derives exactly its monthly file; each rule at
its edges; validate names a count the register derives otherwise; tally writes the figures in
place; a workbook and LibreOffice Calc's CSV of it give the same; bad rows are findings."""

from __future__ import annotations

import csv
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
from openpyxl import Workbook, load_workbook

from hearings.commands.cli import main

from .conftest import ROOT
from .make_register import HEADER, register_text

AUGUST = ROOT / "data" / "2020-08.yaml"
REGISTER = ROOT / "tests" / "register" / "2020-08.register.csv"


def _run(*args: str):
    return CliRunner().invoke(main, ["--lang", "en", *args])


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(AUGUST, tmp_path / "data")
    shutil.copy(REGISTER, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_committed_register_is_the_script_s_and_derives_august_exactly(folder) -> None:
    assert REGISTER.read_bytes().decode("utf-8") == register_text(AUGUST)
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 0, result.output
    assert "every figure is what its register derives" in result.output
    assert "not known: the protocol's deadline after the hearing" in result.output


def test_validate_names_a_count_the_register_derives_otherwise(folder) -> None:
    path = folder / "data" / "2020-08.yaml"
    text = path.read_text(encoding="utf-8")
    akmola = text.index("  akmola:")
    path.write_text(text[:akmola] + text[akmola:].replace("backdated: 2", "backdated: 3", 1),
                    encoding="utf-8")
    result = _run("validate", "data/2020-08.yaml")
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if "[register-mismatch]" in line]
    rows = [i for i, row in enumerate(csv.reader(io.StringIO(REGISTER.read_text("utf-8"))), 1)
            if row[0] == "Акмолинская" and row[4] == "2020-08-11"
            and row[5] in ("2020-08-25", "2020-08-27")]
    assert line.startswith(f"data/2020-08.yaml:{_line(text, akmola, 'backdated: 2')}:")
    assert (f"Akmola Region › Backdated: the file says 3, the register "
            f"2020-08.register.csv derives 2 (its rows: {rows[0]}, {rows[1]})") in line


def _line(text: str, start: int, needle: str) -> int:
    return text[:text.index(needle, start)].count("\n") + 1


def test_tally_writes_the_derived_figures_in_place(folder) -> None:
    path = folder / "data" / "2020-08.yaml"
    original = path.read_text(encoding="utf-8")
    akmola = original.index("  akmola:")
    changed = original[:akmola] + original[akmola:].replace("backdated: 2", "backdated: 0", 1)
    path.write_text(changed, encoding="utf-8")
    check = _run("tally", "2020-08", "--check")
    assert check.exit_code == 1 and "Akmola Region › Backdated: 0 → 2" in check.output
    assert path.read_text(encoding="utf-8") == changed  # --check writes nothing
    result = _run("tally", "2020-08")
    assert result.exit_code == 0, result.output
    assert "1 figure(s) written" in result.output
    assert path.read_text(encoding="utf-8") == original  # comments, order and texts kept


def _edited(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _row(region="Костанайская", kind="announcement", url="https://k.example.kz/a/1",
         placed="2020-08-10", seen="2020-08-10", form="hearing", hearing="2020-09-10",
         survey=("", ""), announcement="", finding="") -> list[str]:
    return [region, kind, url, "Проект", placed, seen, form, hearing, *survey, announcement,
            finding, ""]


def _tally_of(folder: Path, rows: list[list[str]], facts: str | None = None,
              earlier: list[list[str]] | None = None, month: str = "2020-08") -> dict:
    """The figures the rows derive for Kostanay in the month (the other regions empty)."""
    from hearings.files.workspace import Workspace
    from hearings.month.reference import Period
    from hearings.month.tally import month_register

    if facts:
        (folder / "reference").mkdir(exist_ok=True)
        (folder / "reference" / "facts.yaml").write_text(facts, encoding="utf-8")
    register = folder / "data" / f"{month}.register.csv"
    register.write_text(_edited(rows), encoding="utf-8")
    if earlier is not None:
        (folder / "data" / "2020-07.register.csv").write_text(_edited(earlier), "utf-8")
    workspace = Workspace(folder)
    found, result = month_register(folder / "data" / f"{month}.yaml", Period.parse(month),
                                   workspace.checked_facts())
    assert result is not None, [f.message for f in found.findings]
    return {k: v for k, v in result.figures["kostanay"].items() if v}


def test_twenty_days_notice_is_enough_nineteen_is_not(folder) -> None:
    assert _tally_of(folder, [_row(hearing="2020-08-30")]) == {"announcements": 1}
    assert _tally_of(folder, [_row(hearing="2020-08-29")]) == {
        "announcements": 1, "less-than-20-days": 1}


def test_a_backdated_sighting_counts_from_the_day_it_was_seen(folder) -> None:
    # seen the day after the stated day: daily monitoring, not backdated
    assert _tally_of(folder, [_row(placed="2020-08-10", seen="2020-08-11",
                                   hearing="2020-08-30")]) == {"announcements": 1}
    # seen two days after: backdated, and its 20 days count from the 12th
    assert _tally_of(folder, [_row(placed="2020-08-10", seen="2020-08-12",
                                   hearing="2020-08-30")]) == {
        "announcements": 1, "backdated": 1, "less-than-20-days": 1}


def test_the_turn_of_the_month(folder) -> None:
    # stated 31 July, seen 1 August: it appeared in July, and is not August's placed
    assert _tally_of(folder, [_row(placed="2020-07-31", seen="2020-08-01")]) == {}
    # stated 30 July, seen 1 August: backdated, it appeared in August
    assert _tally_of(folder, [_row(placed="2020-07-30", seen="2020-08-01")]) == {
        "announcements": 1, "backdated": 1}


def test_a_survey_announced_late_or_without_its_period(folder) -> None:
    late = _row(form="survey", hearing="", survey=("2020-08-05", "2020-08-20"))
    open_ended = _row(url="https://k.example.kz/a/2", form="survey", hearing="",
                      survey=("2020-08-15", ""))
    assert _tally_of(folder, [late, open_ended]) == {
        "announcements": 2, "posted-after-survey-start": 1, "survey-period-missing": 1}


PROTOCOL_FACTS = """\
register:
  - edition: order-135-p
    source: a test entry, not an act
    protocol: {days: 10, count: calendar}
"""


def test_a_protocol_of_an_earlier_month_s_announcement(folder) -> None:
    july = [_row(url="https://k.example.kz/a/7", placed="2020-07-01", seen="2020-07-01",
                 hearing="2020-07-25")]
    # due on 4 August, none by the month's end: missing in August, July's register's row
    assert _tally_of(folder, [], PROTOCOL_FACTS, july) == {"protocol-missing": 1}
    answered = _row(kind="protocol", url="https://k.example.kz/p/1", placed="2020-08-03",
                    seen="2020-08-03", form="", hearing="",
                    announcement="https://k.example.kz/a/7")
    assert _tally_of(folder, [answered], PROTOCOL_FACTS, july) == {"protocols": 1}


def test_bad_rows_are_findings_with_row_and_column_and_nothing_is_written(folder) -> None:
    rows = [_row(region="Костанайска"), _row(url="https://k.example.kz/a/1"),
            _row(url="https://k.example.kz/a/3", kind="notice"),
            _row(url="https://k.example.kz/a/4", placed="31.02.2020"),
            _row(url="https://k.example.kz/a/5", seen="2020-09-01"),
            _row(url="https://k.example.kz/a/6", form="survey",
                 survey=("2020-08-20", "2020-08-10")),
            _row(url="https://k.example.kz/p/1", kind="protocol", placed="2020-08-01",
                 hearing="2020-08-05")]
    (folder / "data" / "2020-08.register.csv").write_text(_edited(rows), encoding="utf-8")
    before = (folder / "data" / "2020-08.yaml").read_bytes()
    result = _run("tally", "2020-08")
    assert result.exit_code == 1
    said = [line.removeprefix("Error: ").split(" error ")[0] + " "
            + line.split("[")[1].split("]")[0]
            for line in result.output.splitlines() if "error [" in line]
    assert said == [
        "data/2020-08.register.csv:2:1: register-region-unknown",
        "data/2020-08.register.csv:3:3: register-url-twice",
        "data/2020-08.register.csv:4:2: register-value-unknown",
        "data/2020-08.register.csv:5:5: register-date-invalid",
        "data/2020-08.register.csv:6:6: register-date-outside",
        "data/2020-08.register.csv:7:10: register-survey-reversed",
        "data/2020-08.register.csv:8:5: register-protocol-before-hearing"]
    assert "the closest is 'костанайская'" in result.output
    assert (folder / "data" / "2020-08.yaml").read_bytes() == before
    validate = _run("validate", "data/2020-08.yaml")
    assert validate.exit_code == 1 and "[register-invalid]" in validate.output


def test_a_file_that_is_no_spreadsheet(folder) -> None:
    (folder / "data" / "2020-08.register.csv").unlink()
    (folder / "data" / "2020-08.register.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 1
    assert "register-unreadable" in result.output and "it is no workbook" in result.output


def _workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(REGISTER.read_text(encoding="utf-8"))):
        sheet.append(row)
    book.save(path)


def test_the_workbook_and_calc_s_csv_of_it_derive_the_same(folder, tmp_path) -> None:
    (folder / "data" / "2020-08.register.csv").unlink()
    workbook = folder / "data" / "2020-08.register.xlsx"
    _workbook(workbook)
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 0, result.output
    if shutil.which("soffice") is None or not Path("/usr/lib/libreoffice/program/libsclo.so"
                                                    ).exists():
        pytest.skip("LibreOffice Calc is not installed")
    out = tmp_path / "calc"
    # as a Russian Calc saves it: `;` between cells, Windows-1251 (LibreOffice's encoding 34)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,34",
                    "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=120)
    assert b";" in (out / "2020-08.register.csv").read_bytes()[:200]
    assert "г. Нур-Султан".encode("cp1251") in (out / "2020-08.register.csv").read_bytes()
    workbook.unlink()
    shutil.copy(out / "2020-08.register.csv", folder / "data" / "2020-08.register.csv")
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 0, result.output


WORKING = """\
register:
  - edition: order-286-2024
    source: a test entry, not an act
    notice: {days: 20, count: working}
    sighting: {days: 1}
"""


def test_twenty_working_days_over_may_2024_s_holidays_and_transfer(folder) -> None:
    """From Thursday 2 May 2024: the 3rd, Saturday the 4th (worked: transferred to the 8th),
    the 6th; the 7th, 8th and 9th off (Defender's Day, the transferred day, Victory Day); the
    10th and three weeks: the 31st is the 19th working day, Monday 3 June the 20th."""
    def row(hearing: str) -> list[str]:
        return _row(placed="2024-05-02", seen="2024-05-02", hearing=hearing)

    assert _tally_of(folder, [row("2024-05-31")], WORKING, month="2024-05") == {
        "announcements": 1, "less-than-20-days": 1}
    assert _tally_of(folder, [row("2024-06-03")], WORKING, month="2024-05") == {
        "announcements": 1}
    # in calendar days both are enough: the same rows under a calendar rule
    calendar = WORKING.replace("count: working", "count: calendar")
    assert _tally_of(folder, [row("2024-05-31")], calendar, month="2024-05") == {
        "announcements": 1}
    # a transfer the package does not know, from the folder's facts: the 31st off
    own = WORKING + "calendar:\n  - {day: 2024-05-31, off: true, source: a test entry}\n"
    assert _tally_of(folder, [row("2024-06-03")], own, month="2024-05") == {
        "announcements": 1, "less-than-20-days": 1}


def test_the_reports_list_each_derived_violation_in_their_appendix(folder) -> None:
    from docx import Document

    result = _run("build", "2020-08")
    assert result.exit_code == 0, result.output
    register = list(csv.reader(io.StringIO(REGISTER.read_text(encoding="utf-8"))))
    backdated = [row[2] for row in register if row[0] == "Акмолинская"
                 and row[4] == "2020-08-11" and row[5] in ("2020-08-25", "2020-08-27")]
    for lang in ("ru", "kk"):
        document = Document(str(folder / "reports" / "2020-08" / f"2020-08-{lang}.docx"))
        rows = [[cell.text for cell in row.cells] for row in document.tables[-1].rows[1:]]
        assert len(rows) == 43  # each violation of the month, from the register's rows
        assert [row[4] for row in rows if row[4] in backdated] == backdated
        assert {row[5] for row in rows if row[4] in backdated} == {"25.08.2020", "27.08.2020"}


def test_an_earlier_month_s_rows_are_named_with_their_file(folder) -> None:
    """A protocol missing in August for July's announcement: validate names July's row by its
    file, not a row number that August's own register would read otherwise."""
    july = [_row(url="https://k.example.kz/a/7", placed="2020-07-01", seen="2020-07-01",
                 hearing="2020-07-25")]
    assert _tally_of(folder, [], PROTOCOL_FACTS, july) == {"protocol-missing": 1}
    result = _run("validate", "data/2020-08.yaml")
    [line] = [line for line in result.output.splitlines()
              if "[register-mismatch]" in line and "Protocol missing" in line
              and "Kostanay" in line]
    assert "(its rows: 2020-07.register.csv:2)" in line


def test_an_earlier_month_s_faulty_register_blocks_only_what_needs_it(folder) -> None:
    """July's register with a bad row: August is derived while no rule of its edition reads
    July's announcements (the protocol's deadline unknown), and refused once one does."""
    july = [_row(url="https://k.example.kz/a/7", placed="2020-07-01", seen="not a day",
                 hearing="2020-07-25")]
    assert _tally_of(folder, [_row()], None, july) == {"announcements": 1}
    (folder / "reference").mkdir()
    (folder / "reference" / "facts.yaml").write_text(PROTOCOL_FACTS, encoding="utf-8")
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 1
    assert "data/2020-07.register.csv:2:6: error [register-date-invalid]" in result.output
    validate = _run("validate", "data/2020-08.yaml")
    assert "[register-earlier-invalid]" in validate.output


def test_rows_are_numbered_as_the_file_numbers_them(folder) -> None:
    """Empty rows (a blank line, an empty row of a sheet) keep the rows after them at their
    own numbers, and a header below empty rows is found where it stands."""
    text = "\n\n" + _edited([_row(), [""] * len(HEADER), _row(url="https://k.example.kz/a/1")])
    (folder / "data" / "2020-08.register.csv").write_text(text, encoding="utf-8")
    result = _run("tally", "2020-08", "--check")
    assert "data/2020-08.register.csv:6:3: error [register-url-twice]" in result.output


def test_a_register_that_is_not_a_regular_file_is_not_read(folder) -> None:
    register = folder / "data" / "2020-08.register.csv"
    register.unlink()
    os.mkfifo(register)  # a reader that opened it would wait for a writer for ever
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 1
    assert "register-unreadable" in result.output and "a named pipe" in result.output


def _packaged(path: Path, extra: dict[str, bytes] | None = None,
              dimension: str | None = None) -> None:
    """August's register as a workbook, with parts added or its sheet's declared size
    replaced."""
    plain = path.with_suffix(".plain")
    _workbook(plain)
    with zipfile.ZipFile(plain) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if dimension and info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'
                              .encode(), data)
            target.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    plain.unlink()


def test_a_workbook_is_refused_before_it_unpacks_to_more_than_a_register_holds(folder):
    (folder / "data" / "2020-08.register.csv").unlink()
    workbook = folder / "data" / "2020-08.register.xlsx"
    _packaged(workbook, {"xl/media/padding.bin": bytes(80 * 1024 * 1024)})
    assert workbook.stat().st_size < 1024 * 1024  # 80 MB of zeros pack into 80 kB
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 1
    assert "more than a register holds (64 MB)" in result.output


def test_a_workbook_s_declared_size_is_not_trusted(folder) -> None:
    """A sheet that declares the whole grid (1 048 576 rows of 16 384 cells) is read as its
    cells are; a value beyond the register's columns is refused, not dropped."""
    (folder / "data" / "2020-08.register.csv").unlink()
    workbook = folder / "data" / "2020-08.register.xlsx"
    _packaged(workbook, dimension="A1:XFD1048576")
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 0, result.output
    book = load_workbook(workbook)
    book.active.cell(row=5, column=100, value="lost?")
    book.save(workbook)
    result = _run("tally", "2020-08", "--check")
    assert result.exit_code == 1 and "its row 5 has a value beyond column 64" in result.output


def test_a_file_changed_while_it_was_tallied_is_not_overwritten(folder, monkeypatch) -> None:
    """The analyst saves the file while tally works out its figures: tally, taking the lock
    to write, finds the file is no longer what it read, and writes nothing."""
    import contextlib

    import hearings.commands.tally as command

    path = folder / "data" / "2020-08.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("backdated: 2", "backdated: 0", 1), encoding="utf-8")
    saved = text.replace("backdated: 2", "backdated: 5", 1) + "# her own note\n"
    real = command.folder_lock

    @contextlib.contextmanager
    def saved_meanwhile(folder_):
        path.write_text(saved, encoding="utf-8")
        with real(folder_):
            yield

    monkeypatch.setattr(command, "folder_lock", saved_meanwhile)
    result = _run("tally", "2020-08")
    assert result.exit_code == 1 and "changed while it was tallied" in result.output
    assert path.read_text(encoding="utf-8") == saved


def test_two_tallies_at_once_write_the_month_once(folder) -> None:
    path = folder / "data" / "2020-08.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("backdated: 2", "backdated: 0", 1), encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, "-m", "hearings", "--lang", "en", "tally",
                              "2020-08"], cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert path.read_text(encoding="utf-8") == original
