"""The analyst's editor: the real yaml-language-server (tests/editor, `npm ci`) reads the
schema a monthly file names and reports mistakes, completes codes and explains them.

It runs where the server is installed; under CI=true a missing server fails the test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from .conftest import AUGUST, ROOT

SERVER = ROOT / "tests" / "editor" / "node_modules" / "yaml-language-server" / "bin" / \
    "yaml-language-server"
SCHEMA = ROOT / "schema" / "monthly.schema.json"
FACTS_SCHEMA = ROOT / "schema" / "facts.schema.json"
CATEGORIES_SCHEMA = ROOT / "schema" / "categories.schema.json"


class LanguageServer:
    """A language server over stdio: requests answered in turn, notifications collected."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(["node", str(SERVER), "--stdio"], cwd=root,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.diagnostics: dict[str, list] = {}
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(),
            "capabilities": {"textDocument": {
                "completion": {"completionItem": {"documentationFormat": ["plaintext"]}},
                "hover": {"contentFormat": ["plaintext"]},
                "publishDiagnostics": {}}},
            "initializationOptions": {}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self._settings()})

    @staticmethod
    def _settings() -> dict:
        return {"yaml": {"validate": True, "hover": True, "completion": True,
                         "schemaStore": {"enable": False}}}

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while (line := stream.readline().decode().strip()):
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            if not headers:
                return
            message = json.loads(stream.read(int(headers["content-length"])))
            if "id" in message and "method" in message:  # the server asks the client
                result = ([self._settings()["yaml"]] * len(message["params"]["items"])
                          if message["method"] == "workspace/configuration" else None)
                self._send({"id": message["id"], "result": result})
                continue
            with self.changed:
                if "id" in message:
                    self.replies[message["id"]] = message
                elif message.get("method") == "textDocument/publishDiagnostics":
                    self.diagnostics[message["params"]["uri"]] = \
                        message["params"]["diagnostics"]
                self.changed.notify_all()

    def _wait(self, ready, timeout: float = 60):
        with self.changed:
            assert self.changed.wait_for(ready, timeout), "the language server did not answer"
            return ready()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        reply = self._wait(lambda: self.replies.get(number))
        assert "error" not in reply, reply
        return reply["result"]

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1,
            "text": path.read_text(encoding="utf-8")}})
        return uri

    def diagnostics_of(self, uri: str) -> list:
        return self._wait(lambda: self.diagnostics.get(uri) or None)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not SERVER.exists() or shutil.which("node") is None:
        if os.environ.get("CI"):
            pytest.fail("yaml-language-server is not installed: npm ci --prefix tests/editor")
        pytest.skip("yaml-language-server is not installed: npm ci --prefix tests/editor")
    root = tmp_path_factory.mktemp("workspace")
    (root / "schema").mkdir()
    shutil.copy(SCHEMA, root / "schema" / SCHEMA.name)
    shutil.copy(FACTS_SCHEMA, root / "schema" / FACTS_SCHEMA.name)
    shutil.copy(CATEGORIES_SCHEMA, root / "schema" / CATEGORIES_SCHEMA.name)
    (root / "data").mkdir()
    (root / "reference").mkdir()
    running = LanguageServer(root)
    yield running, root
    running.close()


def _line(text: str, needle: str) -> int:
    """The 0-based line of the first line holding needle."""
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


def test_mistakes_are_reported_at_their_lines(server) -> None:
    language_server, root = server
    text = AUGUST.read_text(encoding="utf-8")
    akmola = text.index("  akmola:")
    text = text[:akmola] + text[akmola:].replace("    protocols: 21", "    protocls: 21", 1)
    aktobe = text.index("  aktobe:")
    text = text[:aktobe] + text[aktobe:].replace("    announcements: 20",
                                                  "    announcements: -3", 1)
    path = root / "data" / "2020-08.yaml"
    path.write_text(text, encoding="utf-8")
    diagnostics = language_server.diagnostics_of(language_server.open(path))
    lines = {d["range"]["start"]["line"]: d["message"] for d in diagnostics}
    assert _line(text, "protocls: 21") in lines, diagnostics
    assert _line(text, "announcements: -3") in lines, diagnostics
    assert "protocls" in lines[_line(text, "protocls: 21")]


def test_completion_in_a_region_row_offers_the_category_codes(server) -> None:
    language_server, root = server
    text = AUGUST.read_text(encoding="utf-8")
    pavlodar = text.index("  pavlodar:")
    start = text.index("      less-than-20-days: 0\n", pavlodar)
    end = text.index("    total:", pavlodar)
    text = text[:start] + "      \n" + text[end:]  # a row whose categories are still to type
    path = root / "data" / "2020-09.yaml"
    path.write_text(text.replace("period: 2020-08", "period: 2020-09"), encoding="utf-8")
    uri = language_server.open(path)
    line = _line(text, "  pavlodar:") + 4  # under announcements, protocols, violations
    assert text.splitlines()[line] == "      "
    result = language_server.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": 6}})
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert {"less-than-20-days", "protocol-missing", "rubric-mismatch"} <= labels, labels
    missing = next(item for item in items if item["label"] == "protocol-missing")
    documentation = json.dumps(missing.get("documentation", ""), ensure_ascii=False)
    assert "Отсутствует протокол / Хаттама жоқ" in documentation


def test_hover_on_a_region_code_shows_its_names(server) -> None:
    language_server, root = server
    path = root / "data" / "2020-08.yaml"
    path.write_text(AUGUST.read_text(encoding="utf-8"), encoding="utf-8")
    uri = language_server.open(path)
    text = path.read_text(encoding="utf-8")
    hover = language_server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": _line(text, "  akmola:"),
                                                    "character": 4}})
    contents = json.dumps(hover["contents"], ensure_ascii=False)
    assert "Акмолинская область / Ақмола облысы" in contents, contents


FACTS = """\
# yaml-language-server: $schema=../schema/facts.schema.json
departments:
  usual:
    - valid_from: 2026-01-01
      valid_until: 2026-12-31
      sourse: the department's site, read 2026-12-01
      ru: управлений природных ресурсов
      kk: табиғи ресурстар басқармаларының
clauses:
  - edition: order-286-2024
    source: the Rules' text, read 2026-12-01
    protocol-mising: none
    backdated: nothing
"""


def test_the_facts_file_gets_its_mistakes_and_its_words_in_the_editor(server) -> None:
    """The folder's reference/facts.yaml, by the schema `hearings schema` writes beside the
    monthly one: a misspelt key, an unknown category code, a clause that is neither texts nor
    none, underlined at their lines; hover in Russian and Kazakh."""
    language_server, root = server
    path = root / "reference" / "facts.yaml"
    path.write_text(FACTS, encoding="utf-8")
    uri = language_server.open(path)
    diagnostics = language_server.diagnostics_of(uri)
    lines = {d["range"]["start"]["line"] for d in diagnostics}
    for needle in ("sourse:", "protocol-mising:", "backdated: nothing"):
        assert _line(FACTS, needle) in lines, (needle, diagnostics)
    hover = language_server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": _line(FACTS, "clauses:"),
                                                    "character": 2}})
    contents = json.dumps(hover["contents"], ensure_ascii=False)
    assert "пункт, который нарушает каждая категория" in contents, contents
    assert "әр санат бұзатын тармақ" in contents, contents


CATEGORIES = """\
# yaml-language-server: $schema=../schema/categories.schema.json
categories:
  - code: protocol-placed-late
    valid_form: 2026-07-01
    source: a test entry, not an act
    group: protocols
    bounded_by: placed
    header: {ru: Размещён позднее срока, en: Placed late}
"""


def test_the_categories_file_gets_its_mistakes_and_its_words_in_the_editor(server) -> None:
    """The folder's reference/categories.yaml, by the schema `hearings schema` writes: a
    misspelt key, a bound that is none, a header without its Kazakh words, underlined at
    their lines; hover in Russian and Kazakh; the keys an entry may have offered."""
    language_server, root = server
    path = root / "reference" / "categories.yaml"
    path.write_text(CATEGORIES, encoding="utf-8")
    uri = language_server.open(path)
    diagnostics = language_server.diagnostics_of(uri)
    lines = {d["range"]["start"]["line"] for d in diagnostics}
    for needle in ("valid_form:", "bounded_by: placed", "header:"):
        assert _line(CATEGORIES, needle) in lines, (needle, diagnostics)
    hover = language_server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": _line(CATEGORIES, "categories:"),
                                                    "character": 2}})
    contents = json.dumps(hover["contents"], ensure_ascii=False)
    assert "Добавленные, изменённые или отменённые категории" in contents, contents
    assert "Қосылған, өзгертілген немесе алынып тасталған санаттар" in contents, contents
    text = CATEGORIES.replace("    valid_form: 2026-07-01\n", "    \n")
    path.unlink()
    path = root / "typed" / "categories.yaml"  # a second file: ../schema/ as from reference/
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    uri = language_server.open(path)
    line = _line(text, "source:") - 1
    result = language_server.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": 4}})
    items = result["items"] if isinstance(result, dict) else result
    labels = {item["label"] for item in items}
    assert {"valid_from", "valid_until", "replaces", "label", "sentence"} <= labels, labels
    path.unlink()
