"""LibreOffice as a build meets it when things go wrong: a real process on PATH in its place
(a script that fails, hangs, floods its output or writes no PDF), and the work folders that
killed builds leave behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.report import build
from hearings.exceptions import ConversionError
from hearings.files import pdf
from hearings.files.workspace import Workspace
from hearings.month.reference import document_settings

from .conftest import SIGNED

pytestmark = pytest.mark.system

# soffice ... --outdir DIR FILE...: writes (or not) DIR/<stem>.pdf for each FILE
FAKES = {
    "fails": """
        echo "Warning: failed to launch javaldx - java may not function correctly" >&2
        echo "Error: source file could not be loaded" >&2
        exit 1""",
    "hangs": """
        sleep 1000 & echo $! > "$MARK"
        wait""",
    "floods": """
        head -c 200000000 /dev/zero | tr '\\0' 'x'
        echo
        echo "Error: out of patience" >&2
        exit 3""",
    "writes nothing": """
        exit 0""",
    "writes empty files": """
        for f in "$@"; do case "$f" in *.docx) : > "$OUT/$(basename "${f%.docx}").pdf";;
        esac; done""",
    "writes no PDF": """
        for f in "$@"; do case "$f" in *.docx)
        echo not a pdf > "$OUT/$(basename "${f%.docx}").pdf";; esac; done""",
    "writes a damaged PDF": """
        for f in "$@"; do case "$f" in *.docx)
        printf '%%PDF-1.7\\nbroken' > "$OUT/$(basename "${f%.docx}").pdf";; esac; done""",
}
SAID = {
    "fails": "LibreOffice did not convert 2020-08-ru.docx (exit 1): Error: source file could "
             "not be loaded",
    "hangs": "LibreOffice did not finish within 2 s and was stopped",
    "floods": "LibreOffice did not convert 2020-08-ru.docx (exit 3): Error: out of patience",
    "writes nothing": "LibreOffice did not convert 2020-08-ru.docx (exit 0): it printed nothing",
    "writes empty files": "LibreOffice wrote 2020-08-ru.pdf as 0 bytes that are no PDF",
    "writes no PDF": "LibreOffice wrote 2020-08-ru.pdf as 10 bytes that are no PDF",
    "writes a damaged PDF": "LibreOffice wrote 2020-08-ru.pdf as a damaged PDF",
}


def _fake(folder: Path, body: str) -> Path:
    """A soffice on PATH that does `body`, with $OUT its --outdir."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text("#!/bin/sh\n" + textwrap.dedent("""\
        OUT=
        prev=
        for a in "$@"; do [ "$prev" = --outdir ] && OUT=$a; prev=$a; done
        mkdir -p "$OUT"
        """) + textwrap.dedent(body) + "\n", encoding="utf-8")
    script.chmod(0o755)
    return bin_dir


@pytest.mark.parametrize("behaviour", FAKES)
def test_a_failing_libreoffice_is_a_message_naming_its_reason(tmp_path, monkeypatch,
                                                              behaviour) -> None:
    bin_dir = _fake(tmp_path, FAKES[behaviour])
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("MARK", str(tmp_path / "child.pid"))
    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 2)
    reports = tmp_path / "reports"
    began = time.monotonic()
    result = CliRunner().invoke(main, ["build", str(SIGNED), "--reports", str(reports),
                                       "--pdf"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert SAID[behaviour] in result.output
    assert len(result.output) < 2000  # 200 MB printed: its end read, its reason quoted
    assert not reports.exists() or not any(reports.iterdir())  # nothing written
    if behaviour == "hangs":
        assert time.monotonic() - began < 30
        child = int((tmp_path / "child.pid").read_text())
        time.sleep(0.2)
        assert not _alive(child)  # its whole process group was ended, the child too
    assert not list(Path(tempfile.gettempdir()).glob(f"{pdf.WORK_PREFIX}*/{pdf.OWNER}")) or \
        all(_owned(path.parent) for path in Path(tempfile.gettempdir()).glob(
            f"{pdf.WORK_PREFIX}*/{pdf.OWNER}"))


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _owned(work: Path) -> bool:
    """Whether a work folder's build still runs (its lock is held)."""
    import fcntl

    fd = os.open(work / pdf.OWNER, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def test_the_work_folders_of_builds_that_are_gone_are_removed(tmp_path, monkeypatch) -> None:
    import fcntl

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    orphan = tmp_path / f"{pdf.WORK_PREFIX}killed"
    (orphan / "in").mkdir(parents=True)
    (orphan / pdf.OWNER).write_text("")
    living = tmp_path / f"{pdf.WORK_PREFIX}running"
    living.mkdir()
    (living / pdf.OWNER).write_text("")
    fd = os.open(living / pdf.OWNER, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # its build runs: this test holds its lock
    try:
        with pdf.work_folder() as work:
            assert work.parent == tmp_path and work.exists()
        assert not work.exists()
        assert not orphan.exists()
        assert living.exists()
    finally:
        os.close(fd)
    shutil.rmtree(living)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_build_killed_while_converting_leaves_nothing_the_next_one_keeps(tmp_path) -> None:
    """A real build with --pdf, killed (SIGKILL) while LibreOffice converts: its work folder
    and its LibreOffice are gone after the next build."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    command = [os.sys.executable, "-m", "hearings", "build", str(SIGNED), "--reports",
               str(tmp_path / "reports"), "--pdf"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "tmp").glob(f"{pdf.WORK_PREFIX}*/in/*.docx")):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    time.sleep(0.3)
    process.kill()
    process.wait()
    left = list((tmp_path / "tmp").glob(f"{pdf.WORK_PREFIX}*"))
    assert left  # what a killed build leaves
    done = subprocess.run([*command, "--force"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not any(path.exists() for path in left)
    # LibreOffice's own temporary files (lu*.tmp) were in the work folder, and went with it
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_document_libreoffice_looked_for_too_early_is_converted_by_a_run_of_its_own(
        tmp_path) -> None:
    """LibreOffice is started before a month's documents are made: one that was not there
    when it looked is converted again, to the same bytes as a conversion that had it."""
    build(SIGNED, tmp_path / "docx", workspace=Workspace(tmp_path))
    documents = {path.name: path.read_bytes()
                 for path in sorted((tmp_path / "docx" / "2020-08").glob("*.docx"))}
    families = document_settings()["font"]["pdf_families"]
    with pdf.EarlyConversion(list(documents)) as early:
        assert early.process.wait(timeout=120) == 0  # it looked, and found nothing
        assert not list((early.work / "out").glob("*.pdf"))
        late = early.finish(documents, families)
        work = early.work
    assert not work.exists()
    assert late == pdf.to_pdf(documents, families)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_each_pdf_is_checked_while_libreoffice_works_and_only_as_it_stays(
        tmp_path, monkeypatch) -> None:
    """A month alone checks each PDF as soon as LibreOffice has written it whole, while it
    converts the next or ends: the same bytes as checking after it ended; a check of bytes
    that are not the PDF's when LibreOffice has ended is not used (the PDF is checked
    again)."""
    build(SIGNED, tmp_path / "docx", workspace=Workspace(tmp_path))
    documents = {path.name: path.read_bytes()
                 for path in sorted((tmp_path / "docx" / "2020-08").glob("*.docx"))}
    families = document_settings()["font"]["pdf_families"]
    expected = pdf.to_pdf(documents, families)
    forked = []

    class Recorded(pdf._Forked):
        def __init__(self, work) -> None:
            forked.append(getattr(work, "args", ("after LibreOffice",))[0])
            super().__init__(work)

    def finished(early) -> dict[str, bytes]:
        """finish(), LibreOffice's end noticed only once two checks have begun (as on a
        machine where it takes longer to end; here often 60 ms after the last PDF)."""
        poll, deadline = early.process.poll, time.monotonic() + 60

        def later() -> int | None:
            code = poll()
            return None if len(forked) < 2 and time.monotonic() < deadline else code

        early.process.poll = later
        return early.finish(documents, families)

    monkeypatch.setattr(pdf, "_Forked", Recorded)
    with pdf.EarlyConversion(list(documents)) as early:
        assert finished(early) == expected
    assert sorted(forked) == sorted(expected)  # both checked before LibreOffice had ended
    forked.clear()
    written_whole = pdf._written_whole

    def stale(path, sizes):  # what was looked at is not what LibreOffice leaves
        data = written_whole(path, sizes)
        return None if data is None else data.replace(b"%%EOF", b"% stale\n%%EOF")

    monkeypatch.setattr(pdf, "_written_whole", stale)
    with pdf.EarlyConversion(list(documents)) as early:
        assert finished(early) == expected
    # both looked at early, neither used: checked again after it ended (one beside)
    assert sorted(forked) == sorted([*expected, "after LibreOffice"])


def test_a_month_refused_with_pdf_leaves_no_libreoffice_and_no_work_folder(tmp_path) -> None:
    """LibreOffice starts with the build: a month that is refused ends it, and its folder."""
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    broken = tmp_path / "2020-08.yaml"
    text = SIGNED.read_text(encoding="utf-8")
    broken.write_text(text.replace("violations: 43", "violations: 44"), encoding="utf-8")
    done = subprocess.run([os.sys.executable, "-m", "hearings", "build", str(broken),
                           "--reports", str(tmp_path / "reports"), "--pdf"], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "error" in done.stdout + done.stderr
    assert list((tmp_path / "tmp").iterdir()) == []
    assert not any(str(tmp_path / "tmp") in path.read_text(errors="replace")
                   for path in Path("/proc").glob("[0-9]*/cmdline") if _readable(path))


def _readable(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def _refuse() -> bytes:
    raise ConversionError("the font X has no glyph for Ә")


def test_the_pdf_checked_beside_says_what_it_found_as_the_build_would() -> None:
    """A month alone checks its second PDF in a child process: what the child finds is the
    parent's message, and a child the parent no longer waits for is ended."""
    with pdf._Forked(lambda: b"%PDF- checked") as child:
        assert child.result() == b"%PDF- checked"
    with pdf._Forked(_refuse) as child, pytest.raises(ConversionError, match="no glyph for Ә"):
        child.result()
    with pytest.raises(ValueError), pdf._Forked(lambda: time.sleep(60)) as child:
        raise ValueError("the parent's own check failed first")
    assert not _alive(child.pid)
