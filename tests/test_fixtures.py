"""Each bad-input fixture, named after the finding it must produce (`<code>` or
`<code>.<case>`), gives its exact output, its expected.txt (HEARINGS_WRITE_EXPECTED=1 writes
them again from the current output: after a change that moves lines, then read the diff)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.month.findings import KINDS

from .conftest import assert_as_kept

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "fixtures").iterdir() if p.is_dir())


def _data_file(folder: Path) -> str:
    """The fixture's monthly file (a fixture of a facts file's finding has its
    reference/facts.yaml beside it)."""
    [data_file] = [p.name for p in folder.iterdir() if p.suffix == ".yaml"]
    return data_file


def _run(folder: Path, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(folder)
    data_file = _data_file(folder)
    result = CliRunner().invoke(main, ["validate", "--strict", data_file])
    return result.exit_code, result.output


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_fixture_output_is_exact(folder: Path, monkeypatch) -> None:
    code, output = _run(folder, monkeypatch)
    assert_as_kept(output, folder / "expected.txt")
    assert f"[{folder.name.split('.')[0]}]" in output
    assert code == 1


def test_every_finding_code_has_a_fixture() -> None:
    # file-unreadable needs an unreadable file, which git cannot hold (see test_load.py);
    # period-not-over the current month, which a file cannot hold for long (test_checks.py)
    assert {p.name.split(".")[0] for p in CASES} == set(KINDS) - {"file-unreadable",
                                                                   "period-not-over"}


def test_kazakh_table_as_printed_fails_naming_every_bad_row(monkeypatch) -> None:
    folder = HERE / "kazakh-table-as-printed"
    code, output = _run(folder, monkeypatch)
    assert code == 1
    assert_as_kept(output, folder / "expected.txt")
    bad_rows = {line.split("] ")[1].split(":")[0] for line in output.splitlines()
                if "[row-total-mismatch]" in line or "[total-not-assessed]" in line}
    assert bad_rows == {"Almaty city", "Akmola Region", "Aktobe Region",
                        "East Kazakhstan Region", "Turkistan Region",
                        "Shymkent city"}
    assert "Shymkent city: the total is n/a, but some counts were assessed; they add up to 0" \
           in output
    assert "Violations in total: the summary states 43, the table adds up to 38" in output
    # the column the Kazakh table lost, once per region
    assert output.count("the key 'protocol-without-announcement' is missing") == 17


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_validate_strict_and_build_strict_agree(folder: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(folder)
    data_file = _data_file(folder)
    validated = CliRunner().invoke(main, ["validate", "--strict", data_file])
    built = CliRunner().invoke(main, ["build", "--strict", data_file, "--reports",
                                      str(tmp_path)])
    assert (validated.exit_code, built.exit_code) == (1, 1), built.output
    assert not any(tmp_path.iterdir())  # refused: nothing written


def test_a_fresh_month_is_refused_by_both_strict_commands(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "2020-09"]).exit_code == 0
    validated = CliRunner().invoke(main, ["validate", "--strict"])
    built = CliRunner().invoke(main, ["build", "--strict"])
    assert (validated.exit_code, built.exit_code) == (1, 1)
    for output in (validated.output, built.output):
        assert "[month-untouched]" in output and "[not-ready-to-sign]" in output
    assert not (tmp_path / "reports").exists()


def test_one_switch_writes_the_kept_outputs_again(tmp_path, monkeypatch) -> None:
    """Without the switch a kept output that differs fails; with it, it is written anew."""
    kept = tmp_path / "expected.txt"
    kept.write_text("2020-08.yaml:57:7: error [duplicate-key] …\n", encoding="utf-8")
    monkeypatch.delenv("HEARINGS_WRITE_GOLDEN", raising=False)
    monkeypatch.delenv("HEARINGS_WRITE_EXPECTED", raising=False)
    with pytest.raises(AssertionError):
        assert_as_kept("2020-08.yaml:58:7: error [duplicate-key] …\n", kept)
    monkeypatch.setenv("HEARINGS_WRITE_EXPECTED", "1")
    assert_as_kept("2020-08.yaml:58:7: error [duplicate-key] …\n", kept)
    assert kept.read_text(encoding="utf-8") == "2020-08.yaml:58:7: error [duplicate-key] …\n"
