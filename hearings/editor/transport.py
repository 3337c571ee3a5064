"""What the language server reads from the client and what it logs: a frame of junk or of
any size read safely, a frame too large answered from its ends, pygls's own log kept short."""

from __future__ import annotations

import json
import logging
import re
import sys

from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification

# A header line is a few dozen bytes. A frame holds at most one text, which validate reads up
# to TEXT_LIMIT (2 MB of UTF-8: 12 MB at most as JSON's \\u escapes); a larger frame is read
# past, never held, and answered from its first and last bytes (FRAME_ENDS).
HEADER_LIMIT = 4096
FRAME_LIMIT = 16 * 1024 * 1024
FRAME_ENDS = 64 * 1024
_HEADER = b"Content-Length:"
DROPPED = "hearings/frameDropped"  # what stands for a frame that was dropped or unreadable
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
    return json.dumps({"jsonrpc": "2.0", "method": DROPPED, "params": params}).encode()


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
            return JsonRPCNotification(method=DROPPED, jsonrpc="2.0", params=None)
        if request and not hasattr(message, "id"):  # a notification's method, sent with an id
            self._send_response(data["id"], None, JsonRpcInvalidRequest(
                message=f"{data['method']} is a notification: it takes no id"
            ).to_response_error())
            return JsonRPCNotification(method=DROPPED, jsonrpc="2.0", params=None)
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
