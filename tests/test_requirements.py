"""The locks install what pyproject.toml allows, the oldest lock is its lower bounds, and CI
runs every test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# One pinned requirement of a lock: "name==version[ ; marker]", then its hashes.
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$")


def _ranges(extras: tuple[str, ...]) -> list[Requirement]:
    """The project's direct requirements: run time, the extras named, and the build backend."""
    listed = list(PROJECT["project"]["dependencies"])
    for extra in extras:
        listed += PROJECT["project"]["optional-dependencies"][extra]
    listed += PROJECT["build-system"]["requires"]
    return [Requirement(text) for text in listed]


def _pins(lock: str) -> dict[str, list[tuple[str, str | None]]]:
    """Each package of a lock with its versions, each under its marker (None: everywhere)."""
    pins: dict[str, list[tuple[str, str | None]]] = {}
    lines = (LOCKS / lock).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        found = PIN.match(line)
        if found:
            name, version, marker = found.groups()
            pins.setdefault(canonicalize_name(name), []).append((version, marker))
            assert lines[number + 1].lstrip().startswith("--hash=sha256:"), f"{lock}: {line}"
        else:
            assert not line or line.startswith(" ") or line.startswith("#"), f"{lock}: {line}"
    return pins


LOCK_EXTRAS = {"main.txt": (), "test.txt": ("test",), "oldest.txt": ("test",)}


@pytest.mark.parametrize(("lock", "extras"), LOCK_EXTRAS.items())
def test_every_direct_requirement_is_pinned_within_its_range(lock, extras) -> None:
    pins = _pins(lock)
    for requirement in _ranges(extras):
        if requirement.marker and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {requirement}"
        for version, _marker in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside {requirement}")


def test_the_build_backend_is_locked_as_pyproject_requires_it() -> None:
    listed = (LOCKS / "build.in").read_text(encoding="utf-8").splitlines()
    assert [line for line in listed if line and not line.startswith("#")] == \
        PROJECT["build-system"]["requires"]


def test_the_tool_runs_on_the_same_versions_it_is_tested_with() -> None:
    tested = _pins("test.txt")
    for name, versions in _pins("main.txt").items():
        assert tested.get(name) == versions, name


def test_the_oldest_lock_holds_each_lower_bound() -> None:
    # CI runs the tests on this lock too, so each ">=" in pyproject.toml is a tested claim.
    pins = _pins("oldest.txt")
    for requirement in _ranges(("test",)):
        [lower] = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        for version, _marker in pins[canonicalize_name(requirement.name)]:
            assert Version(version) == Version(lower), f"{requirement.name}: {version} ≠ {lower}"


def test_under_ci_a_skipped_test_fails_the_run(tmp_path) -> None:
    (tmp_path / "test_skip.py").write_text(
        "import pytest\n\n\ndef test_needs_a_tool():\n    pytest.skip('tool missing')\n")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "tests.no_skips", "-p",
               "no:cacheprovider", str(tmp_path / "test_skip.py")]
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    assert subprocess.run(command, cwd=ROOT, env=environment, capture_output=True,
                          check=False).returncode == 0
    ci = subprocess.run(command, cwd=ROOT, env={**environment, "CI": "true"},
                        capture_output=True, text=True, check=False)
    assert ci.returncode == 1 and "under CI every test must run" in ci.stdout


def test_the_manual_s_tools_are_locked_within_their_range() -> None:
    """requirements/docs.txt pins what requirements/docs.in asks for, with hashes."""
    pins = _pins("docs.txt")
    listed = [line for line in (LOCKS / "docs.in").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")]
    assert listed
    for line in listed:
        requirement = Requirement(line)
        [(version, _marker)] = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), f"docs.txt pins {line} at {version}"
