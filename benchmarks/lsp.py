"""Time from an edit to its diagnostics in `hearings lsp`, against `validate` in-process on
the same texts, in one run.

Run: python benchmarks/lsp.py [--edits N] [--period 2022-10]
- server: `hearings lsp` started once over stdio by pygls's client; the month's file opened,
  then N edits, each a whole new text (a region's count and total changed, alternately
  right and wrong), timed from sending didChange to receiving its publishDiagnostics;
- baseline: `check_text` (what `validate` runs on a file) on the same N texts in this
  process, with the facts loaded once, as the server has them.
The server side includes the JSON-RPC round trip over pipes and turning findings into
diagnostics; the baseline has neither. Medians and 95th percentiles, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from hearings.month.facts.dated import facts  # noqa: E402
from hearings.month.validate import check_text  # noqa: E402
from tests.months import month_data, write_month  # noqa: E402


def texts(path: Path, count: int) -> list[str]:
    """The month's text with Kostanay's first count set to 1..count, its total right on every
    second edit, so that the findings come and go as when typing."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("  kostanay:"))
    count_at = next(i for i in range(start, len(lines)) if "less-than-20-days:" in lines[i])
    total_at = next(i for i in range(start, len(lines)) if lines[i].startswith("    total:"))
    made = []
    for n in range(1, count + 1):
        edited = list(lines)
        edited[count_at] = f"      less-than-20-days: {n}"
        edited[total_at] = f"    total: {n if n % 2 else 0}"
        made.append("\n".join(edited))
    return made


async def server_times(path: Path, edits: list[str]) -> list[float]:
    client = LanguageClient("benchmark", "1")
    arrived: asyncio.Queue = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.put_nowait((time.perf_counter(), params.version))

    await client.start_io(sys.executable, "-m", "hearings", "lsp")
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri, "yaml", 1, path.read_text(encoding="utf-8"))))
    await arrived.get()
    times = []
    for version, text in enumerate(edits, 2):
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri),
            [lsp.TextDocumentContentChangeWholeDocument(text)]))
        received, got = await asyncio.wait_for(arrived.get(), 30)
        assert got == version
        times.append(received - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def baseline_times(path: Path, edits: list[str]) -> list[float]:
    month_facts = facts()
    check_text(edits[0], str(path), month_facts)  # the first call's imports, as the server's
    times = []
    for text in edits:
        start = time.perf_counter()
        check_text(text, str(path), month_facts)
        times.append(time.perf_counter() - start)
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--period", default="2022-10")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_month(Path(folder) / "data", month_data(args.period))
        edits = texts(path, args.edits)
        server = asyncio.run(server_times(path, edits))
        base = baseline_times(path, edits)
    print(f"{args.edits} edits of {args.period} ({len(edits[0].splitlines())} lines)")
    for name, values in (("hearings lsp, edit to diagnostics", server),
                         ("validate in-process (check_text)", base)):
        print(f"  {name:36} median {statistics.median(values) * 1000:6.1f} ms   "
              f"p95 {_p95(values) * 1000:6.1f} ms")
    print(f"  ratio (median): {statistics.median(server) / statistics.median(base):.2f}; "
          f"p95: {_p95(server) / _p95(base):.2f}")


if __name__ == "__main__":
    main()
