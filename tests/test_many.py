"""Many months in one command: every month built on every core, a bad month reported without
stopping the others, the same bytes as one month at a time, a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.cli import main

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


def test_workers_are_replaced_in_rounds_and_every_month_is_built(archive, monkeypatch) -> None:
    """Seven months, two workers, two months each a round: four pools one after another."""
    from hearings import batch

    monkeypatch.setattr(batch, "MONTHS_PER_WORKER", 2)
    result = _run("--all", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("7 months: 7 built")
    assert len(list(Path("reports").glob("*/*-kk.docx"))) == 7
