"""`hearings lsp` fed what an editor should not send, through pygls's client over stdio:
junk between frames, positions no document has, periods of no calendar, a text larger than
validate reads, requests about documents never opened, and a burst of edits."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import json
import os
import random
import signal
import subprocess
import sys
import uuid

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from .months import month_data, write_month
from .test_lsp import Session, _broken, _run

ABSURD = [-1, 2**31, 2**53]


def _text_document(path) -> dict:
    return {"textDocument": {"uri": path.as_uri()}}


async def _ask(session: Session, method: str, params: dict):
    """A request written as raw JSON (the client's own types refuse a line of -1): its
    result as JSON, or the protocol error it was answered with; never silence (30 s)."""
    msg_id = str(uuid.uuid4())
    future: concurrent.futures.Future = concurrent.futures.Future()
    session.client.protocol._request_futures[msg_id] = future
    await _write(session, _frame({"jsonrpc": "2.0", "id": msg_id, "method": method,
                                  "params": params}))
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), 30)
    except JsonRpcException as err:
        return err


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


async def _write(session: Session, data: bytes) -> None:
    done = session.client.protocol.writer.write(data)
    if inspect.isawaitable(done):
        await done


def _akmola(path) -> int:
    """The line of Akmola's row in a month written by write_month."""
    return path.read_text(encoding="utf-8").split("\n").index("  akmola:")


def _hover_at(path, line: int | None = None, character: int = 4) -> dict:
    """A position's parameters, by default on the code of Akmola's row."""
    line = _akmola(path) if line is None else line
    return {**_text_document(path), "position": {"line": line, "character": character}}


# What a client or a broken pipe may put between frames
JUNK = {
    "binary-without-a-newline": bytes(b for b in random.Random(1).randbytes(1024) if b != 10),
    "a-body-that-is-no-json": b'Content-Length: 10\r\n\r\n{"jsonrpc"',
    "a-frame-beyond-the-limit": b"Content-Length: %d\r\n\r\n%s" % (
        65 * 1024 * 1024, b" " * (65 * 1024 * 1024)),
}


@pytest.mark.parametrize("junk", JUNK)
def test_after_junk_the_next_request_is_answered(tmp_path, junk) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))

    async def session():
        async with Session("en") as s:
            await s.open(path)
            await _write(s, JUNK[junk])
            return await _ask(s, "textDocument/hover", _hover_at(path))
    answer = _run(session())
    assert "**Акмолинская область** / **Ақмола облысы**" in answer.contents.value, answer


def _empty(answer) -> bool:
    """An empty result: no hover, no code action, a completion list without items."""
    return answer is None or answer == [] or getattr(answer, "items", None) == []


REQUESTS = {
    "hover": lambda path, line, character: ("textDocument/hover", _hover_at(
        path, line, character)),
    "completion": lambda path, line, character: ("textDocument/completion", _hover_at(
        path, line, character)),
    "code-action": lambda path, line, character: ("textDocument/codeAction", {
        **_text_document(path), "context": {"diagnostics": []},
        "range": {"start": _hover_at(path, line, character)["position"],
                  "end": _hover_at(path, line, character)["position"]}}),
}


@pytest.mark.parametrize("request_kind", REQUESTS)
def test_a_position_no_document_has_is_answered(tmp_path, request_kind) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))

    async def session():
        async with Session("en") as s:
            await s.open(path)
            answers = [await _ask(s, *REQUESTS[request_kind](path, line, character))
                       for line in ABSURD for character in (0, *ABSURD)]
            # the server still serves: the hover on Akmola's row after them
            return answers, await _ask(s, "textDocument/hover", _hover_at(path))
    answers, after = _run(session())
    for answer in answers:  # a protocol error (line -1 is no position) or an empty result
        assert isinstance(answer, JsonRpcException) or _empty(answer), answer
    assert any(isinstance(answer, JsonRpcException) for answer in answers)
    assert "Акмолинская область" in after.contents.value


@pytest.mark.parametrize("period", ["2020-13", "0000-01", "2020-00", "99999-01"])
def test_a_text_of_a_period_of_no_calendar_is_checked_and_answered(tmp_path, period) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))
    text = path.read_text(encoding="utf-8").replace("period: 2020-08", f"period: {period}")

    async def session():
        async with Session("en", HEARINGS_LSP_SCHEMA="1") as s:
            published = await s.open(path, text)
            answers = [await _ask(s, *REQUESTS[kind](path, None, 4)) for kind in REQUESTS]
            return published, answers
    published, answers = _run(session())
    assert {d.code for d in published} & {"period-mismatch", "invalid-value"}, published
    for answer in answers:
        assert not isinstance(answer, JsonRpcException), answer


def test_requests_about_a_document_never_opened_are_answered_empty(tmp_path) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))
    fifo = tmp_path / "data" / "2020-09.yaml"
    os.mkfifo(fifo)  # read by its address, it would block the server

    async def session():
        async with Session("en") as s:
            return [await _ask(s, *REQUESTS[kind](target, None if target == path else 0, 4))
                    for kind in REQUESTS for target in (path, fifo)]
    for answer in _run(session()):
        assert _empty(answer), answer


def test_a_text_larger_than_validate_reads_is_one_diagnostic(tmp_path) -> None:
    path = write_month(tmp_path / "data", month_data("2020-08"))
    text = path.read_text(encoding="utf-8")
    large = text + "# " + "ж" * (25 * 1024 * 1024) + "\n"  # 50 MB in UTF-8
    medium = text + "# " + "ж" * (1024 * 1024) + "\n"  # 2 MB and a little more

    async def session():
        async with Session("en") as s:
            published = await s.open(path, large)
            after = await _ask(s, "textDocument/hover", _hover_at(path))
            s.client.text_document_did_close(lsp.DidCloseTextDocumentParams(
                lsp.TextDocumentIdentifier(path.as_uri())))
            assert not await s.diagnostics(path.as_uri())
            return published, after, await s.open(path, medium)
    published, after, checked = _run(session())
    assert [(d.code, d.message) for d in checked] == [
        ("file-unreadable", "the file cannot be read: it is larger than 2 MB (2 MB)")]
    # pygls's client escapes each letter as \\u0436: 150 MB of JSON
    assert [(d.code, d.range.start.line, d.message) for d in published] == [
        ("file-unreadable", 0, "the file cannot be read: it is larger than 2 MB (the editor "
         "sent 150 MB for it); it is not checked")]
    assert after is None  # not read for a hover either


def test_after_a_burst_of_edits_only_the_newest_text_is_checked(tmp_path) -> None:
    """300 edits of a 1 MB text sent at once: the stale versions' checks are dropped, and the
    newest version's diagnostics come (the server before checked all 300, 10 s and more)."""
    path = _broken(tmp_path)
    text = path.read_text(encoding="utf-8")
    text += "".join(f"# {index:06d} " + "ж" * 240 + "\n" for index in range(2000))  # 1 MB
    edits = 300
    uri = path.as_uri()

    async def session():
        async with Session("en") as s:
            first = await s.open(path, text)
            end = len(text.split("\n")) - 1
            for version in range(2, edits + 2):
                s.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(version, uri),
                    [lsp.TextDocumentContentChangePartial(
                        lsp.Range(lsp.Position(end, 0), lsp.Position(end, 0)), "#\n")]))
                end += 1
            last = None
            while s.versions[uri][-1] != edits + 1:
                last = await s.diagnostics(uri)
            return first, last or await s.diagnostics(uri), s.versions[uri]
    first, last, versions = _run(session())
    assert versions[0] == 1 and versions[-1] == edits + 1
    assert len(versions) <= 4, f"{len(versions) - 1} checks published for {edits} edits"
    assert sorted((d.code, d.range.start.line) for d in last) == sorted(
        (d.code, d.range.start.line) for d in first)
    assert {d.code for d in last} >= {"row-total-mismatch", "summary-mismatch"}


FUZZ_EXAMPLES = int(os.environ.get("HEARINGS_FUZZ", 300)) // 10
# What the junk's requests ask for: every feature and a few no server has ("shutdown" and
# "exit" left out: they end the session)
METHODS = ["textDocument/hover", "textDocument/completion", "textDocument/codeAction",
           "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose",
           "initialize", "workspace/didChangeConfiguration", "no/suchMethod", "$/cancelRequest"]


def _value(rng: random.Random, depth: int = 0):
    """A JSON value of any shape: what a broken client may put where params belong."""
    kinds = ["null", "bool", "int", "float", "text"] + (["list", "object"] if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "list":
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == "object":
        keys = ["textDocument", "uri", "position", "line", "character", "range", "text",
                "version", "contentChanges", "context", "id", "x"]
        return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    return {"null": None, "bool": rng.random() < 0.5,
            "int": rng.choice([-1, 0, 1, 2**31, 2**53, rng.randrange(-10**6, 10**6)]),
            "float": rng.random() * 1e300,
            "text": "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(30))),
            }[kind]


def _junk(rng: random.Random, path) -> tuple[bytes, str | None]:
    """Junk to write between frames, and the id of a request in it that must be answered."""
    kind = rng.choice(["bytes", "lines", "frame-of-bytes", "request", "notification"])
    if kind == "bytes":
        return rng.randbytes(rng.randrange(1, 2048)).replace(b"\n", b" "), None
    if kind == "lines":
        return b"\r\n".join(rng.choice([b"", b"Content-Type: x", b"Content-Length: x",
                                        b"Content-Length: -5", rng.randbytes(20)])
                            .replace(b"\n", b" ") for _ in range(rng.randrange(1, 6))), None
    if kind == "frame-of-bytes":
        body = rng.randbytes(rng.randrange(0, 512))
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body), None
    message: dict = {"jsonrpc": "2.0", "method": rng.choice(METHODS), "params": _value(rng)}
    if rng.random() < 0.3:  # a request about the opened month, with one member broken
        message["params"] = {**_hover_at(path), rng.choice(["position", "textDocument"]):
                             _value(rng)}
    msg_id = None
    if kind == "request":
        msg_id = str(uuid.uuid4())
        message["id"] = msg_id
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body), msg_id


def test_junk_of_every_kind_leaves_every_request_answered(tmp_path) -> None:
    """HEARINGS_FUZZ=24000 writes 2 400 pieces of junk (CI: 30), each followed by a hover on
    the opened month, which must be answered as before; a request inside the junk must be
    answered too, with a result or a protocol error."""
    path = write_month(tmp_path / "data", month_data("2020-08"))
    rng = random.Random(20201)

    async def session():
        async with Session("en") as s:
            await s.open(path)
            for _ in range(FUZZ_EXAMPLES):
                junk, msg_id = _junk(rng, path)
                future = None
                if msg_id is not None:
                    future = concurrent.futures.Future()
                    s.client.protocol._request_futures[msg_id] = future
                await _write(s, junk)
                if future is not None:
                    with contextlib.suppress(JsonRpcException):
                        await asyncio.wait_for(asyncio.wrap_future(future), 30)
                if b'"textDocument/did' in junk:  # the month reopened as it was
                    await _write(s, _frame({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                                            "params": {"textDocument": {
                                                "uri": path.as_uri(), "languageId": "yaml",
                                                "version": 1, "text": path.read_text(
                                                    encoding="utf-8")}}}))
                answer = await _ask(s, "textDocument/hover", _hover_at(path))
                assert isinstance(answer, JsonRpcException) or answer is None or \
                    "Акмолинская" in answer.contents.value, (junk[:200], answer)
    _run(session())


def test_a_notification_sent_with_an_id_is_answered(tmp_path) -> None:
    """didOpen is a notification; sent as a request (with an id), it is answered with a
    protocol error, never left waiting."""
    path = write_month(tmp_path / "data", month_data("2020-08"))

    async def session():
        async with Session("en") as s:
            await s.open(path)
            return await _ask(s, "textDocument/didOpen", {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 2, "text": "x"}})
    answer = _run(session())
    assert isinstance(answer, JsonRpcException) and "is a notification" in str(answer)


def test_a_client_that_never_reads_the_servers_stderr_is_still_answered(tmp_path) -> None:
    """pygls logs each message it cannot read with its traceback; 400 of them would fill the
    64 kB pipe of a client that never reads the server's stderr and stop the server. The
    server logs one line each, at most Log.LOG_LINES, and every request is answered."""
    path = write_month(tmp_path / "data", month_data("2020-08"))
    server = subprocess.Popen([sys.executable, "-m", "hearings", "lsp"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              start_new_session=True)
    reading = concurrent.futures.ThreadPoolExecutor(2)  # a blocked server blocks a write too
    try:
        unreadable = [{"jsonrpc": "2.0", "id": n, "method": "textDocument/hover",
                       "params": {"textDocument": 1.5, "position": "x" * 200}}
                      for n in range(400)]
        frames = b"".join(_frame(message) for message in [
            {"jsonrpc": "2.0", "id": "init", "method": "initialize",
             "params": {"capabilities": {}}},
            {"jsonrpc": "2.0", "method": "initialized", "params": {}},
            {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "yaml", "version": 1,
                "text": path.read_text(encoding="utf-8")}}},
            *unreadable,
            {"jsonrpc": "2.0", "id": "hover", "method": "textDocument/hover",
             "params": _hover_at(path)}])
        reading.submit(_write_all, server.stdin, frames)
        answered = {}
        while "hover" not in answered:
            answer = reading.submit(_read_frame, server.stdout).result(timeout=30)
            if "id" in answer and "method" not in answer:
                answered[answer["id"]] = answer
        assert all(answered[n]["error"]["code"] == -32602 for n in range(400))
        assert "Акмолинская" in answered["hover"]["result"]["contents"]["value"]
        server.stdin.close()
        stderr = server.stderr.read().decode()
        assert server.wait(30) == 0
        assert stderr.count("\n") <= 102 and "further ones are not logged" in stderr, stderr
        assert "Traceback" not in stderr
    finally:  # the server and its checker's process, which holds the same pipes
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        reading.shutdown()


def _write_all(stream, data: bytes) -> None:
    stream.write(data)
    stream.flush()


def _read_frame(stream) -> dict:
    length = None
    while (line := stream.readline()).strip():
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))
