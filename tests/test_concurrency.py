"""Builds of one month at the same time: one writes at a time, the others wait for it; no set
of previous files is ever lost or counted twice.

HEARINGS_CONCURRENT_ROUNDS=50 pytest tests/test_concurrency.py runs more rounds than CI (4).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hearings.files.lock import folder_lock, lock_path

from .conftest import ROOT, SIGNED

pytestmark = pytest.mark.system
ROUNDS = int(os.environ.get("HEARINGS_CONCURRENT_ROUNDS", 4))
KEPT = re.compile(r"2020-08-(ru|kk)\.docx: replaced \(previous kept as "
                  r"2020-08-\1\.previous-(\d+)\.docx\)")


def _version(folder: Path, name: str) -> Path:
    """The signed August with a closing text of its own, in a data folder of its own."""
    data = folder / name / "data"
    data.mkdir(parents=True)
    text = SIGNED.read_text(encoding="utf-8")
    path = data / "2020-08.yaml"
    text = text.replace("применить опыт Украины", f"применить опыт Украины (версия {name})")
    text = text.replace("пайдалануды ұсынады", f"пайдалануды ұсынады (нұсқа {name})")
    path.write_text(text, encoding="utf-8")
    return path


def _start(data_file: Path, reports: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "hearings", "build", str(data_file), "--reports", str(reports),
         "--force", "--keep", "1000", *more],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        env={**os.environ, "HEARINGS_LANG": "en"})


@pytest.mark.parametrize("at_once", [2, 3])
def test_builds_of_one_month_at_once_lose_nothing(tmp_path, at_once) -> None:
    versions = [_version(tmp_path, name) for name in "ABC"[:at_once]]
    reports = tmp_path / "reports"
    claimed: list[str] = []
    replaced_builds = 0
    for _round in range(ROUNDS):
        running = [_start(path, reports) for path in versions]
        for process in running:
            output, _ = process.communicate(timeout=120)
            assert process.returncode == 0, output
            assert "Traceback" not in output, output
            sets = {number for _lang, number in KEPT.findall(output)}
            assert len(sets) <= 1, output  # one set per build, DOCX of both languages in it
            if sets:
                replaced_builds += 1
                claimed.extend(sets)
    month = reports / "2020-08"
    names = sorted(path.name for path in month.iterdir())
    # every set a build said it kept is there, whole, and no two builds kept the same number
    assert len(claimed) == len(set(claimed)) == replaced_builds
    for number in claimed:
        for lang in ("ru", "kk"):
            assert f"2020-08-{lang}.previous-{number}.docx" in names, (number, names)
    numbers = sorted(int(n) for n in claimed)
    assert numbers == list(range(1, len(numbers) + 1))
    assert len([n for n in names if ".previous-" in n]) == 2 * replaced_builds
    # nothing of a build is left beside the folder: no staging, no lock
    assert sorted(path.name for path in reports.iterdir()) == ["2020-08"]


def test_a_build_that_waits_too_long_says_another_is_writing(tmp_path, monkeypatch) -> None:
    data_file = _version(tmp_path, "A")
    reports = tmp_path / "reports"
    with folder_lock(reports / "2020-08"):
        assert lock_path(reports / "2020-08").exists()
        process = subprocess.run(
            [sys.executable, "-m", "hearings", "build", str(data_file), "--reports",
             str(reports)], capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "HEARINGS_LANG": "en", "HEARINGS_LOCK_WAIT": "0.5"})
    assert process.returncode == 1, process.stdout + process.stderr
    assert (f"Error: {reports / '2020-08'} is being written by another command (process "
            f"{os.getpid()} on ") in process.stderr
    assert "nothing was written" in process.stderr
    assert not (reports / "2020-08").exists()


def test_many_months_beside_a_single_build(tmp_path) -> None:
    """build --all on two workers and a build of one of its months, at once, twice."""
    data = tmp_path / "all" / "data"
    data.mkdir(parents=True)
    text = SIGNED.read_text(encoding="utf-8")
    for month in range(1, 9):
        period = f"2020-{month:02d}"
        (data / f"{period}.yaml").write_text(text.replace("2020-08", period),
                                             encoding="utf-8")
    single = _version(tmp_path, "B")
    reports = tmp_path / "reports"
    for _round in range(2):
        many = subprocess.Popen(
            [sys.executable, "-m", "hearings", "build", "--all", "--data", str(data),
             "--reports", str(reports), "--force", "--jobs", "2"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        one = _start(single, reports)
        outputs = [process.communicate(timeout=300)[0] for process in (many, one)]
        for process, output in zip((many, one), outputs, strict=True):
            assert process.returncode == 0, output
            assert "Traceback" not in output
        assert outputs[0].rstrip().endswith("8 months: 8 built"), outputs[0]
    assert sorted(path.name for path in reports.iterdir()) == [
        f"2020-{month:02d}" for month in range(1, 9)]
