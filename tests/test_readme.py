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


@pytest.mark.parametrize("routine", ROUTINES, ids=["english", "russian"])
def test_the_routine_runs_as_written_in_a_fresh_clone(tmp_path, routine) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    began = time.monotonic()
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", SETUP + "\n" + routine],
                          cwd=clone, capture_output=True, text=True, timeout=1200, check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    assert (clone / "reports" / "2020-08" / "2020-08-ru.docx").is_file()  # the set-up's build
    written = {path.name for path in (clone / "reports" / "2020-09").iterdir()
               if not path.name.startswith(".")}
    assert written == {"2020-09-ru.docx", "2020-09-kk.docx", "2020-09-ru.pdf", "2020-09-kk.pdf"}
    assert (clone / "data" / "2020-09.yaml").is_file()
    print(f"\nset-up and routine in a fresh clone: {time.monotonic() - began:.1f} s")
