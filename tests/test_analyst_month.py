"""A new analyst's month, end to end: new, fill in, a mistake, the fix, build, read back."""

from __future__ import annotations

import io
import re
import shutil

from click.testing import CliRunner
from docx import Document

from hearings.commands.cli import main
from hearings.documents.parity import full_text

from .conftest import SIGNED


def _set(text: str, region: str, key: str, value: str) -> str:
    """Change one key inside one region's block, as an analyst does in an editor."""
    start = text.index(f"\n  {region}:")
    end = text.index("\n\n", start)
    block = re.sub(rf"(\n +{re.escape(key)}:) [^\n]*", rf"\1 {value}", text[start:end], count=1)
    return text[:start] + block + text[end:]


def test_a_month_from_new_to_signed_documents(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    shutil.copy(SIGNED, tmp_path / "data" / "2020-08.yaml")
    run = CliRunner().invoke

    # 1. start September: 17 regions at zero, people carried over from August
    started = run(main, ["new", "2020-09"])
    assert started.exit_code == 0, started.output
    path = tmp_path / "data" / "2020-09.yaml"
    text = path.read_text(encoding="utf-8")

    # 2. fill in: Kostanay placed 5 announcements, one less than 20 days before the hearing
    text = _set(text, "kostanay", "announcements", "5")
    text = _set(text, "kostanay", "less-than-20-days", "1")
    text = text.replace("  announcements: 0\n", "  announcements: 5\n", 1)
    text = text.replace("  violations: 0\n", "  violations: 1\n", 1)
    text = text.replace("    announcements: 0\n    protocols: 0\n\n",
                        "    announcements: 1\n    protocols: 0\n\n", 1)
    text = text.replace("observations: []", (
        "evidence:\n"
        "  - region: kostanay\n    category: less-than-20-days\n"
        "    url: https://kostanay.hearings.test.kz/announcements/17\n"
        "    seen: 2020-09-14\n    project: Тестовый проект карьера\n\n"
        "observations: []"))
    path.write_text(text, encoding="utf-8")

    # 3. the deliberate mistake: Kostanay's total was not updated
    checked = run(main, ["validate", "data/2020-09.yaml"])
    assert checked.exit_code == 1
    [mistake] = [line for line in checked.output.splitlines() if "[row-total-mismatch]" in line]
    assert "Kostanay Region: the total is 0, the violations add up to 1" in mistake
    line = int(mistake.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip() == "total: 0"

    # 4. the fix
    path.write_text(_set(text, "kostanay", "total", "1"), encoding="utf-8")
    checked = run(main, ["validate", "--strict", "data/2020-09.yaml"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip().endswith("17 regions, 5 announcements, 0 protocols, "
                                           "1 violations")

    # 5. build, and read both documents back
    built = run(main, ["build"])
    assert built.exit_code == 0, built.output
    folder = tmp_path / "reports" / "2020-09"
    ru = (folder / "2020-09-ru.docx").read_bytes()
    kk = (folder / "2020-09-kk.docx").read_bytes()
    ru_text, kk_text = full_text(ru), full_text(kk)
    assert ru_text.startswith("Анализ работы интернет-ресурсов")
    assert "за сентябрь 2020 года" in ru_text.splitlines()[0]
    assert kk_text.startswith("2020 жылғы қыркүйек айындағы")
    assert ("За август 2020 года выявлено 43 нарушения, за сентябрь – 1 нарушение "
            "(на 42 меньше).") in ru_text
    assert ("2020 жылғы тамыз айында 43 бұзушылық анықталды, қыркүйек айында – "
            "1 бұзушылық (42 бұзушылыққа аз).") in kk_text
    assert ("Объявление опубликовано менее чем за 20 календарных дней до проведения "
            "общественных слушаний (нарушение п. 12 Правил): Костанайская обл. (1).") in ru_text
    assert "Қостанай обл. (1)." in kk_text
    for data, label, region in ((ru, "Итого за сентябрь 2020 года", "Костанайская"),
                                (kk, "2020 жылғы қыркүйек бойынша барлығы", "Қостанай")):
        tables = Document(io.BytesIO(data)).tables
        rows = [[c.text.replace("\u00a0", " ") for c in row.cells] for row in tables[0].rows]
        assert rows[-1][1:] == [label, "5", "0", "1", "0", "0", "0", "0", "0", "0", "0", "1"]
        assert rows[3 + 10][1:4] == [region, "5", "0"]
        assert len(tables[-1].rows) == 2  # the appendix: header and the one entry
