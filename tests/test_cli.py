"""The validate and schema commands: exit codes, output formats, defaults."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.commands.process import THRESHOLDS

from .conftest import ROOT, SIGNED

FIXTURES = ROOT / "tests" / "fixtures"


def _line_of(path: Path, block: str, key: str) -> int:
    """The line of the first `key` after the line that starts `block` (a region's row, say)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(block))
    return next(i for i in range(start, len(lines)) if lines[i].startswith(key)) + 1


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_valid_file_exits_0_with_one_summary_line() -> None:
    result = _invoke("validate", "--strict", str(SIGNED))
    assert result.exit_code == 0
    assert result.output == (f"{SIGNED}: valid: 2020-08, 17 regions, 172 announcements, "
                             "124 protocols, 43 violations\n")


def test_strict_can_let_named_warnings_pass() -> None:
    august = ROOT / "data" / "2020-08.yaml"  # the source names no signatory: two warnings
    assert _invoke("validate", "--strict", str(august)).exit_code == 1
    allowed = _invoke("validate", "--strict", "--allow", "not-ready-to-sign", str(august))
    assert allowed.exit_code == 0
    assert allowed.output.count("warning [not-ready-to-sign]") == 2  # said, not hidden
    assert "(invalid with --strict)" not in allowed.output
    wrong = _invoke("validate", "--allow", "row-total-mismatch", str(august))
    assert wrong.exit_code == 2  # only warnings can be let pass


def test_invalid_file_exits_1() -> None:
    result = _invoke("validate", str(FIXTURES / "row-total-mismatch" / "2020-08.yaml"))
    assert result.exit_code == 1
    assert "[row-total-mismatch]" in result.output


def test_warnings_pass_unless_strict() -> None:
    path = str(FIXTURES / "mixed-script" / "2020-08.yaml")
    assert _invoke("validate", path).exit_code == 0
    strict = _invoke("validate", "--strict", path)
    assert strict.exit_code == 1
    assert strict.output.endswith("1 warning (invalid with --strict)\n")


def test_usage_errors_exit_2() -> None:
    assert _invoke("validate", "no-such-month.yaml").exit_code == 2
    assert _invoke("validate", "--format", "xml", str(SIGNED)).exit_code == 2
    assert _invoke("validate", str(ROOT / "data")).exit_code == 2


def test_defaults_to_every_file_in_data(tmp_path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    shutil.copy(FIXTURES / "period-mismatch" / "2020-09.yaml", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = _invoke("validate")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "data/2020-08.yaml: valid: 2020-08, 17 regions, 172 announcements, 124 protocols, "
        "43 violations",
        "data/2020-09.yaml:8:9: error [period-mismatch] the period is 2020-08, but the file is "
        "named 2020-09.yaml ($.period)",
        "data/2020-09.yaml: invalid: 1 error, 0 warnings",
    ]


def test_no_files_at_all_is_a_usage_error(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke("validate")
    assert result.exit_code == 2
    assert "no monthly files given and none in data" in result.output


def test_json_output_carries_every_field() -> None:
    result = _invoke("validate", "--format", "json",
                     str(FIXTURES / "row-total-mismatch" / "2020-08.yaml"))
    report = json.loads(result.output)
    assert report["valid"] is False
    [finding] = report["files"][0]["findings"]
    line = _line_of(FIXTURES / "row-total-mismatch" / "2020-08.yaml", "  akmola:", "    total:")
    assert finding == {
        "code": "row-total-mismatch",
        "severity": "error",
        "message": "Akmola Region: the total is 5, the violations add up to 4",
        "file": str(FIXTURES / "row-total-mismatch" / "2020-08.yaml"),
        "line": line,
        "column": 12,
        "path": "$.regions.akmola.total",
        "region": "Akmola Region",
        "category": None,
        "expected": 4,
        "found": 5,
        "hint": None,
    }


def test_github_output_is_workflow_annotations(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES / "count-exceeds-placed")
    result = _invoke("validate", "--format", "github", "2020-08.yaml")
    first = result.output.splitlines()[0]
    line = _line_of(FIXTURES / "count-exceeds-placed" / "2020-08.yaml", "  zhambyl:",
                    "      placement-date-missing:")
    assert first.startswith(f"::warning file=2020-08.yaml,line={line},col=31,"
                            "title=count-exceeds-placed::Zhambyl Region › ")
    strict = _invoke("validate", "--format", "github", "--strict", "2020-08.yaml")
    assert strict.output.startswith("::error ")


def test_schema_file_is_up_to_date() -> None:
    result = _invoke("schema", "--check")
    assert result.exit_code == 0, result.output


def _process(code: str, *args: str, cwd: Path = ROOT):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


RUN = ("import atexit, gc, sys\n"
       "atexit.register(lambda: print('exit handler ran', gc.get_threshold(), file=sys.stderr))\n"
       "from hearings.commands.process import run\n"
       "assert 'hearings.commands.cli' not in sys.modules\n"
       "run(prog_name='hearings')\n")


def test_the_process_ends_with_its_exit_code_its_output_and_its_exit_handlers(tmp_path):
    """The command line ends its process at once when the command is done: every line
    written out (piped, not a terminal), the exit code kept, the exit handlers run."""
    valid = _process(RUN, "validate", str(SIGNED))
    assert valid.returncode == 0 and "valid: 2020-08" in valid.stdout
    # the cycle collector's full passes set to wait before the command's imports began
    assert f"exit handler ran {THRESHOLDS}" in valid.stderr
    many = tmp_path / "data"
    many.mkdir()
    broken = (FIXTURES / "period-mismatch" / "2020-09.yaml").read_text(encoding="utf-8")
    for month in range(1, 13):  # a few kB of findings, through a pipe
        (many / f"2021-{month:02d}.yaml").write_text(broken, encoding="utf-8")
    invalid = _process(RUN, "validate", "--data", str(many), cwd=tmp_path)
    in_process = CliRunner().invoke(main, ["validate", "--data", str(many)])
    assert invalid.returncode == 1 == in_process.exit_code
    assert invalid.stdout == in_process.output and invalid.stdout.count("\n") > 12
    assert "exit handler ran" in invalid.stderr
    wrong = _process(RUN, "--no-such-option")
    assert wrong.returncode == 2 and "No such option" in wrong.stderr
