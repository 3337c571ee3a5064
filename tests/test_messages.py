"""Messages exist in English, Russian and Kazakh alike, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.i18n import LOCALE_DIR, language_from_environment, set_language
from hearings.month.findings import KINDS, Finding
from hearings.month.validate import validate_file

from .conftest import ROOT

KAZAKH_TABLE = ROOT / "tests" / "kazakh-table-as-printed" / "2020-08.yaml"


def _in_code() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "hearings", method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
        found.add(message)
    return found


def _catalog(lang: str):
    path = (LOCALE_DIR / "hearings.pot" if lang == "template"
            else LOCALE_DIR / lang / "LC_MESSAGES" / "hearings.po")
    with path.open("rb") as stream:
        return read_po(stream, locale=None if lang == "template" else lang)


def _fields(text: str) -> set:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:  # not a template: libyaml's "did not find expected ',' or '}'"
        return {"(not a template)"}


@pytest.mark.parametrize("lang", ["template", "ru", "kk"])
def test_catalog_holds_exactly_the_messages_of_the_code(lang) -> None:
    in_catalog = {m.id for m in _catalog(lang) if m.id}
    assert in_catalog == _in_code(), (
        "run pybabel extract/update (see the .po header) and translate")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_message_is_translated_with_the_same_placeholders(lang) -> None:
    catalog = _catalog(lang)
    assert not catalog.fuzzy
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == catalog.num_plurals if message.pluralizable else len(strings) == 1
        for text in strings:
            assert text.strip(), f"{lang}: no translation for {ids[0]!r}"
            assert _fields(text) == _fields(ids[0]), f"{lang}: placeholders of {ids[0]!r}"


@pytest.fixture
def restore_language():
    yield
    set_language("en")


def test_the_same_findings_in_three_languages(restore_language) -> None:
    reports = {}
    for lang in ("en", "ru", "kk"):
        set_language(lang)
        reports[lang] = validate_file(KAZAKH_TABLE)
    places = {lang: [(f.file, f.line, f.column, f.code, f.json_path) for f in r.findings]
              for lang, r in reports.items()}
    assert places["en"] == places["ru"] == places["kk"]
    for en, ru, kk in zip(*(r.findings for r in reports.values()), strict=True):
        assert len({en.message, ru.message, kk.message}) == 3, en.message
    first = {lang: r.findings[0].message for lang, r in reports.items()}
    assert first == {
        "en": "Violations in total: the summary states 43, the table adds up to 38",
        "ru": "Всего нарушений: в сводке 43, а по таблице 38",
        "kk": "Барлық бұзушылықтар: жиынтықта 43, ал кесте бойынша 38",
    }
    assert reports["kk"].findings[4].region == "Алматы қаласы"
    assert reports["ru"].findings[4].region == "город Алматы"


@pytest.mark.parametrize(("lang", "summary"), [
    ("en", "2020-08.yaml: invalid: 26 errors, 1 warning"),
    ("ru", "2020-08.yaml: есть ошибки: 26 ошибок, 1 предупреждение"),
    ("kk", "2020-08.yaml: қателер бар: 26 қате, 1 ескерту"),
])
def test_summary_line_in_each_language(lang, summary, monkeypatch, restore_language) -> None:
    monkeypatch.chdir(KAZAKH_TABLE.parent)
    result = CliRunner().invoke(main, ["--lang", lang, "validate", "2020-08.yaml"])
    assert result.output.splitlines()[-1] == summary


def test_command_line_errors_in_the_chosen_language(tmp_path, monkeypatch,
                                                    restore_language) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2020-09.yaml").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "ru", "new", "2020-09"])
    assert result.exit_code == 1
    assert "data/2020-09.yaml уже существует; он оставлен как есть" in result.output


@pytest.mark.parametrize(("environment", "lang"), [
    ({"LANG": "kk_KZ.UTF-8"}, "kk"),
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LC_ALL": "ru_RU.UTF-8", "LANG": "kk_KZ.UTF-8"}, "ru"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({}, "en"),
])
def test_language_defaults_from_the_environment(environment, lang) -> None:
    assert language_from_environment(environment) == lang


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("code", KINDS)
def test_no_message_says_none(code, lang) -> None:
    # every placeholder given, but the names and figures a finding may lack left out
    fields = {name for _, name, _, _ in string.Formatter().parse(KINDS[code].template) if name}
    params = {name: "x" for name in fields - {"region", "category", "expected", "found"}}
    for path in ((), ("regions", "kostanai"), ("regions", "akmola", "violations", "backdate")):
        finding = Finding(code, "f.yaml", 1, 1, path, params=params, language=lang)
        assert "None" not in finding.message, finding.message


def _click_messages() -> list:
    import click

    return [message for _file, _line, message, _comments, _context in extract_from_dir(
        Path(click.__file__).parent, method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)})]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_click_s_own_messages_are_all_translated(lang) -> None:
    # click's words (usage, errors, the help option) for the installed click, whatever its
    # version: a new message in a new click fails here until click.po has it
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "click.po").open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    for message in _click_messages():
        singular = message if isinstance(message, str) else message[0]
        entry = catalog.get(singular)
        assert entry is not None and entry.string, f"{lang}: click's {singular!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert text.strip()
            assert set(re.findall(r"%\(\w+\)s", text)) == set(
                re.findall(r"%\(\w+\)s", singular))
            if "{" in singular:
                assert _fields(text) <= _fields(singular) | _fields(
                    message[1] if isinstance(message, tuple) else singular), (lang, singular)
