"""Open data: `export` writes tidy CSV, XLSX and a data package that the real `frictionless
validate` accepts; read back, every figure equals the monthly file; the same bytes again; an
invalid month is named and left out."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from hearings.commands.cli import main
from hearings.month.reference import Period, reference

from .conftest import AUGUST
from .months import month_data, write_month

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
OUT = Path("reports/open-data")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """August 2020 as data/ has it, and October 2022 (20 regions, Astana)."""
    monkeypatch.chdir(tmp_path)
    Path("data").mkdir()
    shutil.copy(AUGUST, "data/2020-08.yaml")
    write_month(Path("data"), month_data("2022-10", {("astana", "backdated"): 2,
                                                     ("abai", "protocol-missing"): 1}))
    return tmp_path


def _export(*args: str):
    return CliRunner().invoke(main, ["export", *args])


def _table(name: str) -> list[dict]:
    with open(OUT / f"{name}.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _frictionless(descriptor: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", str(descriptor)],
                          capture_output=True, text=True)


def test_the_package_is_valid_for_frictionless(folder) -> None:
    result = _export()
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in OUT.iterdir()) == [
        "categories.csv", "datapackage.json", "hearings.xlsx", "placed.csv", "violations.csv"]
    done = _frictionless(OUT / "datapackage.json")
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("VALID") == 3
    # each category with its days in force, and the violations' foreign key to it
    assert [row["category"] for row in _table("categories")] == [
        c.code for c in reference().categories_in_force(Period.parse("2022-10"))]
    days = {c.code: c.validity for c in reference().categories}
    assert [(row["valid_from"], row["valid_until"]) for row in _table("categories")] == [
        (str(days[row["category"]].valid_from or ""), str(days[row["category"]].valid_until
                                                         or "")) for row in _table("categories")]


def test_august_2020_reads_back_equal_to_its_file(folder) -> None:
    assert _export().exit_code == 0
    data = yaml.safe_load(AUGUST.read_text(encoding="utf-8"))
    rows = [row for row in _table("violations") if row["period"] == "2020-08"]
    assert len(rows) == len(data["regions"]) * len(  # each of each
        reference().categories_in_force(Period.parse("2020-08")))
    for row in rows:
        typed = data["regions"][row["region"]]["violations"][row["category"]]
        if typed == "n/a":  # not assessed: empty and flagged, never 0
            assert (row["count"], row["not_assessed"]) == ("", "true")
        else:
            assert (int(row["count"]), row["not_assessed"]) == (typed, "false")
    placed = [row for row in _table("placed") if row["period"] == "2020-08"]
    assert len(placed) == len(data["regions"]) * 2
    for row in placed:
        typed = data["regions"][row["region"]][row["document"]]
        assert row["count"] == ("" if typed == "n/a" else str(typed))
    shymkent = [row for row in placed if row["region"] == "shymkent"]
    assert {row["not_assessed"] for row in shymkent} == {"true"}
    assert sum(int(r["count"]) for r in rows if r["count"]) == data["summary"]["violations"]
    assert {r["kato"] for r in rows if r["region"] == "akmola"} == {"110000000"}
    assert {(r["region_ru"], r["region_kk"]) for r in rows if r["region"] == "astana"} == {
        ("город Нур-Султан", "Нұр-Сұлтан қаласы")}


def test_each_month_has_its_own_regions_and_names(folder) -> None:
    assert _export().exit_code == 0
    rows = _table("violations")
    october = [row for row in rows if row["period"] == "2022-10"]
    in_force = reference().regions_in_force(Period.parse("2022-10"))
    assert len(october) == len(in_force) * len(reference().categories_in_force(
        Period.parse("2022-10")))
    assert {(r["region_ru"], r["region_kk"]) for r in october if r["region"] == "astana"} == {
        ("город Астана", "Астана қаласы")}
    assert not [r for r in rows if r["period"] == "2020-08" and r["region"] == "abai"]
    assert [int(r["count"]) for r in october if r["region"] == "abai"
            and r["category"] == "protocol-missing"] == [1]


def test_the_workbook_holds_the_same_tables(folder) -> None:
    assert _export().exit_code == 0
    workbook = load_workbook(OUT / "hearings.xlsx")
    assert workbook.sheetnames == ["violations", "categories", "placed"]
    for name in workbook.sheetnames:
        sheet = [["" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                  for v in row] for row in workbook[name].iter_rows(values_only=True)]
        with open(OUT / f"{name}.csv", encoding="utf-8", newline="") as stream:
            assert sheet == list(csv.reader(stream)), name


def test_the_same_months_give_the_same_bytes(folder) -> None:
    assert _export().exit_code == 0
    first = {p.name: p.read_bytes() for p in OUT.iterdir()}
    shutil.rmtree(OUT)
    assert _export().exit_code == 0
    assert {p.name: p.read_bytes() for p in OUT.iterdir()} == first
    again = _export()
    assert again.output.count(": unchanged") == 5


def test_an_invalid_month_is_named_and_left_out(folder) -> None:
    bad = Path("data/2022-10.yaml")
    bad.write_text(bad.read_text(encoding="utf-8").replace("    total: 2\n", "    total: 3\n", 1),
                   encoding="utf-8")
    result = _export()
    assert result.exit_code == 1
    assert "data/2022-10.yaml: left out of the export: it has errors" in result.output
    assert "error [row-total-mismatch]" in result.output
    assert {row["period"] for row in _table("violations")} == {"2020-08"}
    assert _frictionless(OUT / "datapackage.json").returncode == 0


def test_a_month_nobody_filled_in_is_named_and_left_out(folder) -> None:
    """`new 2020-09` beside a filled 2020-08: its zeros are no month's figures."""
    assert CliRunner().invoke(main, ["new", "2020-09"]).exit_code == 0
    result = _export()
    assert result.exit_code == 1
    assert ("data/2020-09.yaml: left out of the export: it is as `new` wrote it, nothing "
            "filled in (month-untouched)") in result.output
    assert {row["period"] for row in _table("violations")} == {"2020-08", "2022-10"}
    assert {row["period"] for row in _table("placed")} == {"2020-08", "2022-10"}
    descriptor = json.loads((OUT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["months"] == ["2020-08", "2022-10"]
    assert "2 months from 2020-08 to 2022-10" in descriptor["description"]
    assert _frictionless(OUT / "datapackage.json").returncode == 0


def test_a_month_given_twice_is_exported_once(folder) -> None:
    Path("other").mkdir()
    shutil.copy("data/2020-08.yaml", "other/2020-08.yaml")
    result = _export("2020-08", "other/2020-08.yaml")
    assert result.exit_code == 1
    assert "other/2020-08.yaml: left out of the export: data/2020-08.yaml is the same month" \
        in result.output
    assert _frictionless(OUT / "datapackage.json").returncode == 0


@pytest.mark.parametrize("edit, rule", [
    (lambda text: text.replace(",0,false\r\n", ",-1,false\r\n", 1), "constraint-error"),
    (lambda text: text + text.splitlines(keepends=True)[1], "primary-key"),
    (lambda text: text.replace(",akmola,", ",atlantis,", 1), "constraint-error"),
])
def test_frictionless_refuses_a_table_the_schema_does_not_allow(folder, edit, rule) -> None:
    """The schema's types, constraints and key are real: a broken table fails."""
    assert _export().exit_code == 0
    path = OUT / "violations.csv"
    path.write_bytes(edit(path.read_bytes().decode("utf-8")).encode("utf-8"))
    done = _frictionless(OUT / "datapackage.json")
    assert done.returncode != 0 and rule in done.stdout, done.stdout


def test_nothing_is_written_without_a_valid_month(folder) -> None:
    Path("data/2020-08.yaml").write_text("period: 2020-08\n", encoding="utf-8")
    Path("data/2022-10.yaml").unlink()
    result = _export()
    assert result.exit_code == 1 and not OUT.exists()
    assert "no valid month: nothing was written" in result.output


def test_the_csv_is_rfc_4180(folder) -> None:
    assert _export().exit_code == 0
    raw = (OUT / "placed.csv").read_bytes()
    assert raw.count(b"\r\n") == len(raw.split(b"\r\n")) - 1 and b"\n" not in raw.replace(
        b"\r\n", b"")
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
    assert next(csv.reader(io.StringIO(raw.decode("utf-8"))))[:3] == [
        "period", "region", "kato"]
