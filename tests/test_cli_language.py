"""The command line as a user meets it: every word of it in the chosen language, help and
click's own messages included, and one convention for arguments and exit codes."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main

from .conftest import ROOT, SIGNED

COMMANDS = [[], ["validate"], ["build"], ["compare"], ["new"], ["schema"], ["export"],
            ["year"], ["facts"], ["import"], ["lsp"], ["translated"]]
# What may stay Latin in Russian or Kazakh help: names the user types or reads as they are.
NAMES = re.compile(r"(--?[\w-]+|\[[a-z|]+\]|[\w./-]*/[\w./-]*|\b[A-Z][A-Z_]+\b|`[^`]*`|"
                   r"\bhearings\b|\bmain\b|\b(?:DOCX|DOC|PDF|LibreOffice|Word|YAML|YYYY|MM|en|ru|kk)\b|"
                   r"\b(?:CSV|XLSX|Frictionless|stdio)\b|"
                   # the commands, and defaults typed as they are
                   r"\b(?:build|compare|new|schema|validate|export|year|facts|import|lsp|tally|translated|data|reports|text|json|github)\b|"
                   r"\bx>=0\b|\b\d{4}-\d{2}\b)")


def _invoke(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] if c else "hearings")
def test_every_help_is_in_the_chosen_language(command, lang) -> None:
    result = _invoke("--lang", lang, *command, "--help")
    assert result.exit_code == 0, result.output
    words = re.findall(r"[A-Za-z]{3,}", NAMES.sub(" ", result.output))
    assert not words, f"English left in the {lang} help of {command}: {words}"
    assert re.search("[а-яәғқңөұүһі]{4}", result.output)


@pytest.mark.parametrize(("args", "russian"), [
    # (click 8.1 and 8.5 word it apart: "…: --nope" and "… '--nope'.")
    (["--lang", "ru", "validate", "--nope"], "Ошибка: Нет такого параметра"),
    (["validate", "--lang", "ru", "--nope"], "Ошибка: Нет такого параметра"),
    (["--lang", "ru", "build", "--keep", "-1"], "Неверное значение"),
    (["--lang", "ru", "new", "2020-13"], "'2020-13' – не месяц: пишите ГГГГ-ММ"),
])
def test_click_s_own_errors_are_in_the_chosen_language(args, russian) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert russian in result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_the_language_can_come_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke("validate", str(SIGNED), env={"HEARINGS_LANG": "kk"})
    assert result.output.startswith(f"{SIGNED}: қатесіз: 2020-08, өңірлер – 17")


def test_libyaml_s_words_are_in_the_chosen_language() -> None:
    broken = ROOT / "tests" / "fixtures" / "yaml-syntax" / "2020-08.yaml"
    result = _invoke("--lang", "ru", "validate", str(broken))
    opened = broken.read_text(encoding="utf-8").split("\n").index("    protocols: [7") + 1
    assert ("нет ожидаемой ',' или ']' (в списке в скобках [...], начатом в строке "
            f"{opened})") in result.output


@pytest.mark.parametrize("command", [["validate", "2020-06"], ["build", "2020-06"],
                                     ["compare", "2020-06", "2020-08"],
                                     ["build", "2020-08", "--previous", "2020-06"]])
def test_a_missing_file_is_a_usage_error_in_every_command(command, tmp_path,
                                                          monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2020-08.yaml").write_bytes(SIGNED.read_bytes())
    result = _invoke(*command)
    assert result.exit_code == 2
    assert "data/2020-06.yaml does not exist" in result.output


def test_months_and_paths_are_both_accepted(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "months").mkdir()
    (tmp_path / "months" / "2020-08.yaml").write_bytes(SIGNED.read_bytes())
    by_month = _invoke("validate", "--data", "months", "2020-08")
    by_path = _invoke("validate", "months/2020-08.yaml")
    assert by_month.exit_code == by_path.exit_code == 0
    assert by_month.output == by_path.output
    built = _invoke("build", "--data", "months", "2020-08", "--format", "json")
    assert built.exit_code == 0 and '"status": "written"' in built.output
