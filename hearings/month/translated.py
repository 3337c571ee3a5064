"""Translations that fell behind: each free text (an observation, a closing paragraph) may
record what its other language was translated from, `translated: {from: ru, digest: ...}`,
the source language and a digest of its text then. When the source text changes afterwards,
validate warns `translation-outdated` (and --strict refuses), in the editor too;
`hearings translated MONTH` lists the state of every text, and `--mark` records the texts
as they stand as translated."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .context import Context
from .findings import Finding
from .load import Document
from .reference import LANGUAGES

KINDS = ("observations", "closing")


def digest(text: str) -> str:
    """Eight hexadecimal digits of a text, its spaces and line breaks as one space: refolding
    a paragraph changes nothing."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class TextState:
    kind: str          # observations / closing
    index: int
    state: str         # current / outdated / unmarked
    source: str | None
    first_words: str


def _items(data: dict) -> Iterator[tuple[str, int, dict]]:
    for kind in KINDS:
        items = data.get(kind)
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield kind, index, item


def _recorded(item: dict) -> tuple[str, str] | None:
    mark = item.get("translated")
    if (isinstance(mark, dict) and mark.get("from") in LANGUAGES
            and isinstance(mark.get("digest"), str)
            and isinstance(item.get(mark["from"]), str)):
        return mark["from"], mark["digest"]
    return None


def states(data: dict) -> list[TextState]:
    found = []
    for kind, index, item in _items(data):
        recorded = _recorded(item)
        words = " ".join(str(item.get("ru", "")).split()[:6])
        if recorded is None:
            found.append(TextState(kind, index, "unmarked", None, words))
        else:
            source, was = recorded
            state = "current" if digest(item[source]) == was else "outdated"
            found.append(TextState(kind, index, state, source, words))
    return found


def check_translations(context: Context) -> Iterator[Finding]:
    """A translation whose source text changed after it was made: at the translation, naming
    the source's line."""
    for kind, index, item in _items(context.data):
        recorded = _recorded(item)
        if recorded is None:
            continue
        source, was = recorded
        now = digest(item[source])
        if now == was:
            continue
        target = next(lang for lang in LANGUAGES if lang != source)
        where = context.document.where((kind, index, source))
        yield context.finding("translation-outdated", (kind, index, target), params={
            "source": source, "target": target, "line": where.line, "was": was, "now": now})


def mark_text(document: Document, source: str = "ru") -> tuple[str, int]:
    """The file's text with every free text recorded as translated from `source` as it stands
    (a `translated:` line written before the item's first key, or its digest replaced), and
    how many were marked; comments and layout are kept."""
    lines = list(document.lines)
    changes: list[tuple[int, int, int, str]] = []  # line, column from, column to, new text
    count = 0
    for kind, index, item in _items(document.data):
        if not isinstance(item.get(source), str):
            continue
        new = digest(item[source])
        recorded = item.get("translated")
        if isinstance(recorded, dict) and (kind, index, "translated", "digest") in \
                document.values and recorded.get("from") == source:
            mark = document.values[(kind, index, "translated", "digest")]
            line = lines[mark.line - 1]
            end = mark.column - 1 + len(re.match(r"[^\s,}#]*", line[mark.column - 1:]).group())
            changes.append((mark.line - 1, mark.column - 1, end, new))
        elif recorded is None:
            start = document.values[(kind, index)]
            line = lines[start.line - 1]
            if line[start.column - 1:].startswith("{"):
                raise ValueError(f"{document.file}:{start.line}:{start.column}")
            indent = " " * (start.column - 1)
            changes.append((start.line - 1, start.column - 1, start.column - 1,
                            f"translated: {{from: {source}, digest: {new}}}\n{indent}"))
        else:
            continue
        count += 1
    for row, begin, end, new in sorted(changes, reverse=True):
        lines[row] = lines[row][:begin] + new + lines[row][end:]
    return "\n".join(lines) + "\n", count
