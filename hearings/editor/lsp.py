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
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.exceptions import FeatureRequestError, JsonRpcException, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer

from ..files.limits import TEXT_LIMIT, size_text
from ..files.workspace import Workspace
from ..i18n import MESSAGE_LANGUAGES, _, language, language_from_environment, set_language
from ..month.findings import ERROR, Finding
from ..month.validate import check_text
from .assist import completions, finding_range, fixes, hover_text
from .transport import DROPPED, FRAME_LIMIT, Input, Log, Protocol

# What yaml-language-server reports from the same schema (decided in docs/editor.md): this
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


@server.feature(DROPPED)
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


def _facts(uri: str):
    """The facts and categories of the folder the file is in (a facts or categories file
    with errors still gives the package's)."""
    return Workspace.of_file(_path(uri)).facts()


def diagnostics(text: str, uri: str) -> tuple[list[Finding], list[lsp.Diagnostic]]:
    """The findings of the editor's text (the schema's too: their fixes are offered), and
    them as diagnostics, the schema's left out unless asked."""
    report = check_text(text, str(_path(uri)), _facts(uri))
    shown = [f for f in report.findings if _schema_too["on"] or f.code not in SCHEMA_CODES]
    lines = text.split("\n")
    return report.findings, [
        lsp.Diagnostic(range=finding_range(lines, f), message=f.message, code=f.code,
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


def _source(ls: LanguageServer, uri: str) -> str | None:
    """The text of an opened document that validate would read, else None: a request about
    anything else is answered with an empty result."""
    document = _opened(ls, uri)
    if document is None or len(document.source) > TEXT_LIMIT:
        return None
    return document.source


@server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
    code_action_kinds=[lsp.CodeActionKind.QuickFix]))
def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    source = _source(ls, params.text_document.uri)
    uri = params.text_document.uri
    return [] if source is None else fixes(uri, source, params.range, _findings.get(uri, []),
                                          _facts(uri).reference)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
    source = _source(ls, params.text_document.uri)
    text = source and hover_text(source, params.position.line, params.position.character,
                                 _facts(params.text_document.uri))
    if not text:
        return None
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[" "]))
def completion(ls: LanguageServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    source = _source(ls, params.text_document.uri)
    return lsp.CompletionList(is_incomplete=False, items=[] if source is None else completions(
        source, params.position.line, params.position.character,
        _facts(params.text_document.uri).reference))


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
