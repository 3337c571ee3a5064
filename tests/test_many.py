"""Many months in one command: every month built on every core, a bad month reported without
stopping the others, the same bytes as one month at a time, a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main

from .conftest import ROOT
from .months import month_data, write_month

PERIODS = ("2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09", "2022-10")


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """Seven valid months of 2022 (the new oblasts in June, Astana in September)."""
    monkeypatch.chdir(tmp_path)
    for number, period in enumerate(PERIODS):
        write_month(Path("data"), month_data(period, {("astana", "backdated"): number,
                                                      ("akmola", "protocol-missing"): 1}))
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def test_all_months_are_built_and_each_says_what_it_wrote(archive) -> None:
    result = _run("--all", "--jobs", "2")
    assert result.exit_code == 0, result.output
    for period in PERIODS:
        for lang in ("ru", "kk"):
            assert f"reports/{period}/{period}-{lang}.docx: written" in result.output
    assert result.output.rstrip().endswith("7 months: 7 built")


def test_a_bad_month_is_reported_and_the_others_are_built(archive) -> None:
    bad = Path("data/2022-06.yaml")
    bad.write_text(bad.read_text(encoding="utf-8").replace(
        "    total: 2\n", "    total: 5\n", 1), encoding="utf-8")  # Astana's row
    result = _run("2022-05", "2022-06", "2022-07", "--jobs", "2")
    assert result.exit_code == 1
    assert "data/2022-06.yaml: invalid" in result.output
    assert "data/2022-06.yaml: nothing was written" in result.output
    assert result.output.rstrip().endswith(
        "3 months: 2 built; not built: data/2022-06.yaml")
    assert not Path("reports/2022-06").exists()
    for period in ("2022-05", "2022-07"):
        assert sorted(p.name for p in Path("reports", period).glob("*.docx")) == [
            f"{period}-kk.docx", f"{period}-ru.docx"]


def test_a_month_that_may_not_be_replaced_is_not_built_and_the_others_are(archive) -> None:
    assert _run("2022-04", "2022-05").exit_code == 0
    write_month(Path("data"), month_data("2022-05", {("akmola", "backdated"): 4}))
    result = _run("2022-04", "2022-05", "2022-06")  # 2022-05 changed: --force is needed
    assert result.exit_code == 1
    assert "data/2022-05.yaml: not built: these reports exist with other content" in result.output
    assert "reports/2022-06/2022-06-ru.docx: written" in result.output
    assert "reports/2022-04/2022-04-ru.docx: unchanged" in result.output


def test_several_months_give_the_same_bytes_as_one_at_a_time(archive) -> None:
    assert _run("--all", "--reports", "together").exit_code == 0
    for period in PERIODS:
        assert _run(period, "--reports", "alone").exit_code == 0
    for path in Path("alone").rglob("*.docx"):
        assert path.read_bytes() == (Path("together") / path.relative_to("alone")).read_bytes()


def test_json_lists_every_month_in_order(archive) -> None:
    Path("data/2022-08.yaml").write_text("period: 2022-08\n", encoding="utf-8")
    result = _run("--all", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert [Path(month["file"]).stem for month in report["months"]] == list(PERIODS)
    assert [month["valid"] for month in report["months"]] == [
        period != "2022-08" for period in PERIODS]


@pytest.mark.parametrize("args, said", [
    (("2022-04", "2022-05", "--previous", "2022-03"), "--previous is for one month"),
    (("2022-04", "--all"), "give months or --all, not both"),
])
def test_options_that_do_not_go_with_several_months(archive, args, said) -> None:
    result = _run(*args)
    assert result.exit_code == 2 and said in result.output


def test_a_terminal_sees_a_progress_bar_and_then_the_months_in_order(archive) -> None:
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--all"],
                          cwd=archive, stdout=subprocess.PIPE, stderr=follower, text=True,
                          env={**os.environ, "COLUMNS": "80"})
    os.close(follower)
    shown = os.read(leader, 65536).decode()
    os.close(leader)
    assert done.returncode == 0
    assert "Building" in shown and "100%" in shown  # click's bar, on the terminal
    periods = [line.split("/")[1] for line in done.stdout.splitlines()
               if line.startswith("reports/") and line.endswith("-ru.docx: written")]
    assert periods == list(PERIODS)


@pytest.mark.system  # worker processes and their pools
def test_workers_are_replaced_in_rounds_and_every_month_is_built(archive, monkeypatch) -> None:
    """Seven months, two workers, two months each a round: four pools one after another."""
    from hearings.files import batch

    monkeypatch.setattr(batch, "MONTHS_PER_WORKER", 2)
    result = _run("--all", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("7 months: 7 built")
    assert len(list(Path("reports").glob("*/*-kk.docx"))) == 7


@pytest.mark.system  # how many LibreOffice processes start
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_many_months_start_libreoffice_once_per_share(archive, libreoffice_runs) -> None:
    """Seven months with PDFs, one worker here: all fourteen DOCX in one LibreOffice run."""
    runs = libreoffice_runs
    result = _run("--all", "--jobs", "1", "--pdf")
    assert result.exit_code == 0, result.output
    assert len(runs) == 1 and sum(arg.endswith(".docx") for arg in runs[0]) == 14
    assert len(list(Path("reports").glob("*/*.pdf"))) == 14
    again = _run("--all", "--jobs", "1", "--pdf")  # nothing to convert: no run at all
    assert again.exit_code == 0 and len(runs) == 1


@pytest.mark.system
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_ctrl_c_stops_the_workers_and_says_what_was_built(archive, tmp_path) -> None:
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) during build --all
    --pdf: the workers stop, their LibreOffice with them; every month folder holds a whole
    pair or nothing; the last lines name the months not built."""
    for month in range(1, 10):  # more months, so that the interrupt comes mid-way
        write_month(Path("data"), month_data(f"2023-{month:02d}", {("akmola", "backdated"): 1,
                                                                  ("abai", "backdated"): 2}))
    work = tmp_path / "tmp"
    work.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--all", "--jobs", "2", "--pdf"],
        cwd=archive, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "TMPDIR": str(work)})
    first = process.stdout.readline()  # the first month is done
    assert first, process.stderr.read()
    began = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    output, errors = process.communicate(timeout=120)
    stopped = time.monotonic() - began
    assert process.returncode == 130, errors
    assert "Traceback" not in errors and "Traceback" not in output
    [said] = [line for line in errors.splitlines() if line.startswith("interrupted")]
    not_built = said.removeprefix("interrupted: not built: ").split(", ")
    assert not_built and all(name.startswith("data/") for name in not_built)
    # the first line may be a month that was not written (its PDF failed on a loaded machine)
    reports = list(Path("reports").iterdir()) if Path("reports").exists() else []
    built = {path.name for path in reports if not path.name.startswith(".")}
    assert {Path(name).stem for name in not_built}.isdisjoint(built), (output, errors)
    for month in built:
        assert sorted(p.name for p in Path("reports", month).glob("*.docx")) == [
            f"{month}-kk.docx", f"{month}-ru.docx"]
    assert not [p for p in reports if p.name.startswith(".")]
    assert not list(work.iterdir())  # no LibreOffice work folder left
    left = subprocess.run(["pgrep", "-f", str(work)], capture_output=True, text=True).stdout
    assert not left.strip(), left  # no LibreOffice left running
    print(f"\nCtrl-C to exit: {stopped:.2f} s, {len(built)} months built before it")
