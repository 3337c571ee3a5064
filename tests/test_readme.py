"""The README's commands, as written, in a fresh clone: the set-up that builds the latest
month, then each monthly routine pasted into the same shell."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"<!-- test: run in a fresh clone( after the set-up)? -->\n```sh\n(.*?)```",
                    README, re.S)
[SETUP] = [block for after, block in BLOCKS if not after]
ROUTINES = [block for after, block in BLOCKS if after]

pytestmark = pytest.mark.installs


def test_the_readme_has_its_set_up_and_two_routines() -> None:
    assert SETUP.startswith("python3 -m venv .venv") and "build.py build" in SETUP
    assert len(ROUTINES) == 2 and all("hearings" in routine for routine in ROUTINES)


def test_the_routines_run_as_written_one_after_the_other_in_a_fresh_clone(tmp_path) -> None:
    """The set-up, the English routine (September), then the Russian one (October), pasted
    into one shell in one folder, as a user would."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    began = time.monotonic()
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c",
                           "\n".join([SETUP, *ROUTINES])],
                          cwd=clone, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert (clone / "reports" / "2020-08" / "2020-08-ru.docx").is_file()  # the set-up's build
    for month in ("2020-09", "2020-10"):
        written = {path.name for path in (clone / "reports" / month).iterdir()
                   if not path.name.startswith(".")}
        assert written == {f"{month}-{lang}.{kind}" for lang in ("ru", "kk")
                           for kind in ("docx", "pdf")}
        assert (clone / "data" / f"{month}.yaml").is_file()
    assert "2020-09 → 2020-10" in done.stdout  # the Russian routine compares its month
    print(f"\nset-up and both routines in a fresh clone: {time.monotonic() - began:.1f} s")
