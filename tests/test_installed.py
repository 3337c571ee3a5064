"""The wheel, installed into a fresh virtual environment, works in a folder outside the
repository: the monthly routine, --version, python -m, messages, a clerk's own template."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document

from hearings.documents.parity import full_text

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
            "hearings/reference/archive.yaml",
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


def test_this_month_made_ready_to_sign_with_the_folder_s_own_facts(installed, tmp_path) -> None:
    """The month signed today, by the installed tool in an empty folder: `new` names the facts
    nobody has entered; with them in the folder's reference/facts.yaml (and the month filled
    in and signed), validate --strict passes and build --strict --pdf writes both reports,
    which cite the folder's clauses and departments."""
    from .months import month_data, write_month
    from .test_facts import CLAUSES_286, DEPARTMENTS_2026

    hearings = installed / "hearings"
    created = _run(hearings, "new", "2026-11", cwd=tmp_path).stdout
    assert "not known for 2026-11, to be added to reference/facts.yaml" in created
    assert "the departments whose websites are monitored" in created
    assert "the clauses of the Rules (№ 286 (2024))" in created
    assert "site-packages" not in created  # the folder's file is named, never the package's
    (tmp_path / "data" / "2026-11.yaml").unlink()
    write_month(tmp_path / "data", month_data("2026-11", {
        ("astana", "less-than-20-days"): 2, ("abai", "protocol-missing"): 1}))
    refused = _run(hearings, "validate", "--strict", cwd=tmp_path, check=False)
    assert refused.returncode == 1 and "[fact-left-out]" in refused.stdout
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "facts.yaml").write_text(CLAUSES_286 + DEPARTMENTS_2026,
                                                       encoding="utf-8")
    valid = _run(hearings, "validate", "--strict", cwd=tmp_path).stdout
    assert "reference/facts.yaml: valid" in valid
    built = _run(hearings, "build", "--strict", "--pdf", cwd=tmp_path).stdout
    month = tmp_path / "reports" / "2026-11"
    for name in ("2026-11-ru.docx", "2026-11-kk.docx", "2026-11-ru.pdf", "2026-11-kk.pdf"):
        assert f"reports/2026-11/{name}: written" in built
    ru = full_text((month / "2026-11-ru.docx").read_bytes())
    assert "(нарушение п. 9 Правил): г. Астана (2)." in ru
    assert "территориальных управлений экологии и природопользования" in ru
    pdf = _run("pdftotext", "-layout", month / "2026-11-kk.pdf", "-", cwd=tmp_path).stdout
    assert "Қағидалардың 22-тармағын" in re.sub(r"-\s+", "-", " ".join(pdf.split()))


def test_the_archive_imported_and_the_editor_served_by_the_installed_tool(installed,
                                                                          tmp_path) -> None:
    from .word_reports import source_pair

    source_pair(tmp_path / "archive")
    hearings = installed / "hearings"
    imported = _run(hearings, "import", "archive", cwd=tmp_path, check=False)
    assert imported.returncode == 1, imported.stderr  # the source's Kazakh table
    assert "1 month imported, 0 refused" in imported.stdout
    assert "[column-missing]" in imported.stdout
    assert (tmp_path / "data" / "2020-08.yaml").exists()
    # the language server answers initialize and shuts down, from the wheel alone
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}'
    ending = (b'{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}',
              b'{"jsonrpc": "2.0", "method": "exit"}')
    stream = b"".join(b"Content-Length: %d\r\n\r\n" % len(m) + m for m in (body, *ending))
    done = subprocess.run([str(hearings), "lsp"], input=stream, capture_output=True,
                          timeout=60, cwd=tmp_path)
    assert b'"name": "hearings"' in done.stdout and b'"hoverProvider": true' in done.stdout, \
        done.stderr
