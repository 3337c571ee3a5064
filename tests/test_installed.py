"""The wheel, installed into a fresh virtual environment, works in a folder outside the
repository: the monthly routine, --version, python -m, messages, a clerk's own template."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from hearings.parity import full_text

from .conftest import ROOT

pytestmark = pytest.mark.installs

def _run(*command, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)
    if check:
        assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The scripts folder of a fresh environment with the wheel and the locked dependencies."""
    work = tmp_path_factory.mktemp("installed")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", work / "dist", ROOT, cwd=work)
    [wheel] = (work / "dist").glob("hearings-*.whl")
    _run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    pip = work / "venv" / "bin" / "pip"
    _run(pip, "install", "--quiet", "--disable-pip-version-check", "--require-hashes",
         "-r", ROOT / "requirements" / "main.txt", cwd=work)
    _run(pip, "install", "--quiet", "--disable-pip-version-check", "--no-deps", wheel, cwd=work)
    return work / "venv" / "bin"


def test_the_wheel_carries_what_the_tool_reads(installed) -> None:
    [wheel] = (installed.parent.parent / "dist").glob("hearings-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"hearings/templates/ru/report.docx", "hearings/templates/kk/report.docx",
            "hearings/schema/monthly.schema.json", "hearings/reference/facts.yaml",
            "hearings/locale/ru/LC_MESSAGES/hearings.po",
            "hearings/locale/kk/LC_MESSAGES/hearings.po", "hearings/__main__.py"} <= names


def test_the_monthly_routine_in_an_empty_folder(installed, tmp_path) -> None:
    hearings = installed / "hearings"
    version = _run(hearings, "--version", cwd=tmp_path).stdout
    assert version.startswith("hearings ") and version.strip().split()[-1][0].isdigit()
    assert _run(installed / "python", "-m", "hearings", "--version", cwd=tmp_path).stdout == \
        version
    created = _run(hearings, "new", "2020-09", cwd=tmp_path).stdout
    assert "data/2020-09.yaml: created" in created
    text = (tmp_path / "data" / "2020-09.yaml").read_text(encoding="utf-8")
    schema = text.splitlines()[0].removeprefix("# yaml-language-server: $schema=file://")
    assert schema.endswith("/site-packages/hearings/schema/monthly.schema.json")
    assert Path(schema).is_file()  # the modeline names a schema that exists
    valid = _run(hearings, "validate", cwd=tmp_path).stdout
    assert "data/2020-09.yaml: valid: 2020-09, 17 regions" in valid
    russian = _run(hearings, "--lang", "ru", "validate", cwd=tmp_path).stdout  # catalogs shipped
    assert "data/2020-09.yaml: без ошибок: 2020-09, регионов – 17" in russian
    built = _run(hearings, "build", cwd=tmp_path)
    assert "reports/2020-09/2020-09-ru.docx: written" in built.stdout
    for lang in ("ru", "kk"):
        assert (tmp_path / "reports" / "2020-09" / f"2020-09-{lang}.docx").is_file()
    assert not (tmp_path / "templates").exists() and not (tmp_path / "schema").exists()


def test_a_folder_s_own_template_takes_precedence(installed, tmp_path) -> None:
    hearings = installed / "hearings"
    _run(hearings, "new", "2020-09", cwd=tmp_path)
    packaged = next(installed.parent.glob("lib/python*/site-packages/hearings/templates/ru"))
    own = tmp_path / "templates" / "ru" / "report.docx"
    own.parent.mkdir(parents=True)
    template = Document(packaged / "report.docx")
    paragraph = next(p for p in template.paragraphs if "отмечает следующее" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("отмечает следующее", "отмечает, по форме ведомства,")
    template.save(own)
    _run(hearings, "build", cwd=tmp_path)
    ru = (tmp_path / "reports" / "2020-09" / "2020-09-ru.docx").read_bytes()
    kk = (tmp_path / "reports" / "2020-09" / "2020-09-kk.docx").read_bytes()
    assert "отмечает, по форме ведомства," in full_text(ru)
    assert "мыналарды атап өтеді" in full_text(kk)  # no own Kazakh template: the packaged one
    assert Document(io.BytesIO(ru)).tables  # still a whole report
