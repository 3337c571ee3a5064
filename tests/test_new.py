"""`new` starts a month: the regions in force then, zeros that add up, people carried over."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.files.workspace import PACKAGED_SCHEMA
from hearings.month.load import load
from hearings.month.validate import validate_file

from .conftest import AUGUST, SIGNED
from .months import month_data, write_month


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def _new(period: str):
    return CliRunner().invoke(main, ["new", period])


@pytest.mark.parametrize(("period", "regions", "capital", "new_oblasts"), [
    ("2020-09", 17, "г. Нур-Султан", False),
    ("2022-07", 20, "г. Нур-Султан", True),
    ("2022-10", 20, "г. Астана", True),
])
def test_new_month_has_the_regions_in_force(data_dir, period, regions, capital,
                                            new_oblasts) -> None:
    result = _new(period)
    assert result.exit_code == 0, result.output
    path = data_dir / f"{period}.yaml"
    report = validate_file(path)
    # valid, not yet ready to sign: untouched, nobody named (outside 2020 the reference data
    # does not know the departments either)
    assert not report.errors, [f.message for f in report.findings]
    assert {f.code for f in report.warnings} - {"fact-left-out"} == {"month-untouched",
                                                                     "not-ready-to-sign"}
    assert report.figures["regions"] == regions
    text = path.read_text(encoding="utf-8")
    # a folder without a schema of its own: the packaged one, by its address
    assert text.startswith(f"# yaml-language-server: $schema={PACKAGED_SCHEMA.as_uri()}\n")
    assert capital in text
    assert ("abai:" in text and "zhetisu:" in text and "ulytau:" in text) == new_oblasts
    data = load(path).data
    assert data["observations"] == [] and data["closing"] == []
    assert {v for row in data["regions"].values() for v in row["violations"].values()} == {0}


def test_signatory_and_executor_come_from_the_previous_month(data_dir) -> None:
    shutil.copy(SIGNED, data_dir / "2020-08.yaml")
    result = _new("2020-10")  # September is missing: the latest month before is used
    assert "carried over from data/2020-08.yaml" in result.output
    new, old = load(data_dir / "2020-10.yaml").data, load(SIGNED).data
    assert new["signatory"] == old["signatory"] and new["executor"] == old["executor"]


def test_without_people_before_it_says_what_to_add(data_dir) -> None:
    shutil.copy(AUGUST, data_dir / "2020-08.yaml")
    result = _new("2020-09")
    assert result.exit_code == 0
    assert "add the signatory and executor before the reports are signed" in result.output
    assert "signatory" not in load(data_dir / "2020-09.yaml").data


def test_an_existing_month_is_never_overwritten(data_dir) -> None:
    shutil.copy(AUGUST, data_dir / "2020-08.yaml")
    result = _new("2020-08")
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert (data_dir / "2020-08.yaml").read_bytes() == AUGUST.read_bytes()


@pytest.mark.parametrize("period", ["2020-13", "2020-9", "august"])
def test_a_period_that_is_no_month_is_a_usage_error(data_dir, period) -> None:
    result = _new(period)
    assert result.exit_code == 2
    assert "is not a month: write it YYYY-MM, the month from 01 to 12" in result.output


def test_a_folder_with_its_own_schema_gets_it_by_a_relative_path(data_dir) -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0 and "schema/monthly.schema.json: written" in result.output
    assert (data_dir.parent / "schema" / "monthly.schema.json").read_bytes() == \
        PACKAGED_SCHEMA.read_bytes()
    assert _new("2020-09").exit_code == 0
    text = (data_dir / "2020-09.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/monthly.schema.json\n")


def test_a_month_after_the_current_one_is_created_with_a_warning(data_dir) -> None:
    result = _new("2099-01")
    assert result.exit_code == 0
    assert "warning [period-in-future] 2099-01 is after the current month" in result.output
    assert (data_dir / "2099-01.yaml").exists()


def test_a_month_the_reference_data_cannot_report_is_not_created(data_dir) -> None:
    result = _new("1999-01")
    assert result.exit_code == 1
    assert "error [fact-unknown]" in result.output and "the issuing ministry" in result.output
    assert "data/1999-01.yaml was not created" in result.output
    # only what stops it, without the lines of a file that was not written
    assert "data/1999-01.yaml:" not in result.output and "warning" not in result.output
    assert not (data_dir / "1999-01.yaml").exists()


def test_the_current_month_is_not_over_for_new_validate_and_build(data_dir) -> None:
    """On 4 December, December is not over: `new`, `validate` and `build` say so, and
    what they then do; `--strict` refuses it."""
    today = dt.date.today()
    period = f"{today.year:04d}-{today.month:02d}"
    last = (dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
            - dt.timedelta(days=1)).isoformat()
    said = (f"warning [period-not-over] {period} is not over: its last day, {last}, has not "
            "passed, and its reports would state a month not monitored to its end (--strict "
            "refuses it)")
    created = _new(period)
    assert created.exit_code == 0 and said in created.output, created.output
    assert f"data/{period}.yaml: created" in created.output
    validated = CliRunner().invoke(main, ["validate", f"data/{period}.yaml"])
    assert validated.exit_code == 0 and said in validated.output
    built = CliRunner().invoke(main, ["build", period])
    assert built.exit_code == 0 and said in built.output, built.output
    assert f"reports/{period}/{period}-ru.docx: written" in built.output
    strict = CliRunner().invoke(main, ["build", period, "--strict", "--force"])
    assert strict.exit_code == 1 and said in strict.output
    assert CliRunner().invoke(main, ["validate", "--strict", f"data/{period}.yaml"]
                              ).exit_code == 1


FORMER = {"ru": "Вице-министр экологии, геологии и природных ресурсов Республики Казахстан",
          "kk": "Қазақстан Республикасы Экология, геология және табиғи ресурстар вице-министрі"}


def test_a_signatory_of_the_former_ministry_is_a_finding_at_the_position(data_dir) -> None:
    data = month_data("2023-02")
    data["signatory"]["position"] = dict(FORMER)
    path = write_month(data_dir, data)
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if FORMER["ru"] in text)
    result = CliRunner().invoke(main, ["validate", "--strict", "data/2023-02.yaml"])
    assert result.exit_code == 1
    assert (f"data/2023-02.yaml:{line}:9: warning [signatory-ministry-former] the position "
            "names «Министерство экологии, геологии и природных ресурсов Республики Казахстан», "
            "which is not the ministry in force in 2023-02 («Министерство экологии и природных "
            "ресурсов Республики Казахстан»)") in result.output


def test_new_across_the_ministrys_renaming_writes_the_position_for_the_new_one(
        data_dir) -> None:
    data = month_data("2022-12")
    data["signatory"]["position"] = dict(FORMER)
    write_month(data_dir, data)
    result = _new("2023-02")
    assert result.exit_code == 0, result.output
    assert ("note: the ministry changed since 2022-12: the signatory's position is written "
            "for «Министерство экологии и природных ресурсов Республики Казахстан»: check it"
            ) in result.output
    position = load(data_dir / "2023-02.yaml").data["signatory"]["position"]
    assert position == {
        "ru": "Вице-министр экологии и природных ресурсов Республики Казахстан",
        "kk": "Қазақстан Республикасы Экология және табиғи ресурстар вице-министрі"}
    assert "signatory-ministry-former" not in CliRunner().invoke(
        main, ["validate", "data/2023-02.yaml"]).output
