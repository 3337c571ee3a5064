"""A folder's own categories: "protocol placed late" added from 2026-07-01 and "rubric-mismatch"
retired from the same day, in the folder's reference/categories.yaml. August 2020 builds as
without them, byte for byte; July 2026 has the new columns in both languages (table,
narrative with its clause from the folder's facts, chart, schema, editor); compare, the
year and the open data show a category a month lacks as not applicable, never as 0."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from hearings.commands.cli import main
from hearings.documents.chart import read_chart
from hearings.documents.parity import full_text
from hearings.editor.assist import completions
from hearings.files.workspace import Workspace
from hearings.month.reference import Period

from .conftest import ROOT
from .months import month_data, write_month

CATEGORIES = """\
# yaml-language-server: $schema=../schema/categories.schema.json
# The monitoring's own columns from July 2026 (test entries, not acts).
categories:
  - code: protocol-placed-late
    valid_from: 2026-07-01
    source: a test entry, not an act
    group: protocols
    bounded_by: protocols
    header: {ru: Размещён позднее срока, kk: Мерзімінен кеш орналастырылды, en: Placed late}
    label:
      ru: Протокол, размещённый позднее срока
      kk: Мерзімінен кеш орналастырылған хаттама
    name:
      ru: Размещение протокола позднее установленного срока
      kk: Хаттаманы белгіленген мерзімнен кеш орналастыру
    sentence:
      ru:
        one: Протокол общественных слушаний размещён позднее установленного срока
        many: Протоколы общественных слушаний размещены позднее установленного срока
      kk:
        one: Қоғамдық тыңдаулар хаттамасы белгіленген мерзімнен кеш орналастырылды
        many: Қоғамдық тыңдаулар хаттамалары белгіленген мерзімнен кеш орналастырылды
  - code: rubric-mismatch
    valid_until: 2026-06-30
    source: a test entry, not an act
"""
FACTS = """\
clauses:
  - edition: order-286-2024
    source: a test entry, not an act
    protocol-placed-late: {ru: нарушение п. 99 Правил, kk: Қағидалардың 99-тармағын бұзу}
"""
NEW, RETIRED = "protocol-placed-late", "rubric-mismatch"
LATE = {("akmola", NEW): 2, ("aktobe", NEW): 1, ("karaganda", NEW): 3,
        ("atyrau", "less-than-20-days"): 1}


def _run(*args: str):
    return CliRunner().invoke(main, ["--lang", "en", *args])


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A folder with its own categories and facts, August 2020, June and July 2026."""
    root = tmp_path_factory.mktemp("own")
    (root / "reference").mkdir()
    (root / "reference" / "categories.yaml").write_text(CATEGORIES, encoding="utf-8")
    (root / "reference" / "facts.yaml").write_text(FACTS, encoding="utf-8")
    (root / "data").mkdir()
    shutil.copy(ROOT / "tests" / "signed" / "2020-08.yaml", root / "data")
    ref = Workspace(root).facts().reference
    write_month(root / "data", month_data("2026-06", {("akmola", RETIRED): 1,
                                                      ("aktobe", "backdated"): 2}, ref=ref))
    write_month(root / "data", month_data("2026-07", LATE, ref=ref))
    return root


def test_august_2020_builds_byte_identically(folder, tmp_path, monkeypatch) -> None:
    bare = tmp_path / "bare"
    (bare / "data").mkdir(parents=True)
    shutil.copy(folder / "data" / "2020-08.yaml", bare / "data")
    built = {}
    for where in (folder, bare):
        monkeypatch.chdir(where)
        result = _run("build", "2020-08", "--force")
        assert result.exit_code == 0, result.output
        built[where] = {lang: (where / "reports" / "2020-08" / f"2020-08-{lang}.docx")
                        .read_bytes() for lang in ("ru", "kk")}
    assert built[folder] == built[bare]


def test_july_2026_has_the_new_columns_in_both_languages(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = _run("build", "2026-07", "--force")
    assert result.exit_code == 0, result.output
    for lang, header, old, clause in (
            ("ru", "Размещён позднее срока", "рубрики", "нарушение п. 99 Правил"),
            ("kk", "Мерзімінен кеш орналастырылды", "айдарының", "Қағидалардың 99-тармағын")):
        path = folder / "reports" / "2026-07" / f"2026-07-{lang}.docx"
        document = Document(str(path))
        headers = [cell.text for cell in document.tables[0].rows[2].cells]
        assert header in headers
        assert not [text for text in headers if old in text]
        assert len(set(headers[4:-1])) == 8  # four of each group
        text = full_text(path.read_bytes())
        sentence = {"ru": "Протоколы общественных слушаний размещены позднее установленного "
                          "срока",
                    "kk": "Қоғамдық тыңдаулар хаттамалары белгіленген мерзімнен кеш "
                          "орналастырылды"}[lang]
        assert f"{sentence} ({clause}" in text
        labels, series = read_chart(path.read_bytes())
        assert len(labels) == 20
        assert dict(series)[{"ru": "Протоколы", "kk": "Хаттамалар"}[lang]][2:4] == [2, 1]
    # June still has the retired column, and not the new one
    assert _run("build", "2026-06", "--force").exit_code == 0
    june = Document(str(folder / "reports" / "2026-06" / "2026-06-ru.docx"))
    headers = [cell.text for cell in june.tables[0].rows[2].cells]
    assert "Размещён позднее срока" not in headers and any("рубрики" in h for h in headers)


def test_the_schema_and_the_editor_know_the_month_s_columns(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    assert _run("schema").exit_code == 0
    schema = json.loads((folder / "schema" / "monthly.schema.json").read_text("utf-8"))
    counts = schema["$defs"]["region"]["properties"]["violations"]["properties"]
    assert NEW in counts and RETIRED in counts  # each month's own are checked by validate
    assert (folder / "schema" / "categories.schema.json").is_file()
    text = (folder / "data" / "2026-07.yaml").read_text("utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == "backdated: 0")
    lines[at] = "      "
    offered = {item.label for item in completions(
        "\n".join(lines), at, 6, Workspace(Path(".")).facts().reference)}
    assert offered == {"backdated"}  # the only one of July's missing from the row
    lines[at] = "      backdated: 0"
    block = [i for i, line in enumerate(lines) if line.strip().startswith(NEW)]
    lines[block[0]] = "      "
    offered = {item.label for item in completions(
        "\n".join(lines), block[0], 6, Workspace(Path(".")).facts().reference)}
    assert offered == {NEW}


def test_validate_names_a_column_not_in_force(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    july = (folder / "data" / "2026-07.yaml").read_text("utf-8")
    bad = folder / "data" / "bad" / "2026-07.yaml"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text(july.replace(f"      {NEW}: 2\n", f"      {RETIRED}: 2\n", 1), "utf-8")
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    assert "[category-not-in-force]" in result.output
    assert "in force until 2026-06-30" in result.output
    assert "[missing-key] Akmola Region › Placed late: the key 'protocol-placed-late' is " \
        "missing" in result.output
    shutil.rmtree(bad.parent)


def test_compare_shows_what_a_month_lacks_as_not_applicable(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = _run("compare", "2026-06", "2026-07")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # a region's line only where the month that has the column has findings in it
    assert [line.strip() for line in lines if line.startswith("    Placed late:")] == [
        "Placed late: – → 2", "Placed late: – → 1", "Placed late: – → 3"]
    assert [line.strip() for line in lines if line.startswith("    Section") and ":" in line] == [
        'Section "Public hearings" not as approved: 1 → –']
    totals = [line.split() for line in lines if line.startswith("    Placed late ")]
    assert [words[-3:] for words in totals] == [["–", "→", "6"]]
    assert "– Placed late: not applicable in 2026-06, the category is in force from " \
           "2026-07-01" in lines
    assert any(line.startswith("– Section") and "not applicable in 2026-07" in line
               for line in lines)


def test_the_year_names_the_days_of_a_partial_category(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = _run("year", "2026", "--partial", "--force")
    assert result.exit_code == 0, result.output
    for lang, late, rubric in (("ru", "(с 01.07.2026)", "(по 30.06.2026)"),
                               ("kk", "(01.07.2026 бастап)", "(30.06.2026 дейін)")):
        document = Document(str(folder / "reports" / "2026" / f"2026-{lang}.docx"))
        [table] = [t for t in document.tables if "Всего" in t.rows[-1].cells[0].text
                   or "Барлық" in t.rows[-1].cells[0].text]
        names = {row.cells[0].text.replace("\xa0", " "): row.cells[-1].text
                 for row in table.rows}
        [new] = [name for name in names if name.endswith(late)]
        [old] = [name for name in names if name.endswith(rubric)]
        assert (names[new], names[old]) == ("6", "1")


def test_the_open_data_carries_each_category_s_days(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = _run("export", "data/2026-06.yaml", "data/2026-07.yaml")
    assert result.exit_code == 0, result.output
    out = folder / "reports" / "open-data"
    with open(out / "categories.csv", encoding="utf-8", newline="") as stream:
        days = {row["category"]: (row["valid_from"], row["valid_until"])
                for row in csv.DictReader(stream)}
    assert days[NEW] == ("2026-07-01", "") and days[RETIRED] == ("", "2026-06-30")
    with open(out / "violations.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert not [r for r in rows if r["period"] == "2026-06" and r["category"] == NEW]
    assert not [r for r in rows if r["period"] == "2026-07" and r["category"] == RETIRED]
    frictionless = Path(sys.executable).parent / "frictionless"
    done = subprocess.run([str(frictionless), "validate", str(out / "datapackage.json")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_facts_lists_the_month_s_columns_with_their_origin(folder, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    result = _run("facts", "2026-07")
    assert result.exit_code == 0, result.output
    assert "categories (8), the table's columns:" in result.output
    assert "from reference/categories.yaml, in force from 2026-07-01; source: a test entry" \
        in result.output
    assert "рубрики" not in result.output.split("categories (8)")[1]
    assert _run("facts", "2026-06").output.count("Размещён позднее срока") == 0


def test_a_broken_categories_file_stops_every_build(folder, tmp_path, monkeypatch) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken, ignore=shutil.ignore_patterns("reports"))
    own = broken / "reference" / "categories.yaml"
    own.write_text(own.read_text("utf-8").replace("group: protocols", "group: portal"), "utf-8")
    monkeypatch.chdir(broken)
    result = _run("build", "2026-07", "--force")
    assert result.exit_code == 1
    assert "reference/categories.yaml:7:12: error [categories-group-unknown]" in result.output
    assert "nothing was done until they are fixed" in result.output
    assert not (broken / "reports" / "2026-07").exists()


def test_the_readme_s_example_is_a_valid_categories_file(tmp_path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A folder's own categories")[1]
    example = section.split("```yaml\n")[1].split("```")[0]
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "categories.yaml").write_text(example, encoding="utf-8")
    facts = Workspace(tmp_path).facts()
    assert not facts.categories_report.findings
    july = {c.code for c in facts.reference.categories_in_force(Period.parse("2026-07"))}
    june = {c.code for c in facts.reference.categories_in_force(Period.parse("2026-06"))}
    assert july - june == {NEW} and june - july == {RETIRED}


def test_new_writes_the_month_s_own_columns(folder, tmp_path, monkeypatch) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("reports"))
    monkeypatch.chdir(copy)
    result = _run("new", "2026-08")
    assert result.exit_code == 0, result.output
    text = (copy / "data" / "2026-08.yaml").read_text(encoding="utf-8")
    assert text.count(f"      {NEW}: 0\n") == 20 and RETIRED not in text
    june = _run("new", "2026-05")  # before the change: the package's eight
    assert june.exit_code == 0, june.output
    text = (copy / "data" / "2026-05.yaml").read_text(encoding="utf-8")
    assert text.count(f"      {RETIRED}: 0\n") == 20 and NEW not in text
