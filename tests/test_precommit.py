"""A repository of monthly files checks every commit with this repository's pre-commit hook,
through the real pre-commit, which installs the hook from this repository's HEAD."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import AUGUST, ROOT, with_people

pytestmark = pytest.mark.installs

def _git(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> tuple[Path, dict]:
    """A scratch repository of monthly files with the hook installed from HEAD."""
    head = _git("rev-parse", "HEAD", cwd=ROOT).stdout.strip()
    if _git("cat-file", "-e", f"{head}:.pre-commit-hooks.yaml", cwd=ROOT, check=False).returncode:
        pytest.fail("HEAD has no .pre-commit-hooks.yaml: commit it before this test")
    work = tmp_path_factory.mktemp("monthly-files")
    # the hook's environment gets the locked versions, as the README's set-up does
    constraints = work.parent / "constraints.txt"
    constraints.write_text("".join(  # pins without hashes: the hook installs "." as well
        line.rstrip(" \\") + "\n"
        for line in (ROOT / "requirements" / "main.txt").read_text().splitlines()
        if "==" in line), encoding="utf-8")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(work.parent / "pre-commit-home"),
                   "PIP_CONSTRAINT": str(constraints), "GIT_AUTHOR_NAME": "Analyst",
                   "GIT_AUTHOR_EMAIL": "analyst@example.kz", "GIT_COMMITTER_NAME": "Analyst",
                   "GIT_COMMITTER_EMAIL": "analyst@example.kz"}
    _git("init", "-q", cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n"
        "      - id: hearings-validate\n", encoding="utf-8")
    pre_commit = Path(sys.executable).parent / "pre-commit"
    installed = subprocess.run([str(pre_commit), "install"], cwd=work, env=environment,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return work, environment


def _commit(work: Path, environment: dict, message: str) -> subprocess.CompletedProcess:
    _git("add", "-A", cwd=work)
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=work, env=environment,
                          capture_output=True, text=True, timeout=900, check=False)


def test_a_good_month_is_committed_and_a_bad_one_refused(repository) -> None:
    work, environment = repository
    (work / "data").mkdir()
    text = with_people(AUGUST.read_text(encoding="utf-8"))  # ready to sign: --strict passes
    (work / "data" / "2020-08.yaml").write_text(text, encoding="utf-8")
    good = _commit(work, environment, "August 2020")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "hearings validate --strict" in good.stdout + good.stderr
    assert "Passed" in good.stdout + good.stderr

    akmola = text.index("  akmola:")
    bad = text[:akmola] + text[akmola:].replace("    total: 4", "    total: 5", 1)
    (work / "data" / "2020-08.yaml").write_text(bad, encoding="utf-8")
    refused = _commit(work, environment, "August 2020, a slip")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Failed" in output
    line = bad[:bad.index("    total: 5", akmola)].count("\n") + 1
    assert (f"data/2020-08.yaml:{line}:12: error [row-total-mismatch] Akmola Region: the total "
            "is 5, the violations add up to 4") in output
    assert _git("log", "--oneline", cwd=work).stdout.count("\n") == 1  # only the good commit
