"""`hearings lsp`: a language server for monthly files over stdio. On open and on every
change it validates the editor's text (not the file on disk) as `validate` does and publishes
every finding at its line and column; it offers the fixes that are certain (a row's total,
the summary, a mistyped key, a region's missing row) and says on hover what a region code,
a category code or a summary figure stands for in that month.

yaml-language-server, beside it on the same file, keeps what JSON Schema says about the
file's shape; this server says the rest, so the schema's findings are left to it.

What an editor sends is untrusted too: every request is answered (a position it cannot read
with a protocol error), a frame after junk is found again, and only the newest version of a
text is checked, in a process of its own, so that a burst of edits costs one check more."""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.exceptions import FeatureRequestError, JsonRpcException, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification

from ..files.limits import TEXT_LIMIT, size_text
from ..files.workspace import Workspace
from ..i18n import MESSAGE_LANGUAGES, _, language, language_from_environment, set_language
from ..month.context import period_of
from ..month.findings import ERROR, Finding
from ..month.reference import Period, reference
from ..month.validate import check_text

# What yaml-language-server reports from the same schema (decided in the README): this
# server leaves these to it, so that no problem is underlined twice.
SCHEMA_CODES = frozenset({"unknown-key", "missing-key", "wrong-type", "invalid-value",
                          "yaml-syntax"})
SEVERITY = {ERROR: lsp.DiagnosticSeverity.Error}

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("hearings")
    except PackageNotFoundError:
        return "0"


# A header line is a few dozen bytes. A frame holds at most one text, which validate reads up
# to TEXT_LIMIT (2 MB of UTF-8: 12 MB at most as JSON's \\u escapes); a larger frame is read
# past, never held, and answered from its first and last bytes (FRAME_ENDS).
HEADER_LIMIT = 4096
FRAME_LIMIT = 16 * 1024 * 1024
FRAME_ENDS = 64 * 1024
_HEADER = b"Content-Length:"
_DROPPED = "hearings/frameDropped"  # what stands for a frame that was dropped or unreadable
# The members of a message that say what it was (a text's own quotes are escaped: \\")
_MEMBERS = {name: re.compile(rb'"%s"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)' % name.encode())
            for name in ("id", "method", "uri")}


def _dropped(size: int, ends: bytes) -> bytes:
    """The message that stands for a frame too large to read: its size, and the id, method
    and document it names where its first and last bytes say them."""
    params: dict = {"size": size}
    for name, pattern in _MEMBERS.items():
        if (match := pattern.search(ends)) is not None:
            try:
                params[name] = json.loads(match.group(1))
            except ValueError:
                continue
    return json.dumps({"jsonrpc": "2.0", "method": _DROPPED, "params": params}).encode()


class Input:
    """The client's input as pygls reads it (a header line, then a body of a length), made
    safe: a header line is at most HEADER_LIMIT bytes, junk before a header is dropped (a
    frame after it is read as usual), and a body beyond FRAME_LIMIT is read past, not held."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def readline(self) -> bytes:
        line = self.stream.readline(HEADER_LIMIT)
        at = line.rfind(_HEADER)
        return line[at:] if at > 0 else line

    def read(self, size: int) -> bytes:
        if size <= FRAME_LIMIT:
            return self.stream.read(size)
        head, tail, left = b"", b"", size
        while left > 0:
            chunk = self.stream.read(min(left, 1 << 20))
            if not chunk:
                return b""
            head = head or chunk[:FRAME_ENDS]
            tail = (tail + chunk)[-FRAME_ENDS:]
            left -= len(chunk)
        return _dropped(size, head + b" " + tail)


class Protocol(LanguageServerProtocol):
    """pygls's protocol, answering a request it cannot read (a position at line -1 or 2^31,
    a field of the wrong type) with a protocol error instead of silence."""

    def structure_message(self, data):
        # what pygls's own structuring would leave unanswered: every request gets an answer
        request = isinstance(data, dict) and "jsonrpc" in data and "id" in data \
            and "method" in data
        try:
            message = super().structure_message(data)
        except JsonRpcException as err:
            if request:
                self._send_response(data["id"], None, err.to_response_error())
            return JsonRPCNotification(method=_DROPPED, jsonrpc="2.0", params=None)
        if request and not hasattr(message, "id"):  # a notification's method, sent with an id
            self._send_response(data["id"], None, JsonRpcInvalidRequest(
                message=f"{data['method']} is a notification: it takes no id"
            ).to_response_error())
            return JsonRPCNotification(method=_DROPPED, jsonrpc="2.0", params=None)
        return message


class Log(logging.Handler):
    """What pygls says of a message it could not read or handle, one line each and at most
    LOG_LINES in all, on stderr: a client that never reads the server's stderr (its pipe
    holds 64 kB) must not stop the server with the tracebacks of its own junk."""

    LOG_LINES = 100

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.written = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.written += 1
        if self.written > self.LOG_LINES:
            return
        line = " ".join(record.getMessage().split("\n", 1)[0].split())[:200]
        more = "; further ones are not logged" if self.written == self.LOG_LINES else ""
        print(f"hearings lsp: {record.levelname.lower()}: {line}{more}", file=sys.stderr)


class Server(LanguageServer):
    _shown = False

    def report_server_error(self, error: Exception, source) -> None:
        """A message the client sent that could not be read is answered (a request) or
        logged (Log), never shown in the editor: one window message per piece of junk would
        bury the editor; a fault of the tool's own is shown once."""
        if isinstance(error, JsonRpcException) or source is FeatureRequestError or self._shown:
            return  # a request's fault is in its answer
        self._shown = True
        super().report_server_error(error, source)


server = Server("hearings", _version(), protocol_cls=Protocol)
_findings: dict[str, list[Finding]] = {}
_schema_too = {"on": False}  # HEARINGS_LSP_SCHEMA=1, or without yaml-language-server
# One check at a time, in a process of its own: the thread that reads the client's messages
# keeps up with a burst of edits (in a thread, the check would hold the interpreter's lock
# for most of each message, and a burst of 300 edits take seconds to read)
_checker: ProcessPoolExecutor | None = None
_checking: dict[str, bool] = {}  # uri -> whether a newer version waits for the running check


@server.feature(_DROPPED)
def dropped(ls: LanguageServer, params) -> None:
    """A frame that could not be read, or was too large to: a request gets its protocol
    error, a text its one diagnostic (and is no longer held: its edits would be lost)."""
    if params is None:  # what pygls could not read: it has said so in its log
        return
    size = getattr(params, "size", 0)
    msg_id, method, uri = (getattr(params, name, None) for name in ("id", "method", "uri"))
    print(f"hearings lsp: a message of {size} bytes ({method or 'unknown'}) is larger than "
          f"{FRAME_LIMIT}; it was read past", file=sys.stderr)
    if msg_id is not None:
        ls.protocol._send_response(msg_id, None, JsonRpcInvalidRequest(
            message=f"a message of {size} bytes is larger than {FRAME_LIMIT}").to_response_error())
    elif isinstance(uri, str) and method in (lsp.TEXT_DOCUMENT_DID_OPEN,
                                             lsp.TEXT_DOCUMENT_DID_CHANGE):
        ls.workspace.text_documents.pop(unquote(uri), None)
        _findings.pop(uri, None)
        finding = Finding("file-unreadable", str(_path(uri)), 1, 1, params={"reason": _(
            "it is larger than {limit} (the editor sent {size} for it); it is not checked")
            .format(limit=size_text(TEXT_LIMIT), size=size_text(size))})
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=[lsp.Diagnostic(
                range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)),
                message=finding.message, code=finding.code, source="hearings",
                severity=SEVERITY[finding.severity])]))


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _language(locale: str | None) -> str:
    """The client's locale ("ru", "kk-KZ", "en-US"; Neovim sends the environment's, "C.UTF-8"
    says none), else HEARINGS_LANG, else the environment's locale, as the CLI has it."""
    code = (locale or "").replace("_", "-").split("-")[0].split(".")[0].lower()
    if code in MESSAGE_LANGUAGES:
        return code
    chosen = os.environ.get("HEARINGS_LANG", "")
    return chosen if chosen in MESSAGE_LANGUAGES else language_from_environment()


@server.feature(lsp.INITIALIZE)
def initialize(ls: LanguageServer, params: lsp.InitializeParams) -> None:
    set_language(_language(params.locale))
    _schema_too["on"] = os.environ.get("HEARINGS_LSP_SCHEMA") == "1"


def _token_end(line: str, start: int) -> int:
    """Where the value or key that starts at `start` (0-based) ends on its line."""
    match = re.match(r"[^\s#:,}\]]+", line[start:])
    return start + (match.end() if match else 1)


def _range(lines: list[str], finding: Finding) -> lsp.Range:
    row = max(finding.line - 1, 0)
    text = lines[row] if row < len(lines) else ""
    start = min(max(finding.column - 1, 0), len(text))
    return lsp.Range(lsp.Position(row, start), lsp.Position(row, _token_end(text, start)))


def diagnostics(text: str, uri: str) -> tuple[list[Finding], list[lsp.Diagnostic]]:
    """The findings of the editor's text (the schema's too: their fixes are offered), and
    them as diagnostics, the schema's left out unless asked."""
    path = _path(uri)
    workspace = Workspace.find(path.parent)
    facts = workspace.facts()  # a facts file with errors still gives the package's rows
    report = check_text(text, str(path), facts)
    shown = [f for f in report.findings if _schema_too["on"] or f.code not in SCHEMA_CODES]
    lines = text.split("\n")
    return report.findings, [
        lsp.Diagnostic(range=_range(lines, f), message=f.message, code=f.code,
                       source="hearings",
                       severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning))
        for f in shown]


def _checked(text: str, uri: str, lang: str, schema_too: bool
             ) -> tuple[list[Finding], list[lsp.Diagnostic]]:
    """diagnostics(), in the checker's process, in the server's language and settings."""
    if language() != lang:
        set_language(lang)
    _schema_too["on"] = schema_too
    return diagnostics(text, uri)


def _opened(ls: LanguageServer, uri: str):
    """The document the client opened, else None: never a file read from disk by its
    address (a request may name any path, a FIFO among them)."""
    return ls.workspace.text_documents.get(unquote(uri))


def _check(ls: LanguageServer, uri: str) -> None:
    """Check the newest version of a text in the checker's thread and publish it, unless a
    newer one came meanwhile: then that one is checked, and the stale result dropped."""
    document = _opened(ls, uri)
    if document is None:
        _checking.pop(uri, None)
        return
    if uri in _checking:
        _checking[uri] = True  # the running check's result will be stale: check again after
        return
    _checking[uri] = False
    source, version = document.source, document.version
    task = asyncio.get_running_loop().run_in_executor(
        _checker, _checked, source, uri, language(), _schema_too["on"])

    def done(task: asyncio.Future) -> None:
        again = _checking.pop(uri, False)
        current = _opened(ls, uri)
        if current is None:
            return
        if again or current.version != version:
            _check(ls, uri)
            return
        try:
            findings, published = task.result()
        except Exception as err:  # a fault of the tool's: said where an editor logs it
            print(f"hearings lsp: {uri} could not be checked: {type(err).__name__}: {err}",
                  file=sys.stderr)
            if isinstance(err, BrokenProcessPool):  # its process died: the next check starts one
                _start_checker()
            return
        _findings[uri] = findings
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=version, diagnostics=published))
    task.add_done_callback(done)


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    _check(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
    _check(ls, params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    _findings.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
        uri=params.text_document.uri, diagnostics=[]))


# --- quick fixes ------------------------------------------------------------------------------

def _replace(uri: str, lines: list[str], finding: Finding, new: str, title: str
             ) -> lsp.CodeAction:
    where = _range(lines, finding)
    return lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
                          edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(where, new)]}))


def _period(text: str) -> Period | None:
    """The month a text states, None where it states none or one of no calendar (2020-13)."""
    match = re.search(r"^period:\s*['\"]?(\d{4}-\d{2})", text, re.MULTILINE)
    return period_of(match.group(1)) if match else None


def _source(ls: LanguageServer, uri: str) -> str | None:
    """The text of an opened document that validate would read, else None: a request about
    anything else is answered with an empty result."""
    document = _opened(ls, uri)
    if document is None or len(document.source) > TEXT_LIMIT:
        return None
    return document.source


def _missing_row(uri: str, lines: list[str], finding: Finding, text: str) -> lsp.CodeAction | None:
    """A region's row at zero, inserted before the next top-level key after `regions:`."""
    period = _period(text)
    code = finding.params.get("code") or (finding.path[1] if len(finding.path) > 1 else None)
    if period is None or code is None:
        return None
    start = next((i for i, line in enumerate(lines) if line.startswith("regions:")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    region = reference().region(code)
    if region is None or not region.validity.covers(period.last_day):
        return None
    forms = region.name(period).forms
    row = (f"\n  {code}:  # {forms['ru']['table']} / {forms['kk']['table']}\n"
           "    announcements: 0\n    protocols: 0\n    violations:\n"
           + "".join(f"      {c.code}: 0\n" for c in reference().categories)
           + "    total: 0\n")
    at = lsp.Position(end - 1, len(lines[end - 1]))
    return lsp.CodeAction(
        title=_("Add the row of {region}, at zero").format(region=finding.region or code),
        kind=lsp.CodeActionKind.QuickFix,
        edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(at, at),
                                                           row.rstrip("\n"))]}))


def _translation_current(uri: str, lines: list[str], finding: Finding
                         ) -> lsp.CodeAction | None:
    """After the translator's work: the item's digest set to its source text as it stands."""
    was, now = finding.params["was"], finding.params["now"]
    for row in range(min(finding.line - 1, len(lines) - 1), -1, -1):
        column = lines[row].find(f"digest: {was}")
        if column >= 0:
            start = lsp.Position(row, column + len("digest: "))
            end = lsp.Position(row, column + len("digest: ") + len(was))
            return lsp.CodeAction(
                title=_("Mark this translation as made from the {source} text as it stands")
                .format(source=finding.params["source"]), kind=lsp.CodeActionKind.QuickFix,
                edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(lsp.Range(start, end),
                                                                   now)]}))
    return None


def fixes(uri: str, text: str, wanted: lsp.Range) -> list[lsp.CodeAction]:
    """The certain fixes of the findings on the lines asked for; never one that guesses a
    count."""
    lines = text.split("\n")
    actions = []
    for finding in _findings.get(uri, []):
        if not wanted.start.line <= finding.line - 1 <= wanted.end.line:
            continue
        if finding.code in ("row-total-mismatch", "summary-mismatch") and isinstance(
                finding.expected, int):
            actions.append(_replace(uri, lines, finding, str(finding.expected), _(
                "Set it to {expected}, what the table adds up to").format(
                    expected=finding.expected)))
        elif finding.code == "unknown-key" and finding.params.get("suggestion"):
            suggestion = finding.params["suggestion"]
            actions.append(_replace(uri, lines, finding, suggestion, _(
                "Replace '{key}' by '{suggestion}'").format(key=finding.params["key"],
                                                            suggestion=suggestion)))
        elif finding.code == "translation-outdated":
            action = _translation_current(uri, lines, finding)
            if action:
                actions.append(action)
        elif finding.code == "region-missing":
            action = _missing_row(uri, lines, finding, text)
            if action:
                actions.append(action)
    return actions


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    source = _source(ls, params.text_document.uri)
    return [] if source is None else fixes(params.text_document.uri, source, params.range)


# --- hover ------------------------------------------------------------------------------------

def hover_text(text: str, line: int, character: int) -> str | None:
    """What the word under the cursor stands for in the file's month: a region code its
    names, a category code its headers and clause, a summary figure how it is made up."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    period = _period(text)
    current = lines[line]
    word = next((m.group(0) for m in re.finditer(r"[a-z][a-z0-9_-]*", current)
                 if m.start() <= character <= m.end()), None)
    if word is None or period is None:
        return None
    ref = reference()
    region = ref.region(word)
    if region is not None:
        if not region.validity.covers(period.last_day):
            return _("{code}: not in force in {period}").format(code=word, period=period)
        forms = region.name(period).forms
        return (f"**{forms['ru']['official']}** / **{forms['kk']['official']}**\n\n"
                + _("in the table: {ru} / {kk}; KATO {kato}").format(
                    ru=forms["ru"]["table"], kk=forms["kk"]["table"], kato=region.kato))
    category = ref.category(word)
    if category is not None:
        lang = language()
        text_lang = lang if lang in ("ru", "kk") else "ru"
        facts = Workspace.here().facts().for_month(period)
        clause = facts.clause(category)
        group = next(g for g in ref.groups if g.code == category.group)
        return (f"**{category.header['ru']}** / **{category.header['kk']}**\n\n"
                + _("{label}; counted with the {group}; {period}: {clause}").format(
                    label=category.label[lang if lang in category.label else "en"],
                    group=group.title.get(lang, group.code),
                    period=period,
                    clause=clause[text_lang] if clause else _("no clause cited")))
    stripped = current.strip()
    if stripped.startswith(word + ":") and word in ("announcements", "protocols", "violations") \
            and line > 0 and any(row.startswith("summary:") for row in lines[:line]) \
            and not any(row.startswith("regions:") for row in lines[:line]):
        return _("the sum of every region's {figure} in the table").format(figure=word)
    return None


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    source = _source(ls, params.text_document.uri)
    text = source and hover_text(source, params.position.line, params.position.character)
    if not text:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


# --- completion -------------------------------------------------------------------------------

def _parent(lines: list[str], line: int, indent: int) -> str | None:
    """The key of the nearest line above with less indentation than `indent`."""
    for row in range(line - 1, -1, -1):
        text = lines[row]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        own = len(text) - len(text.lstrip())
        if own < indent:
            return text.strip().lstrip("- ").split(":")[0]
    return None


def completions(text: str, line: int, character: int) -> list[lsp.CompletionItem]:
    """Codes that fit where the cursor stands, for the file's month: a region in force and
    not yet in `regions:`, a category not yet in a row's `violations:`, or after
    `category:` a category with findings this month."""
    lines = text.split("\n")
    period = _period(text)
    if period is None or line >= len(lines):
        return []
    ref = reference()
    current = lines[line][:character]
    indent = len(current) - len(current.lstrip())
    present = {row.strip().split(":")[0] for row in lines}
    if re.match(r"^\s*-?\s*category:\s*\S*$", current):
        found = _categories_found(text)
        return [lsp.CompletionItem(c.code, kind=lsp.CompletionItemKind.EnumMember,
                                   detail=f"{c.header['ru']} / {c.header['kk']}")
                for c in ref.categories if found is None or c.code in found]
    if ":" in current:
        return []
    parent = _parent(lines, line, indent)
    if parent == "regions" and indent == 2:
        items = []
        for region in ref.regions_in_force(period):
            if region.code in present:
                continue
            forms = region.name(period).forms
            items.append(lsp.CompletionItem(
                region.code, kind=lsp.CompletionItemKind.Module, insert_text=f"{region.code}:",
                detail=f"{forms['ru']['official']} / {forms['kk']['official']}"))
        return items
    if parent == "violations" and indent == 6:
        block = _block_keys(lines, line, indent)
        return [lsp.CompletionItem(c.code, kind=lsp.CompletionItemKind.Field,
                                   insert_text=f"{c.code}: ",
                                   detail=f"{c.header['ru']} / {c.header['kk']}")
                for c in ref.categories if c.code not in block]
    return []


def _block_keys(lines: list[str], line: int, indent: int) -> set[str]:
    """The keys at `indent` in the block around `line`."""
    keys = set()
    for step in (-1, 1):
        row = line + step
        while 0 <= row < len(lines):
            text = lines[row]
            own = len(text) - len(text.lstrip())
            if text.strip() and own < indent:
                break
            if own == indent and ":" in text:
                keys.add(text.strip().split(":")[0])
            row += step
    return keys


def _categories_found(text: str) -> set[str] | None:
    """The categories with findings in the file's table, None when it cannot be read."""
    from ..month.load import LoadError, parse
    try:
        data = parse(text, "").data
        return {code for row in data["regions"].values()
                for code, count in row["violations"].items()
                if isinstance(count, int) and count > 0}
    except (LoadError, KeyError, TypeError, AttributeError):  # half typed: every category
        return None


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" "]))
def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    source = _source(ls, params.text_document.uri)
    return lsp.CompletionList(is_incomplete=False, items=[] if source is None else completions(
        source, params.position.line, params.position.character))


def _start_checker() -> None:
    """The checker's process, started now (a fork where there is one: no import again)."""
    global _checker
    methods = multiprocessing.get_all_start_methods()
    _checker = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(
        "fork" if "fork" in methods else None))
    _checker.submit(int).result()


def serve() -> None:
    """Serve over stdio until the client says exit or its input ends, then say which."""
    _start_checker()  # here, while this process has no other thread to fork with it
    pygls_log = logging.getLogger("pygls")
    pygls_log.addHandler(Log())
    pygls_log.propagate = False
    try:
        server.start_io(stdin=Input(sys.stdin.buffer))
    finally:
        _checker.shutdown(wait=False, cancel_futures=True)
    if not getattr(server.protocol, "_shutdown", True):
        print("hearings lsp: the client's input ended; the server stops", file=sys.stderr)
