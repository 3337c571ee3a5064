"""Every fault a message with its place, nothing written or lost: the file system refusing
(full, not permitted), a link or a pipe where a file or a folder belongs, figures too large to
print, months no report can be made for, and where a command is run from."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.files import write

from .conftest import ROOT, SIGNED
from .months import month_data, write_month


def _in(folder: Path, *args: str):
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    return tmp_path


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left on device"),
                                             (errno.EACCES, "Permission denied"),
                                             (errno.EROFS, "Read-only file system")])
def test_a_file_system_that_refuses_is_a_message_and_the_previous_pair_stays(
        folder, monkeypatch, code, words) -> None:
    assert _in(folder, "build").exit_code == 0
    before = {path.name: path.read_bytes() for path in (folder / "reports" / "2020-08").iterdir()}
    text = (folder / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    (folder / "data" / "2020-08.yaml").write_text(
        text.replace("применить опыт Украины", "применить опыт Казахстана"), encoding="utf-8")
    real = os.fsync

    def refusing(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refusing)  # the disk fills up as the new pair is written
    result = _in(folder, "build", "--force")
    monkeypatch.setattr(os, "fsync", real)
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"Error: reports/2020-08 cannot be written: {words}" in result.output
    assert "what was there is as it was" in result.output
    after = {path.name: path.read_bytes() for path in (folder / "reports" / "2020-08").iterdir()}
    assert after == before
    assert sorted(p.name for p in (folder / "reports").iterdir()) == ["2020-08"]  # no staging


def test_an_old_state_that_cannot_be_removed_is_a_note_not_a_failure(folder,
                                                                     monkeypatch) -> None:
    """A month folder of another user's: the new pair is swapped in, the old state cannot be
    removed; the build says so and succeeds."""
    assert _in(folder, "build").exit_code == 0
    text = (folder / "data" / "2020-08.yaml").read_text(encoding="utf-8")
    (folder / "data" / "2020-08.yaml").write_text(
        text.replace("применить опыт Украины", "применить опыт Казахстана"), encoding="utf-8")

    def not_permitted(path, *args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(path))

    monkeypatch.setattr(write.shutil, "rmtree", not_permitted)
    result = _in(folder, "build", "--force")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "(the previous state of the folder) could not be removed: Operation not permitted; " \
           "remove it by hand" in result.output
    monkeypatch.undo()
    assert _in(folder, "build").output.count(": unchanged") == 2  # the new pair stands


def test_a_month_folder_that_is_a_link_is_refused_and_its_target_untouched(folder) -> None:
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("someone's", encoding="utf-8")
    (folder / "reports").mkdir()
    (folder / "reports" / "2020-08").symlink_to(elsewhere)
    result = _in(folder, "build")
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"Error: reports/2020-08 is a symbolic link (to {elsewhere}); a month's reports " \
           "are kept in a folder of their own: nothing was written" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in (folder / "reports").iterdir()) == ["2020-08"]


def _strange(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("command", [["validate"], ["export"], ["year", "2020", "--partial"],
                                     ["build", "2020-10"], ["facts"]])
def test_a_monthly_file_that_is_no_file_is_named_never_read(folder, kind, command) -> None:
    """A FIFO (would hang), a link to /dev/zero (would fill the memory), a folder: each in
    data/ as 2020-09.yaml, the month before a valid 2020-10's."""
    write_month(folder / "data", month_data("2020-10"))
    strange = folder / "data" / "2020-09.yaml"
    _strange(strange, kind)
    done = subprocess.run([sys.executable, "-m", "hearings", *command], cwd=folder,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in done.stderr, done.stderr
    said = done.stdout + done.stderr
    if command[0] in ("validate", "export"):
        assert "data/2020-09.yaml:1:1: error [file-unreadable] the file cannot be read: it is " \
               "not a regular file" in said
        assert done.returncode == 1
    elif command[0] == "build":  # the month before is named, the month built without it
        assert done.returncode == 0, said
        assert "note: data/2020-09.yaml has errors: the comparison with the previous month " \
               "is left out" in said
    elif command[0] == "facts":
        assert done.returncode == 0, said
    else:  # year --partial: the month is left out, and named
        assert "2020-09: left out (data/2020-09.yaml: it has errors)" in said


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_new_after_a_month_that_is_no_file_carries_nobody_over(folder, kind) -> None:
    _strange(folder / "data" / "2020-09.yaml", kind)
    done = subprocess.run([sys.executable, "-m", "hearings", "new", "2020-10"], cwd=folder,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert "data/2020-10.yaml: created; add the signatory and executor" in done.stdout


def test_a_count_of_4300_nines_is_a_finding_everywhere(folder) -> None:
    path = folder / "data" / "2020-08.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  akmola:")
    text = text[:start] + text[start:].replace("less-than-20-days: 0",
                                               "less-than-20-days: " + "9" * 4300, 1)
    path.write_text(text, encoding="utf-8")
    for command in (["validate"], ["validate", "--format", "json"], ["build"],
                    ["build", "--format", "json"], ["export"], ["compare", "2020-08",
                                                                 "2020-08"]):
        result = _in(folder, *command)
        _no_traceback(result)
        assert result.exit_code == 1, command
        assert "found a number of 4300 digits" in result.output, command
    report = json.loads(_in(folder, "validate", "--format", "json").output)
    assert {f["code"] for f in report["files"][0]["findings"]} == {"invalid-value"}


@pytest.mark.parametrize("period", ["2108-01", "9999-12", "1990-12"])
def test_a_month_no_report_can_be_made_for_is_not_created(tmp_path, period) -> None:
    result = _in(tmp_path, "new", period)
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"error [period-out-of-range] {period} is outside the years 1991 to 2099" \
        in result.output
    assert not (tmp_path / "data" / f"{period}.yaml").exists()


def test_build_without_a_month_takes_the_newest_month_not_a_copy(folder) -> None:
    for name in ("2020-08_v2.yaml", "Копия 2020-08.yaml"):
        shutil.copy(folder / "data" / "2020-08.yaml", folder / "data" / name)
    result = _in(folder, "build")
    assert result.exit_code == 0, result.output
    assert "reports/2020-08/2020-08-ru.docx: written" in result.output


def test_run_inside_data_the_folder_that_holds_it_is_worked_in(folder) -> None:
    inside = folder / "data"
    assert _in(inside, "new", "2020-09").exit_code == 0
    assert (folder / "data" / "2020-09.yaml").is_file()
    assert not (inside / "data").exists()  # not data/data/2020-09.yaml
    text = (folder / "data" / "2020-09.yaml").read_text(encoding="utf-8")
    assert "signatory:" in text.split("# Who signs", 1)[1]  # the people of 2020-08
    validated = _in(inside, "validate")
    assert "../data/2020-08.yaml: valid" in validated.output
    built = _in(inside, "build", "2020-08")
    assert built.exit_code == 0 and "../reports/2020-08/2020-08-ru.docx: written" in built.output
    assert not (inside / "reports").exists()
    assert _in(folder / "reports" / "2020-08", "validate").exit_code == 0  # from reports/ too


def test_an_empty_folder_is_its_own_even_below_a_folder_with_data(tmp_path) -> None:
    (tmp_path / "data").mkdir()
    own = tmp_path / "work" / "new-folder"
    own.mkdir(parents=True)
    assert _in(own, "new", "2020-09").exit_code == 0
    assert (own / "data" / "2020-09.yaml").is_file()


def test_an_export_of_some_months_does_not_drop_the_others_without_force(folder) -> None:
    write_month(folder / "data", month_data("2020-09"))
    write_month(folder / "data", month_data("2020-10"))
    assert _in(folder, "export").exit_code == 0
    before = (folder / "reports" / "open-data" / "violations.csv").read_bytes()
    narrow = _in(folder, "export", "2020-08", "2020-09")
    _no_traceback(narrow)
    assert narrow.exit_code == 1
    assert ("reports/open-data holds the open data of 3 months, and this export would drop 1 "
            "of them (2020-10); nothing was written") in narrow.output
    assert (folder / "reports" / "open-data" / "violations.csv").read_bytes() == before
    forced = _in(folder, "export", "2020-08", "2020-09", "--force")
    assert forced.exit_code == 0
    assert b"2020-10" not in (folder / "reports" / "open-data" / "violations.csv").read_bytes()


def test_the_severity_is_said_in_the_messages_language(folder) -> None:
    fixture = ROOT / "tests" / "fixtures" / "row-total-mismatch" / "2020-08.yaml"
    russian = _in(folder, "--lang", "ru", "validate", str(fixture)).output
    kazakh = _in(folder, "--lang", "kk", "validate", str(fixture)).output
    lines = fixture.read_text(encoding="utf-8").split("\n")
    akmola = lines.index(next(line for line in lines if line.startswith("  akmola:")))
    line = next(i for i in range(akmola, len(lines)) if lines[i].startswith("    total:")) + 1
    assert f":{line}:12: ошибка [row-total-mismatch] " in russian
    assert f":{line}:12: қате [row-total-mismatch] " in kazakh
    github = _in(folder, "--lang", "ru", "validate", "--format", "github", str(fixture)).output
    assert github.startswith("::error file=")  # the workflow's own words stay


def test_the_version_names_the_tool_whatever_runs_it() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("hearings ")


def test_a_fault_nobody_foresaw_is_a_message_and_debug_shows_where(folder, monkeypatch) -> None:
    from hearings.documents import report

    def broken(*args, **kwargs):
        raise RuntimeError("a fault of this test's making")

    monkeypatch.setattr(report, "render", broken)
    result = _in(folder, "build")
    _no_traceback(result)
    assert result.exit_code == 1
    assert ("Error: unexpected error, a fault of the tool's (RuntimeError: a fault of this "
            "test's making); nothing more was done. Run it again with HEARINGS_DEBUG=1")\
        in result.output
    monkeypatch.setenv("HEARINGS_DEBUG", "1")
    assert isinstance(_in(folder, "build").exception, RuntimeError)


def test_a_pipe_among_a_month_s_reports_is_never_read(folder) -> None:
    """A FIFO where a report or the record of its PDFs stands: taken as other content (the
    report is replaced only with --force), never opened for reading, so nothing hangs."""
    month = folder / "reports" / "2020-08"
    month.mkdir(parents=True)
    os.mkfifo(month / "2020-08-ru.docx")
    os.mkfifo(month / ".made-from.json")
    done = subprocess.run([sys.executable, "-m", "hearings", "build"], cwd=folder,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "reports/2020-08/2020-08-ru.docx" in done.stderr and "--force" in done.stderr


@pytest.mark.system
def test_schema_on_a_full_disk_is_a_message(folder) -> None:
    """A real full disk: a 16 kB tmpfs mounted on the folder's schema/ in a mount namespace of
    the test's own (the schema is 40 kB)."""
    if subprocess.run(["unshare", "--mount", "--map-root-user", "true"],
                      capture_output=True).returncode != 0 and os.getuid() != 0:
        pytest.skip("no mount namespace can be made here")
    (folder / "schema").mkdir()
    script = ('mount -t tmpfs -o size=16k tmpfs schema && '
              f'"{sys.executable}" -m hearings schema')
    unshare = ["unshare", "--mount"] + ([] if os.getuid() == 0 else ["--map-root-user"])
    done = subprocess.run([*unshare, "sh", "-c", script], cwd=folder, capture_output=True,
                          text=True, env={**os.environ, "HEARINGS_LANG": "en"}, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr
    assert ("Error: schema/monthly.schema.json cannot be written: No space left on device; "
            "what was there is as it was") in done.stderr
    assert list((folder / "schema").iterdir()) == []  # the mount is gone, nothing under it
