"""Month over month: the compare command and the sentence both documents carry."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents.localize import counted
from hearings.documents.parity import full_text

from .conftest import SIGNED
from .months import month_data, write_month


def _july(text: str) -> str:
    """August with two backdated announcements fewer in Akmola and two announcements fewer
    in Nur-Sultan, the summary adjusted, the backdated observation general: a valid July."""
    text = text.replace("period: 2020-08", "period: 2020-07")
    text = text.replace("  - category: backdated\n    ru:", "  - ru:")
    start = text.index("  astana:")
    text = text[:start] + text[start:].replace("    announcements: 15", "    announcements: 13", 1)
    start = text.index("  akmola:")
    end = text.index("    total: 4", start)
    text = (text[:start] + text[start:end].replace("      backdated: 2", "      backdated: 0")
            + "    total: 2" + text[end + len("    total: 4"):])
    return (text.replace("  announcements: 172 ", "  announcements: 170 ")
                .replace("  violations: 43 ", "  violations: 41 ")
                .replace("    announcements: 10\n    protocols: 33",
                         "    announcements: 8\n    protocols: 33"))


@pytest.fixture
def two_months(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SIGNED, data / "2020-08.yaml")
    (data / "2020-07.yaml").write_text(_july(SIGNED.read_text(encoding="utf-8")),
                                       encoding="utf-8")
    return data


def test_compare_prints_each_change(two_months) -> None:
    result = CliRunner().invoke(main, ["compare", "2020-07", "2020-08"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2020-07 → 2020-08"
    assert lines[2].split() == ["Nur-Sultan", "13", "→", "15", "(+2)", "13", "0"]
    assert "    Backdated: 0 → 2 (+2)" in lines
    assert lines[lines.index("    Backdated: 0 → 2 (+2)") - 1].split()[:1] == ["Akmola"]
    total = next(line for line in lines if line.startswith("total"))
    assert total.split() == ["total", "170", "→", "172", "(+2)", "124", "41", "→", "43", "(+2)"]


def test_compare_needs_both_months_valid(two_months) -> None:
    missing = CliRunner().invoke(main, ["compare", "2020-06", "2020-08"])
    # a missing file is a usage error, as in every command
    assert missing.exit_code == 2 and "data/2020-06.yaml does not exist" in missing.output
    (two_months / "2020-07.yaml").write_text(
        _july(SIGNED.read_text(encoding="utf-8")).replace("  violations: 41 ", "  violations: 40 "),
        encoding="utf-8")
    invalid = CliRunner().invoke(main, ["compare", "2020-07", "2020-08"])
    assert invalid.exit_code == 1 and "[summary-mismatch]" in invalid.output


def test_both_documents_say_how_the_total_changed(two_months) -> None:
    result = CliRunner().invoke(main, ["build", "data/2020-08.yaml"])
    assert result.exit_code == 0, result.output
    ru = full_text((two_months.parent / "reports/2020-08/2020-08-ru.docx").read_bytes())
    kk = full_text((two_months.parent / "reports/2020-08/2020-08-kk.docx").read_bytes())
    assert ("За июль 2020 года выявлено 41 нарушение, за август – 43 нарушения "
            "(на 2 больше).") in ru.splitlines()
    assert ("2020 жылғы шілде айында 41 бұзушылық анықталды, тамыз айында – "
            "43 бұзушылық (2 бұзушылыққа көп).") in kk.splitlines()


def test_an_invalid_previous_month_is_left_out_with_a_note(two_months) -> None:
    (two_months / "2020-07.yaml").write_text("period: [", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "data/2020-08.yaml"])
    assert result.exit_code == 0
    assert "note: data/2020-07.yaml has errors" in result.output
    ru = full_text((two_months.parent / "reports/2020-08/2020-08-ru.docx").read_bytes())
    assert "За июль" not in ru


RU = {"one": "нарушение", "few": "нарушения", "many": "нарушений", "other": "нарушения"}


@pytest.mark.parametrize(("count", "word"), [
    (0, "нарушений"), (1, "нарушение"), (2, "нарушения"), (4, "нарушения"), (5, "нарушений"),
    (11, "нарушений"), (12, "нарушений"), (21, "нарушение"), (22, "нарушения"),
    (111, "нарушений"), (1001, "нарушение")])
def test_russian_plural_forms(count, word) -> None:
    assert counted(count, RU, "ru") == word


def test_kazakh_noun_stays_singular_after_a_number() -> None:
    forms = {"one": "бұзушылық", "other": "бұзушылық"}
    assert {counted(n, forms, "kk") for n in (1, 2, 43)} == {"бұзушылық"}


def test_the_month_before_comes_from_the_workspace_wherever_the_file_lies(two_months) -> None:
    workspace = two_months.parent
    elsewhere = workspace / "incoming"
    elsewhere.mkdir()
    shutil.copy(two_months / "2020-08.yaml", elsewhere / "2020-08.yaml")
    for source, reports in (("data/2020-08.yaml", "a"), ("incoming/2020-08.yaml", "b")):
        result = CliRunner().invoke(main, ["build", source, "--reports", reports])
        assert result.exit_code == 0, result.output
        assert "note:" not in result.output
    for lang in ("ru", "kk"):
        a = (workspace / "a" / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
        b = (workspace / "b" / "2020-08" / f"2020-08-{lang}.docx").read_bytes()
        assert a == b
    ru = (workspace / "b" / "2020-08" / "2020-08-ru.docx").read_bytes()
    assert "За июль 2020 года выявлено 41 нарушение" in full_text(ru)


def test_without_the_month_before_the_build_says_so_every_time(two_months) -> None:
    (two_months / "2020-07.yaml").unlink()
    for _ in range(2):
        result = CliRunner().invoke(main, ["build", "data/2020-08.yaml"])
        assert result.exit_code == 0, result.output
        assert ("note: there is no data/2020-07.yaml: the reports say nothing about the month "
                "before") in result.output
    ru = full_text((two_months.parent / "reports/2020-08/2020-08-ru.docx").read_bytes())
    assert "За июль" not in ru


def test_the_month_before_can_be_named(two_months, tmp_path) -> None:
    july = tmp_path / "archive" / "2020-07.yaml"
    july.parent.mkdir()
    (two_months / "2020-07.yaml").rename(july)
    result = CliRunner().invoke(main, ["build", "data/2020-08.yaml", "--previous", str(july)])
    assert result.exit_code == 0 and "note:" not in result.output, result.output
    ru = full_text((two_months.parent / "reports/2020-08/2020-08-ru.docx").read_bytes())
    assert "За июль 2020 года выявлено 41 нарушение" in ru
    wrong = CliRunner().invoke(main, ["build", "data/2020-08.yaml", "--previous",
                                      "data/2020-08.yaml", "--reports", "other"])
    assert "is not the month before 2020-08: the comparison is left out" in wrong.output


def test_the_year_is_said_again_only_where_it_changed(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for period, count in (("2020-12", 3), ("2021-01", 2)):
        write_month(tmp_path / "data", month_data(period, {("akmola", "backdated"): count}))
    result = CliRunner().invoke(main, ["build", "data/2021-01.yaml"])
    assert result.exit_code == 0, result.output
    ru = full_text((tmp_path / "reports/2021-01/2021-01-ru.docx").read_bytes())
    kk = full_text((tmp_path / "reports/2021-01/2021-01-kk.docx").read_bytes())
    assert ("За декабрь 2020 года выявлено 3 нарушения, за январь 2021 года – 2 нарушения "
            "(на 1 меньше).") in ru.splitlines()
    assert ("2020 жылғы желтоқсан айында 3 бұзушылық анықталды, 2021 жылғы қаңтар айында – "
            "2 бұзушылық (1 бұзушылыққа аз).") in kk.splitlines()


def test_a_rebuild_refused_after_the_month_before_was_corrected_says_why(tmp_path,
                                                                       monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_month(tmp_path / "data", month_data("2023-05"))
    write_month(tmp_path / "data", month_data("2023-06", {("almaty-city", "protocol-missing"):
                                                          1}))
    assert CliRunner().invoke(main, ["build", "2023-06"]).exit_code == 0
    write_month(tmp_path / "data", month_data("2023-05", {("akmola", "backdated"): 2}))
    result = CliRunner().invoke(main, ["build", "2023-06"])
    assert result.exit_code == 1
    assert ("reports/2023-06/2023-06-ru.docx: «За май 2023 года нарушений не выявлено.» is now "
            "«За май 2023 года выявлено 2 нарушения, за июнь – 1 нарушение (на 1 меньше).»"
            ) in result.output
    assert "reports/2023-06/2023-06-kk.docx: «2023 жылғы мамыр айында" in result.output
