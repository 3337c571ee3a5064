"""What a build does to a month's folder: the files it writes, keeps, and moves into a
numbered set of previous files, so that every PDF beside a DOCX was made from it."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from .limits import UnreadableFile, read_limited

# Which DOCX bytes each PDF was made from: a PDF is kept only while they are on disk.
MADE_FROM = ".made-from.json"
WRITTEN, UNCHANGED, REPLACED = N_("written"), N_("unchanged"), N_("replaced")
# A detached signature (NCALayer's CMS) is kept beside what it signs: <report>.cms.
SIGNATURE = ".cms"


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def status(path: Path, content: bytes) -> str:
    """What writing content to path would do: a new file, the same, or a replacement (of
    anything else standing there: another file, or a FIFO, which is never read)."""
    if not os.path.lexists(path):
        return WRITTEN
    try:
        return UNCHANGED if read_limited(path, len(content) + 1, follow_links=False) == content \
            else REPLACED
    except UnreadableFile:
        return REPLACED


def _previous_sets(folder: Path, period: str) -> list[int]:
    """The numbers of the sets of previous files in the folder, oldest first."""
    pattern = re.compile(rf"^{re.escape(period)}-[a-z]+\.previous-(\d+)\.(docx|pdf)$")
    names = (path.name for path in folder.iterdir()) if folder.is_dir() else ()
    return sorted({int(found.group(1)) for name in names if (found := pattern.match(name))})


@dataclass
class Plan:
    """The folder's next state, worked out before anything is written."""

    folder: Path
    period: str
    files: dict[str, bytes] = field(default_factory=dict)     # to write
    renames: dict[str, str] = field(default_factory=dict)     # into the set of previous files
    removals: list[str] = field(default_factory=list)         # previous sets beyond the limit
    said: dict[str, str] = field(default_factory=dict)        # what happened, file by file
    made_from: dict[str, str] = field(default_factory=dict)
    recorded: dict[str, str] = field(default_factory=dict)    # the record as on disk

    @classmethod
    def of(cls, folder: Path, period: str) -> Plan:
        path = folder / MADE_FROM
        try:
            made_from = json.loads(read_limited(path)) if path.exists() else {}
        except (UnreadableFile, ValueError):
            made_from = {}  # unreadable: no PDF is trusted, each is made again or moved
        made_from = made_from if isinstance(made_from, dict) else {}
        return cls(folder, period, made_from=dict(made_from), recorded=made_from)

    def status(self, name: str, content: bytes) -> str:
        return status(self.folder / name, content)

    def pdf_is_current(self, docx: str, content: bytes) -> bool:
        """Whether the PDF beside this DOCX was made from exactly these bytes."""
        pdf = Path(docx).with_suffix(".pdf").name
        return (self.folder / pdf).exists() and self.made_from.get(pdf) == digest(content)

    def _set_number(self) -> int:
        return (_previous_sets(self.folder, self.period) or [0])[-1] + 1

    def write(self, name: str, content: bytes, status: str) -> None:
        if status == REPLACED:
            self.move_aside(name)
        if status != UNCHANGED:
            self.files[name] = content
        self.said.setdefault(name, _(status))

    def move_aside(self, name: str) -> None:
        """Put a file into this build's set of previous files (one number per build)."""
        path = Path(name)
        kept = f"{path.stem}.previous-{self._set_number()}{path.suffix}"
        self.renames[name] = kept
        self.made_from.pop(name, None)
        self.said[name] = _("replaced (previous kept as {name})").format(name=kept)
        if (self.folder / (name + SIGNATURE)).exists():  # a signature goes with what it signs
            self.renames[name + SIGNATURE] = kept + SIGNATURE
            self.said[name + SIGNATURE] = _("moved to {name} with the file it signs").format(
                name=kept + SIGNATURE)

    def remove_aside(self, name: str) -> None:
        """A PDF no longer made from its DOCX leaves with the previous files."""
        self.move_aside(name)
        self.said[name] = _("moved to {name}: it was made from the previous report; build "
                            "with --pdf for a new one").format(name=self.renames[name])

    def record(self, pdf: str, docx_content: bytes) -> None:
        self.made_from[pdf] = digest(docx_content)

    def keep_at_most(self, sets: int) -> None:
        """Remove the oldest sets of previous files beyond `sets`, counting this build's."""
        numbers = _previous_sets(self.folder, self.period)
        current = self._set_number() if self.renames else None
        if current:
            numbers.append(current)
        for number in numbers[:max(0, len(numbers) - sets)]:
            if number != current:
                self.removals += [path.name for path in self.folder.glob(
                    f"{self.period}-*.previous-{number}.*")]
                continue
            for name in self.renames:  # this build keeps nothing: replaced, not kept
                self.removals.append(name)
                self.said[name] = _(REPLACED) if name in self.files else _("removed")
            self.renames.clear()

    def finish(self) -> bool:
        """Whether the folder changes; the record of what each PDF was made from goes with."""
        made_from = {pdf: value for pdf, value in sorted(self.made_from.items())
                     if pdf in self.files or ((self.folder / pdf).exists()
                                              and pdf not in self.renames)}
        if made_from and made_from != self.recorded:
            self.files[MADE_FROM] = (json.dumps(made_from, indent=1) + "\n").encode()
        elif not made_from and (self.folder / MADE_FROM).exists():
            self.removals.append(MADE_FROM)
        return bool(self.files or self.renames or self.removals)
