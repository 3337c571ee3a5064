"""Months other than August 2020, exactly: none found, one found, 20 regions, the latest Rules.

HEARINGS_WRITE_EXPECTED=1 rewrites the golden texts from the current build (then read the diff).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.parity import full_text
from hearings.month.load import load

from .conftest import ROOT, SIGNED, assert_as_kept
from .months import month_data, write_month

GOLDEN = ROOT / "tests" / "golden"
MONTHS = {
    # no violations, after August 2020's 43: both say so in words
    "2020-09": month_data("2020-09"),
    # one finding: the sentence in the singular, the other group "not found"
    "2021-02": month_data("2021-02", {("kostanay", "less-than-20-days"): 1}),
    # 20 regions, Astana again; order No. 286, whose clauses nobody has entered
    "2022-10": month_data("2022-10", {
        ("astana", "rubric-mismatch"): 1, ("almaty-city", "protocol-missing"): 2,
        ("abai", "protocol-missing"): 1, ("ulytau", "placement-date-missing"): 3,
        ("zhetisu", "less-than-20-days"): 2, ("shymkent", "rubric-mismatch"): 1},
        not_assessed=("shymkent",)),
    # the ministry renamed in 2023, the Rules restated in 2024
    "2024-05": month_data("2024-05", {
        ("akmola", "backdated"): 2, ("pavlodar", "protocol-without-announcement"): 1,
        ("karaganda", "protocol-without-announcement"): 4,
        ("turkestan", "survey-period-missing"): 1}, placed=(21, 11)),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Each month built in a workspace of its own, 2020-09 beside the signed August."""
    texts = {}
    for period, data in MONTHS.items():
        workspace = tmp_path_factory.mktemp(period)
        if period == "2020-09":
            (workspace / "data").mkdir()
            shutil.copy(SIGNED, workspace / "data" / "2020-08.yaml")
        write_month(workspace / "data", data)
        before = Path.cwd()
        os.chdir(workspace)  # the workspace's data/ holds the month before
        try:
            result = CliRunner().invoke(main, ["build", f"data/{period}.yaml"])
        finally:
            os.chdir(before)
        assert result.exit_code == 0, result.output
        texts[period] = {lang: full_text((workspace / "reports" / period
                                          / f"{period}-{lang}.docx").read_bytes(),
                                         no_break=True)
                         for lang in ("ru", "kk")}
    return texts


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("period", MONTHS)
def test_full_text_is_the_golden_text(built, period, lang) -> None:
    assert_as_kept(built[period][lang], GOLDEN / f"{period}-{lang}.txt")


def test_a_new_2023_month_names_the_ministry_and_rules_of_its_date(tmp_path,
                                                                   monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    assert CliRunner().invoke(main, ["new", "2023-03"]).exit_code == 0
    # filled in: one missing protocol in Almaty
    path = tmp_path / "data" / "2023-03.yaml"
    data = load(path).data
    filled = month_data("2023-03", {("almaty-city", "protocol-missing"): 1})
    assert set(data["regions"]) == set(filled["regions"])
    write_month(tmp_path / "data", {**data, **{k: filled[k] for k in ("summary", "regions")}})
    result = CliRunner().invoke(main, ["build", str(path)])
    assert result.exit_code == 0, result.output
    texts = {lang: full_text((tmp_path / "reports" / "2023-03" / f"2023-03-{lang}.docx")
                             .read_bytes()) for lang in ("ru", "kk")}
    assert texts["ru"].splitlines()[1].startswith(
        "Министерство экологии и природных ресурсов Республики Казахстан, проведя")
    assert texts["kk"].splitlines()[1].startswith(
        "Қазақстан Республикасы Экология және табиғи ресурстар министрлігі мемлекеттік")
    assert "от 3 августа 2021 года № 286 (далее – Правила)" in texts["ru"]
    assert "2021 жылғы 3 тамыздағы № 286 бұйрығымен" in texts["kk"]
    # the 2019-2022 name of the ministry is left only in the 2021 order's citation
    assert "Министерство экологии, геологии" not in texts["ru"]
    assert "Экология, геология және табиғи ресурстар министрлігі" not in texts["kk"]
    for text in texts.values():
        assert "135-п" not in text and "Нур-Султан" not in text and "Нұр-Сұлтан" not in text
    # what the reference data lacks for March 2023 is said, not borrowed
    assert "[fact-left-out]" in result.output
    assert "Протокол общественных слушаний на сайте отсутствует: г. Алматы (1)." in texts["ru"]



def test_a_month_whose_ministry_is_not_known_is_not_built(tmp_path) -> None:
    path = write_month(tmp_path / "data", month_data("2019-02"))
    result = CliRunner().invoke(main, ["build", str(path), "--reports",
                                       str(tmp_path / "reports")])
    assert result.exit_code == 1
    assert "error [fact-unknown]" in result.output and "the issuing ministry" in result.output
    # named by the file of the folder worked in, never by a path inside the package
    assert "to reference/facts.yaml" in result.output and "hearings/reference" not in result.output
    assert "    ministry:\n      - valid_from: 2019-02-01\n" in result.output  # what to paste
    assert not (tmp_path / "reports").exists()
