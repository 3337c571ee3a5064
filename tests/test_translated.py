"""Translations that fell behind, over a month's life: written in Russian, translated and
marked, the Russian changed, flagged (validate --strict and the editor), translated again,
clear."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from lsprotocol import types as lsp

from hearings.month.translated import digest

from .months import month_data, write_month
from .test_lsp import Session, _apply


def _hearings(folder: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "hearings", "--lang", "en", *args],
                          cwd=folder, capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout + done.stderr


def _findings(folder: Path) -> list[dict]:
    _code, out = _hearings(folder, "validate", "--strict", "--format", "json", "2020-08")
    return json.loads(out)["files"][0]["findings"]


def test_a_translation_over_a_months_life(tmp_path) -> None:
    data = month_data("2020-08", observations=[
        {"ru": "Сайт управления был недоступен три дня.",
         "kk": "Басқарманың сайты үш күн бойы қолжетімсіз болды."}])
    path = write_month(tmp_path / "data", data)
    code, out = _hearings(tmp_path, "translated", "2020-08")
    assert code == 0
    assert out.count(": not marked") == 2  # the observation and the closing
    code, out = _hearings(tmp_path, "translated", "2020-08", "--mark")
    assert "2 texts marked as translated from ru" in out and out.count(": current") == 2
    assert _findings(tmp_path) == []
    # the Russian observation changes after the Kazakh one was translated
    text = path.read_text(encoding="utf-8")
    changed = text.replace("три дня", "пять дней")
    path.write_text(changed, encoding="utf-8")
    [finding] = _findings(tmp_path)
    assert finding["code"] == "translation-outdated"
    assert finding["path"] == "$.observations[0].kk"
    ru_line = next(i for i, line in enumerate(changed.split("\n"), 1) if "пять дней" in line)
    assert f"the ru text (line {ru_line}) changed" in finding["message"]
    code, _out = _hearings(tmp_path, "validate", "--strict", "2020-08")
    assert code == 1
    code, out = _hearings(tmp_path, "translated", "2020-08")
    assert code == 1
    assert "observations[0] «Сайт управления был недоступен пять дней. …»: outdated" in out

    # the editor says so on the Kazakh text's line, and offers to mark it once translated
    async def session():
        async with Session("en") as s:
            diagnostics = await s.open(path, changed)
            [diagnostic] = [d for d in diagnostics if d.code == "translation-outdated"]
            retranslated = changed.replace("үш күн", "бес күн")
            await s.change(path, retranslated, 2)
            actions = await s.client.text_document_code_action_async(lsp.CodeActionParams(
                lsp.TextDocumentIdentifier(path.as_uri()), diagnostic.range,
                lsp.CodeActionContext(diagnostics=[diagnostic])))
            return diagnostic, retranslated, actions
    diagnostic, retranslated, actions = asyncio.run(session())
    assert diagnostic.range.start.line + 1 == finding["line"]
    [action] = actions
    fixed = _apply(retranslated, action.edit.changes[path.as_uri()])
    assert f"digest: {digest('Сайт управления был недоступен пять дней.')}" in fixed
    path.write_text(fixed, encoding="utf-8")
    assert _findings(tmp_path) == []


def test_refolding_a_text_changes_no_digest() -> None:
    assert digest("Работа в данном\n  направлении продолжается.") == digest(
        "Работа в данном направлении продолжается.")
    assert digest("Работа продолжается.") != digest("Работа продолжена.")


def test_a_text_on_one_line_in_braces_is_not_marked_but_said_why(tmp_path) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))
    text = path.read_text(encoding="utf-8")
    start = text.index("closing:")
    end = text.index("\n", text.index("kk:", start))
    path.write_text(text[:start] + "closing:\n- {ru: Работа продолжается., kk: Жұмыс жалғасуда.}"
                    + text[end:], encoding="utf-8")
    before = path.read_bytes()
    code, out = _hearings(tmp_path, "translated", "2020-08", "--mark")
    assert code == 1
    assert "cannot be marked; write it on lines of its own" in out
    assert path.read_bytes() == before
