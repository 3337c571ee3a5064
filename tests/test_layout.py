"""What a signer sees on page 1: the table with its totals row, in an ordinary month with the
comparison sentence, with 17 regions and with 20, in both languages (LibreOffice's PDF)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hearings.report import build
from hearings.workspace import Workspace

from .conftest import SIGNED
from .months import month_data, write_month
from .test_compare import _july

TOTALS = {"ru": "Итого за", "kk": "бойынша барлығы"}


def _page_one(pdf) -> str:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
@pytest.mark.parametrize("regions", [17, 20])
def test_the_table_and_its_totals_stay_on_page_one(tmp_path, regions) -> None:
    data = tmp_path / "data"
    if regions == 17:
        data.mkdir()
        shutil.copy(SIGNED, data / "2020-08.yaml")
        (data / "2020-07.yaml").write_text(_july(SIGNED.read_text(encoding="utf-8")),
                                           encoding="utf-8")
        month = "2020-08"
    else:
        write_month(data, month_data("2022-09", {("akmola", "backdated"): 2}))
        write_month(data, month_data("2022-10", {
            ("astana", "rubric-mismatch"): 1, ("almaty-city", "protocol-missing"): 2,
            ("abai", "protocol-missing"): 1, ("ulytau", "placement-date-missing"): 3}))
        month = "2022-10"
    outcome = build(data / f"{month}.yaml", tmp_path / "reports", pdf=True,
                    workspace=Workspace(tmp_path))
    assert not outcome.notes  # the month before is there: the comparison sentence is printed
    for lang, label in TOTALS.items():
        text = _page_one(tmp_path / "reports" / month / f"{month}-{lang}.pdf")
        assert label in text, f"{regions} regions, {lang}: the totals row is not on page 1"
        assert ("За " in text and "года выявлено" in text) if lang == "ru" else "анықталды" in text
