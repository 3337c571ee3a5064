"""Damaged monthly files, made at random from a good one: whatever the damage, validation says
what is wrong with a place for each finding, a build writes both reports or nothing and says
why, and nothing ends in a traceback or hangs.

Damaged facts files too. HEARINGS_FUZZ=24000 pytest tests/test_fuzz.py searches deeper than
CI (300 monthly files, 100 facts files).
"""

from __future__ import annotations

import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearings.documents.report import build
from hearings.exceptions import HearingsError
from hearings.files.workspace import Workspace
from hearings.month.validate import validate_file

from .conftest import SIGNED
from .test_facts import CLAUSES_286, DEPARTMENTS_2026

GOOD = SIGNED.read_bytes()
EXAMPLES = int(os.environ.get("HEARINGS_FUZZ", 300))
SECONDS = 30  # far above any one file's validation and build (0.1 s)

# What damage looks like: pieces the analyst or a tool may leave in a file.
PIECES = [b"", b"\n", b" ", b"\t", b":", b"- ", b"{", b"}", b"[", b"]", b"'", b'"', b"&a ",
          b"*a", b"!!python/object:os.system", b"n/a", b"-1", b"015", b"0x1F", b"1_000",
          b"1.5", b"true", b"9" * 4300, b"9" * 5000, b"\xff", b"\xef\xbb\xbf", b"\x00",
          b'"\\a \\e \\x07 \\ue000 \\U0001F600"', "😀".encode(), "\u200b".encode(),
          "ع".encode(), b"\r\n", b"---\n", b"period: 2108-01\n", b"period: 0000-00\n",
          b"period: 0000-01\n", b"period: 20200-08\n", b"period: 2020-13\n",
          b"akmola:\n", b"total: 4\n", b"    violations: {}\n", b"date: 2020-02-30\n",
          b"evidence: []\n", b"  - region: akmola\n", "г. Шымкент".encode()]


@st.composite
def damaged(draw) -> bytes:
    """The good file with one to five damages: a cut, a piece inserted, a span deleted,
    bytes changed, a line repeated or moved."""
    data = bytearray(GOOD)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["cut", "insert", "delete", "flip", "repeat", "move"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(PIECES))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            line = lines[index]
            if kind == "move":
                del lines[index]
            lines.insert(draw(st.integers(0, len(lines))), line)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@contextmanager
def _at_most(seconds: int):
    def hung(signum, frame):
        raise AssertionError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged())
def test_any_damaged_file_is_findings_with_places_or_a_whole_build(text) -> None:
    with tempfile.TemporaryDirectory() as work, _at_most(SECONDS):
        work = Path(work)
        (work / "data").mkdir()
        path = work / "data" / "2020-08.yaml"
        path.write_bytes(text)
        report = validate_file(path)
        lines = len(text.splitlines()) + 1
        for finding in report.findings:
            assert finding.file == str(path)
            assert 1 <= finding.line <= lines and finding.column >= 1, finding
            assert finding.message and "None" not in finding.message, finding
            finding.as_dict()  # printable as JSON: no figure too large to print
        try:
            outcome = build(path, work / "reports", workspace=Workspace(work))
        except HearingsError as err:  # a message the command line prints, never a traceback
            assert str(err)
            assert not (work / "reports" / "2020-08").exists()
            return
        month = work / "reports" / "2020-08"
        written = sorted(p.name for p in month.iterdir()) if month.exists() else []
        assert written in ([], ["2020-08-kk.docx", "2020-08-ru.docx"]), written
        assert bool(written) == (not outcome.report.errors)


# A folder's facts file: an edition's clauses and dated departments (tests/test_facts.py)
FACTS_TEXT = (CLAUSES_286 + DEPARTMENTS_2026).encode()
FACTS_PIECES = [*PIECES, b"valid_from: 2026-13-01\n", b"valid_until: 1900-01-01\n",
                b"edition: nowhere\n", b"source: \n", b"ru: \n", b"kk: ~\n", b"- code: x\n"]


@st.composite
def damaged_facts(draw) -> bytes:
    """The facts file of tests/test_facts.py (clauses of an edition, departments) with one to
    five damages: a piece inserted, a span deleted, bytes changed."""
    data = bytearray(FACTS_TEXT)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["insert", "delete", "flip"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(FACTS_PIECES))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 120))]
        elif data:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@settings(max_examples=EXAMPLES // 3, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged_facts())
def test_any_damaged_facts_file_is_findings_with_places_or_facts(text) -> None:
    """Whatever the damage to a folder's facts file, its facts are read or its findings say
    where it is wrong; never a traceback or a hang."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "reference").mkdir()
        (Path(folder) / "reference" / "facts.yaml").write_bytes(text)
        with _at_most(SECONDS):
            try:
                facts = Workspace(Path(folder)).checked_facts()
            except HearingsError as err:
                assert "reference/facts.yaml" in str(err)
            else:
                assert facts is not None
