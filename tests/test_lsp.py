"""`hearings lsp` driven over stdio by a real LSP client (pygls's): diagnostics at the line
and column `validate` gives, in three languages, the quick fixes, hover in a 2019, a 2022-10
and a 2026 month; and by Neovim's own client, headless."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from hearings.commands.cli import main
from hearings.i18n import language, set_language

from .conftest import ROOT
from .months import month_data, write_month


class Session:
    """One server process, one client, the diagnostics it published by document."""

    def __init__(self, locale: str | None = None, **env: str) -> None:
        self.locale = locale
        self.env = env
        self.client = LanguageClient("hearings-tests", "1")
        self.published: dict[str, asyncio.Queue] = {}
        self.versions: dict[str, list] = {}  # the version of each publication, in order

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams) -> None:
            self.versions.setdefault(params.uri, []).append(params.version)
            self.published.setdefault(params.uri, asyncio.Queue()).put_nowait(
                params.diagnostics)

    async def __aenter__(self) -> Session:
        env = {**{k: v for k, v in os.environ.items() if k != "HEARINGS_LANG"}, **self.env}
        await self.client.start_io(sys.executable, "-m", "hearings", "lsp", env=env)
        await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), locale=self.locale))
        self.client.initialized(lsp.InitializedParams())
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def open(self, path: Path, text: str | None = None) -> list[lsp.Diagnostic]:
        uri = path.as_uri()
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "yaml", 1, text if text is not None
                                 else path.read_text(encoding="utf-8"))))
        return await self.diagnostics(uri)

    async def change(self, path: Path, text: str, version: int) -> list[lsp.Diagnostic]:
        uri = path.as_uri()
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri),
            [lsp.TextDocumentContentChangeWholeDocument(text)]))
        return await self.diagnostics(uri)

    async def diagnostics(self, uri: str) -> list[lsp.Diagnostic]:
        queue = self.published.setdefault(uri, asyncio.Queue())
        return await asyncio.wait_for(queue.get(), 30)


def _run(coroutine):
    return asyncio.run(coroutine)


def _validate(folder: Path, path: Path, lang: str = "en") -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "hearings", "--lang", lang, "validate",
                           "--format", "json", str(path)], cwd=folder, capture_output=True,
                          text=True)
    return json.loads(done.stdout)["files"][0]["findings"]


def _broken(folder: Path) -> Path:
    """A month with a row total off, the summary off and a mixed-script word."""
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["regions"]["kostanay"]["total"] = 3
    data["summary"]["violations"] = 5
    data["closing"] = [{**data["closing"][0],
                        "ru": "Работа в данном направлении продолжаeтся."}]  # a Latin e
    return write_month(folder / "data", data)


@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ru-RU", "ru"), ("kk", "kk")])
def test_every_finding_is_a_diagnostic_where_validate_puts_it(tmp_path, locale, lang) -> None:
    path = _broken(tmp_path)
    expected = _validate(tmp_path, path, lang)

    async def session():
        async with Session(locale) as s:
            return await s.open(path)
    diagnostics = _run(session())
    got = sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.message)
                 for d in diagnostics)
    assert got == sorted((f["code"], f["line"], f["column"], f["message"]) for f in expected)
    assert {d.code for d in diagnostics} >= {"row-total-mismatch", "summary-mismatch",
                                             "mixed-script"}
    severities = {d.code: d.severity for d in diagnostics}
    assert severities["row-total-mismatch"] == lsp.DiagnosticSeverity.Error
    assert severities["mixed-script"] == lsp.DiagnosticSeverity.Warning


def test_the_editors_text_is_checked_not_the_file_on_disk(tmp_path) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))
    text = path.read_text(encoding="utf-8")

    async def session():
        async with Session("en") as s:
            first = await s.open(path)
            lines = text.split("\n")
            row = _line_of(text, "less-than-20-days: 0", after="kostanay:")
            lines[row] = "      less-than-20-days: 1"
            typed = "\n".join(lines)
            second = await s.change(path, typed, 2)
            third = await s.change(path, text, 3)
            return first, second, third
    first, second, third = _run(session())
    assert [d.code for d in first] == [] and [d.code for d in third] == []
    # the row, the violations in total and those by announcements
    assert sorted(d.code for d in second) == ["row-total-mismatch", "summary-mismatch",
                                              "summary-mismatch"]


FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").iterdir()
                  if p.is_dir() and p.name != "not-utf8")  # an editor holds text, not bytes


@pytest.mark.parametrize(("locale", "lang"), [("en", "en"), ("ru", "ru"), ("kk-KZ", "kk")])
def test_every_finding_code_of_the_fixtures_as_a_diagnostic(locale, lang, monkeypatch) -> None:
    """Each fixture's monthly file opened in the editor: its findings at validate's line and
    column, in the client's language (the schema's too, as HEARINGS_LSP_SCHEMA=1 shows)."""
    files = [next(p for p in folder.iterdir() if p.suffix == ".yaml") for folder in FIXTURES]

    async def session():
        async with Session(locale, HEARINGS_LSP_SCHEMA="1") as s:
            return [await s.open(path, path.read_bytes().decode("utf-8", "replace"))
                    for path in files]
    published = _run(session())
    seen, wanted = set(), set()
    before = language()
    for path, diagnostics in zip(files, published, strict=True):
        monkeypatch.chdir(path.parent)
        try:
            result = CliRunner().invoke(main, ["--lang", lang, "validate", "--format", "json",
                                               path.name])
        finally:  # --lang sets the process's language: the next tests speak English
            set_language(before)
        expected = [f for file in json.loads(result.output)["files"]
                    for f in file["findings"] if Path(f["file"]).name == path.name]
        got = sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.message)
                     for d in diagnostics)
        assert got == sorted((f["code"], f["line"], f["column"], f["message"])
                             for f in expected), path.parent.name
        seen |= {d.code for d in diagnostics}
        code = path.parent.name.split(".")[0]
        if any(f["code"] == code for f in expected):
            wanted.add(code)
    assert seen >= wanted and len(wanted) >= 40, sorted(wanted - seen)


def _apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        start, end = edit.range.start, edit.range.end
        before = lines[start.line][:start.character]
        after = lines[end.line][end.character:]
        lines[start.line:end.line + 1] = (before + edit.new_text + after).split("\n")
    return "\n".join(lines)


def _ask(path: Path, text: str, request: str, params):
    """One request of the client's (by its pygls method) about the text opened at path."""
    async def session():
        async with Session("en") as s:
            await s.open(path, text)
            return await getattr(s.client, request)(params)
    return _run(session())


def _fix(path: Path, text: str, line: int) -> list[lsp.CodeAction]:
    return _ask(path, text, "text_document_code_action_async", lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(path.as_uri()),
        lsp.Range(lsp.Position(line, 0), lsp.Position(line, 200)),
        lsp.CodeActionContext(diagnostics=[]))) or []


def _line_of(text: str, needle: str, after: str = "") -> int:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i])


def test_quick_fixes_set_a_total_the_summary_and_a_mistyped_key(tmp_path) -> None:
    path = _broken(tmp_path)
    text = path.read_text(encoding="utf-8")
    line = _line_of(text, "total: 3", after="kostanay:")
    [action] = _fix(path, text, line)
    assert action.title == "Set it to 2, what the table adds up to"
    fixed = _apply(text, action.edit.changes[path.as_uri()])
    assert fixed.split("\n")[line] == "    total: 2"
    line = _line_of(fixed, "violations: 5")
    [action] = _fix(path, fixed, line)
    fixed = _apply(fixed, action.edit.changes[path.as_uri()])
    typo = fixed.replace("      backdated: 0", "      bakdated: 0", 1)
    line = _line_of(typo, "bakdated")
    [action] = _fix(path, typo, line)
    assert action.title == "Replace 'bakdated' by 'backdated'"
    assert _apply(typo, action.edit.changes[path.as_uri()]) == fixed
    path.write_text(fixed, encoding="utf-8")
    assert {f["code"] for f in _validate(tmp_path, path)} == {"mixed-script"}


def test_a_quick_fix_adds_a_missing_region_at_zero(tmp_path) -> None:
    data = month_data("2022-10", placed={})
    del data["regions"]["ulytau"]
    path = write_month(tmp_path / "data", data)
    text = path.read_text(encoding="utf-8")
    line = _line_of(text, "regions:")
    [action] = _fix(path, text, line)
    fixed = _apply(text, action.edit.changes[path.as_uri()])
    assert yaml.safe_load(fixed)["regions"]["ulytau"]["total"] == 0
    path.write_text(fixed, encoding="utf-8")
    # what remains is the departments after 2020, which the reference data does not know
    assert {f["code"] for f in _validate(tmp_path, path)} == {"fact-left-out"}


def test_no_fix_guesses_a_count(tmp_path) -> None:
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["regions"]["kostanay"]["protocols"] = 0  # count-exceeds-placed is no certain fix
    data["regions"]["kostanay"]["announcements"] = 1
    path = write_month(tmp_path / "data", data)
    text = path.read_text(encoding="utf-8")
    line = _line_of(text, "less-than-20-days: 2")
    assert _fix(path, text, line) == []


@pytest.mark.parametrize(("period", "word", "says"), [
    ("2019-05", "astana", "город Нур-Султан"),
    ("2019-02", "astana", "город Астана"),
    ("2022-10", "astana", "город Астана"),
    ("2022-10", "abai", "область Абай"),
    ("2019-05", "abai", "abai: not in force in 2019-05"),
    ("2026-11", "less-than-20-days", "Менее чем за 20 дней"),
    ("2020-08", "less-than-20-days", "п. 12"),
])
def test_hover_knows_the_month(tmp_path, period, word, says) -> None:
    path = write_month(tmp_path / "data", month_data(period))
    text = path.read_text(encoding="utf-8")
    if word == "abai" and period == "2019-05":
        text = text.replace("regions:\n", "regions:\n  abai: {}\n", 1)
    line = _line_of(text, f"  {word}:")
    character = text.split("\n")[line].index(word) + 1

    hover = _ask(path, text, "text_document_hover_async", lsp.HoverParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(line, character)))
    assert says in hover.contents.value


NVIM = shutil.which("nvim")

NVIM_SCRIPT = r"""
-- Debian's Neovim (0.7): start_client and buf_attach_client, the choice of a code action
-- through vim.ui.select, which this test answers with the first one
local out = vim.env.OUT
local client = vim.lsp.start_client({name = 'hearings',
  cmd = {vim.env.PYTHON, '-m', 'hearings', 'lsp'}, root_dir = vim.env.ROOT})
vim.lsp.buf_attach_client(0, client)
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end
local function wait_for(code, line)
  return vim.wait(30000, function()
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if code_of(d) == code and (line == nil or d.lnum == line) then return true end
    end
    return false
  end, 100)
end
local lines = {}
local function record(label)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(lines, label .. ' ' .. code_of(d) .. ' ' .. (d.lnum + 1) .. ':' .. (d.col + 1))
  end
end
local ok = wait_for('summary-mismatch')
table.insert(lines, 'opened ' .. tostring(ok))
record('open')
-- the analyst types a wrong total: the row is underlined as she types
local row = tonumber(vim.env.ROW)
vim.api.nvim_buf_set_lines(0, row, row + 1, false, {'    total: 7'})
ok = wait_for('row-total-mismatch', row)
table.insert(lines, 'typed ' .. tostring(ok))
record('typed')
-- the quick fix through the editor
vim.ui.select = function(items, _, on_choice) on_choice(items[1], 1) end
vim.api.nvim_win_set_cursor(0, {row + 1, 11})
vim.lsp.buf.code_action()
vim.wait(10000, function()
  return vim.api.nvim_buf_get_lines(0, row, row + 1, false)[1] ~= '    total: 7' end, 100)
table.insert(lines, 'fixed ' .. vim.api.nvim_buf_get_lines(0, row, row + 1, false)[1])
vim.fn.writefile(lines, out)
vim.cmd('qa!')
"""


@pytest.mark.skipif(NVIM is None and not os.environ.get("CI"), reason="Neovim not installed")
def test_neovim_underlines_a_row_total_as_it_is_typed_and_applies_the_fix(tmp_path) -> None:
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["summary"]["violations"] = 3
    path = write_month(tmp_path / "data", data)
    text = path.read_text(encoding="utf-8")
    row = _line_of(text, "total: 2", after="kostanay:")
    script = tmp_path / "test.lua"
    script.write_text(NVIM_SCRIPT, encoding="utf-8")
    out = tmp_path / "out.txt"
    env = {**os.environ, "OUT": str(out), "PYTHON": sys.executable, "ROOT": str(tmp_path),
           "ROW": str(row), "HEARINGS_LANG": "en"}
    done = subprocess.run([NVIM, "--headless", "--clean", str(path), "-c", f"luafile {script}"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
                          stdin=subprocess.DEVNULL)
    assert out.exists(), done.stdout + done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "opened true" in lines and "typed true" in lines, lines
    assert f"typed row-total-mismatch {row + 1}:12" in lines, lines
    assert "open summary-mismatch" in " ".join(lines)
    assert lines[-1] == "fixed     total: 2"


EMACS = shutil.which("emacs")


@pytest.mark.skipif(EMACS is None and not os.environ.get("CI"), reason="Emacs not installed")
def test_emacs_eglot_underlines_a_row_total_as_it_is_typed_and_applies_the_fix(tmp_path) -> None:
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["summary"]["violations"] = 3
    path = write_month(tmp_path / "data", data)
    row = _line_of(path.read_text(encoding="utf-8"), "total: 2", after="kostanay:")
    out = tmp_path / "out.txt"
    env = {**os.environ, "OUT": str(out), "PYTHON": sys.executable, "FILE": str(path),
           "ROW": str(row), "HEARINGS_LANG": "en"}
    done = subprocess.run([EMACS, "--batch", "-q", "-l",
                           str(ROOT / "tests" / "editor" / "eglot.el")],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
                          stdin=subprocess.DEVNULL)
    assert out.exists(), done.stdout + done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "managed t"
    assert any(line.startswith("open 5 hearings [summary-mismatch]") for line in lines), lines
    assert f"typed {row + 1} hearings [row-total-mismatch]: Kostanay Region: the total is 7, " \
        "the violations add up to 2" in lines, lines
    assert lines[-2:] == ["actions 1", "fixed     total: 2"]


def _complete(path: Path, text: str, line: int, character: int) -> list[str]:
    result = _ask(path, text, "text_document_completion_async", lsp.CompletionParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(line, character)))
    return [item.label for item in result.items]


def test_completion_offers_what_fits_the_month(tmp_path) -> None:
    data = month_data("2022-10", {("kostanay", "backdated"): 1})
    del data["regions"]["ulytau"]
    path = write_month(tmp_path / "data", data)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    # a new key under regions: only the region in force that has no row
    row = _line_of(text, "  astana:")
    typed = "\n".join([*lines[:row], "  ", *lines[row:]])
    assert _complete(path, typed, row, 2) == ["ulytau"]
    # a category under a row's violations: those the row lacks
    at = _line_of(text, "      backdated: 1", after="kostanay:")
    short = "\n".join([*lines[:at], "      ", *lines[at + 1:]])
    assert _complete(path, short, at, 6) == ["backdated"]
    # an observation's category: one with findings this month
    end = _line_of(text, "observations:")
    typed = "\n".join([*lines[:end], "observations:", "  - category: ",
                       *lines[end + 1:]]).replace("observations: []", "observations:")
    assert _complete(path, typed, end + 1, len("  - category: ")) == ["backdated"]


YAMLLS = ROOT / "tests" / "editor" / "node_modules" / "yaml-language-server" / "bin" / \
    "yaml-language-server"


@pytest.mark.skipif((NVIM is None or not YAMLLS.exists()) and not os.environ.get("CI"),
                    reason="Neovim or yaml-language-server (npm ci --prefix tests/editor) "
                           "not installed")
def test_both_servers_at_once_say_each_problem_once(tmp_path) -> None:
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["regions"]["kostanay"]["total"] = 3
    path = write_month(tmp_path / "data", data)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    key = _line_of(text, "backdated: 0", after="kostanay:")
    lines[key] = lines[key].replace("backdated", "bakdated")
    schema = (ROOT / "schema" / "monthly.schema.json").resolve().as_uri()
    path.write_text(f"# yaml-language-server: $schema={schema}\n" + "\n".join(lines),
                    encoding="utf-8")
    out = tmp_path / "out.txt"
    env = {**os.environ, "OUT": str(out), "PYTHON": sys.executable, "ROOT": str(tmp_path),
           "YAMLLS": str(YAMLLS), "KEY": str(key + 1), "HEARINGS_LANG": "en"}
    done = subprocess.run([NVIM, "--headless", "--clean", str(path), "-c",
                           f"luafile {ROOT / 'tests' / 'editor' / 'both.lua'}"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
                          stdin=subprocess.DEVNULL)
    assert out.exists(), done.stdout + done.stderr
    said = out.read_text(encoding="utf-8").splitlines()
    ours = [line for line in said if line.startswith("hearings ")]
    theirs = [line for line in said if not line.startswith(("hearings ", "action "))]
    # the misspelt key: underlined once, by the YAML server; its fix offered by ours
    assert [line for line in theirs if "bakdated" in line], said
    assert not [line for line in ours if "unknown-key" in line or "bakdated" in line], said
    assert any(line.startswith("hearings row-total-mismatch") for line in ours), said
    assert "action Replace 'bakdated' by 'backdated'" in said, said


def _readme_lua() -> str:
    """The Neovim set-up the manual gives (docs/editor.md), as it stands there."""
    readme = (ROOT / "docs" / "editor.md").read_text(encoding="utf-8")
    start = readme.index("```lua\n-- Neovim 0.7 and later (init.lua)") + len("```lua\n")
    return readme[start:readme.index("```", start)]


README_CHECK = """\
vim.wait(60000, function()
  local names = {}
  for _, client in pairs(vim.lsp.buf_get_clients(0)) do names[client.name] = true end
  local hearings = false
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == 'hearings' then hearings = true end
  end
  return names['yaml'] and ((names['hearings'] and hearings) or #_G.notified > 0)
end, 200)
local lines = {}
for _, client in pairs(vim.lsp.buf_get_clients(0)) do
  table.insert(lines, 'client ' .. client.name)
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, 'diagnostic ' .. (d.source or '?') .. ' ' .. tostring(d.code))
end
for _, message in ipairs(_G.notified) do table.insert(lines, 'notified ' .. message) end
vim.fn.writefile(lines, vim.env.OUT)
vim.cmd('qa!')
"""


@pytest.mark.skipif((NVIM is None or not YAMLLS.exists()) and not os.environ.get("CI"),
                    reason="Neovim or yaml-language-server (npm ci --prefix tests/editor) "
                           "not installed")
@pytest.mark.parametrize("on_path", [True, False], ids=["installed", "not-on-path"])
def test_the_readmes_neovim_set_up_attaches_both_servers_or_says_why_not(tmp_path,
                                                                       on_path) -> None:
    data = month_data("2020-08", {("kostanay", "less-than-20-days"): 2})
    data["regions"]["kostanay"]["total"] = 5
    path = write_month(tmp_path / "data", data)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tools = {"yaml-language-server": f'exec node "{YAMLLS}" "$@"'}
    if on_path:
        tools["hearings"] = f'exec "{sys.executable}" -m hearings "$@"'
    for name, line in tools.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{line}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    init = tmp_path / "init.lua"
    init.write_text("_G.notified = {}\nvim.notify = function(message) "
                    "table.insert(_G.notified, message) end\n" + _readme_lua(), encoding="utf-8")
    check = tmp_path / "check.lua"
    check.write_text(README_CHECK, encoding="utf-8")
    out = tmp_path / "out.txt"
    system = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                             if not (Path(p) / "hearings").exists())
    env = {**os.environ, "OUT": str(out), "PATH": f"{bin_dir}{os.pathsep}{system}",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "d"),
           "HEARINGS_LANG": "en"}
    done = subprocess.run([NVIM, "--headless", "-i", "NONE", "-u", str(init), str(path),
                           "-c", f"luafile {check}"], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert "stack traceback" not in done.stdout + done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    if on_path:
        assert {"client hearings", "client yaml"} <= set(lines), lines
        assert "diagnostic hearings row-total-mismatch" in lines, lines
    else:
        assert "client yaml" in lines and "client hearings" not in lines, lines
        assert any(line.startswith("notified hearings is not on PATH") for line in lines)
