"""Files as a colleague expects them: the umask's permissions, and a month's two reports
replaced together, whenever a build is interrupted.

HEARINGS_KILLS=500 pytest tests/test_write.py kills more builds than CI does (25).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.report import build
from hearings.files import write

from .conftest import ROOT, SIGNED

KILLS = int(os.environ.get("HEARINGS_KILLS", 12))


@pytest.fixture
def umask():
    before = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(before)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_new_files_get_the_mode_the_umask_gives(tmp_path, monkeypatch, umask, mask) -> None:
    umask(mask)
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "2020-09"]).exit_code == 0
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    assert CliRunner().invoke(main, ["build", "data/2020-08.yaml"]).exit_code == 0
    files = [tmp_path / "data" / "2020-09.yaml",
             *(tmp_path / "reports" / "2020-08").iterdir()]
    assert len(files) == 3
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path
    assert stat.S_IMODE((tmp_path / "reports" / "2020-08").stat().st_mode) == 0o777 & ~mask


# --- the two languages change together ---

def _month(folder: Path, closing: str) -> Path:
    """The signed August with a closing text of its own: a report of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2020-08.yaml"
    text = SIGNED.read_text(encoding="utf-8")
    path.write_text(text.replace("Работа в данном направлении продолжается.", closing),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """The reports of two versions of a month, A and B, built apart."""
    built = {}
    for version in ("A", "B"):
        folder = tmp_path_factory.mktemp(version)
        outcome = build(_month(folder / "data", f"Версия {version}."), folder / "reports")
        assert not outcome.report.errors
        month = folder / "reports" / "2020-08"
        built[version] = ((month / "2020-08-ru.docx").read_bytes(),
                          (month / "2020-08-kk.docx").read_bytes())
    assert built["A"] != built["B"]
    return built


def _state(month: Path, pairs) -> str:
    """Which pair stands under the final names; anything else fails the test."""
    final = ((month / "2020-08-ru.docx").read_bytes(), (month / "2020-08-kk.docx").read_bytes())
    [version] = [v for v, pair in pairs.items() if pair == final] or [f"mixed: {final!r:.60}"]
    return version


def _kept(month: Path) -> set[bytes]:
    return {path.read_bytes() for path in month.iterdir() if path.suffix == ".docx"}


class Killed(BaseException):
    """The process dies here: nothing after it touches the disk."""


@pytest.mark.system
@pytest.mark.parametrize("swap", ["exchange", "two renames"])
def test_a_build_stopped_at_any_step_leaves_one_whole_pair(tmp_path, pairs, monkeypatch,
                                                           swap) -> None:
    if swap == "two renames":  # where the system cannot exchange two folders in one step
        monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    steps = [(os, "rename"), (os, "replace"), (os, "link"), (os, "unlink"), (os, "rmdir"),
             (os, "mkdir"), (os, "fsync"), (os, "fchmod"), (os, "chmod"), (shutil, "rmtree"),
             (write, "_exchange")]
    originals = {(module, name): getattr(module, name) for module, name in steps}
    calls = {"count": 0, "stop_at": None}

    def counting(module, name):
        def call(*args, **kwargs):
            calls["count"] += 1
            if calls["stop_at"] is not None and calls["count"] >= calls["stop_at"]:
                raise Killed(f"{name} (step {calls['count']})")
            return originals[module, name](*args, **kwargs)
        return call

    def attempt(stop_at, data):
        workspace = tmp_path / f"w{stop_at}"
        if workspace.exists():
            shutil.rmtree(workspace)
        first = build(_month(workspace / "data", "Версия A."), workspace / "reports")
        assert not first.report.errors
        calls.update(count=0, stop_at=stop_at)
        for module, name in steps:
            monkeypatch.setattr(module, name, counting(module, name))
        try:
            build(_month(workspace / "data", "Версия B."), workspace / "reports", force=True)
            stopped = False
        except Killed:
            stopped = True
        finally:
            for module, name in steps:
                monkeypatch.setattr(module, name, originals[module, name])
        return workspace / "reports" / "2020-08", stopped, calls["count"]

    month, stopped, total = attempt(None, "B")
    assert not stopped and _state(month, pairs) == "B" and pairs["A"][0] in _kept(month)
    mended = 0
    for stop_at in range(1, total + 1):
        month, stopped, _count = attempt(stop_at, "B")
        assert stopped
        if swap == "two renames" and not month.exists():
            # stopped between the two renames: the previous folder waits under another
            # name, and whatever reads the month next (any build) puts it back first
            write.recover(month)
            mended += 1
        assert _state(month, pairs) in ("A", "B"), stop_at
        assert set(pairs["A"]) <= _kept(month), stop_at  # the previous pair is never lost
        # the next build finds what was left and finishes the job
        build(_month(month.parent.parent / "data", "Версия B."), month.parent, force=True)
        assert _state(month, pairs) == "B" and set(pairs["A"]) <= _kept(month)
        assert [p.name for p in month.parent.iterdir()] == ["2020-08"], stop_at
    print(f"\n{swap}: stopped at each of {total} file-system steps of a replacing build; "
          f"{mended} left the month to be mended by the next build")
    assert mended == (1 if swap == "two renames" else 0)


@pytest.mark.system
def test_builds_killed_at_random_moments_leave_one_whole_pair(tmp_path, pairs) -> None:
    workspace = tmp_path
    month = workspace / "reports" / "2020-08"
    command = [sys.executable, "-m", "hearings", "build", "--force", "data/2020-08.yaml"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(version, output=subprocess.DEVNULL):
        _month(workspace / "data", f"Версия {version}.")
        return subprocess.Popen(command, cwd=workspace, env=environment, stdout=output,
                                stderr=subprocess.DEVNULL)

    # when a whole build prints its first line, its files have just been replaced: the kills
    # start aimed there, then move later after a kill that came before the replacement and
    # earlier after one that came after it, so that they keep landing around it
    printed = []
    for version in ("A", "B", "A", "B"):
        began = time.monotonic()
        process = start(version, subprocess.PIPE)
        process.stdout.read(1)
        printed.append(time.monotonic() - began)
        process.communicate(timeout=120)
        assert process.returncode == 0
    aim = sorted(printed)[1]
    rng = random.Random(2020_08)
    state, killed, midway = "B", 0, 0
    for _ in range(KILLS):
        before, target = _kept(month), "B" if state == "A" else "A"
        process = start(target)
        time.sleep(max(0.0, aim + rng.uniform(-0.01, 0.01)))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=120)
        leftover = any(p.name != "2020-08" for p in month.parent.iterdir())
        midway += leftover
        state = _state(month, pairs)
        assert state in ("A", "B")
        assert before <= _kept(month)  # nothing that was there is lost
        if not leftover:
            aim += -0.003 if state == target else 0.003
    print(f"\n{KILLS} builds started, {killed} killed, {midway} of them while replacing files")
    assert killed


def test_a_repeated_entry_is_deflated_once_and_written_as_zipfile_writes_it(monkeypatch
                                                                            ) -> None:
    """A part the same in many packages (a template's styles) is deflated once per content
    in a process and replayed: every package byte-identical to zipfile's own writing."""
    import datetime as dt
    import io
    import zipfile

    monkeypatch.setattr(write, "_DEFLATED", {})
    rng = random.Random(7)
    styles = b"<w:styles>" + b"".join(b'<w:style w:styleId="s%d"/>' % rng.randrange(10**6)
                                      for _ in range(20000)) + b"</w:styles>"
    other = styles.replace(b"s1", b"t1")

    def package(content: bytes, repeated: bool) -> bytes:
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            write.write_entry(archive, "word/document.xml", b"<w:document/>",
                              dt.date(2020, 8, 31))
            write.write_entry(archive, "word/styles.xml", content, dt.date(2020, 8, 31),
                              repeated=repeated)
        return output.getvalue()

    for content in (styles, other, styles, other, b""):
        assert package(content, True) == package(content, False)
    assert set(write._DEFLATED) == {styles, other, b""}
    with zipfile.ZipFile(io.BytesIO(package(styles, True))) as archive:
        assert archive.testzip() is None and archive.read("word/styles.xml") == styles
