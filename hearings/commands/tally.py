"""`hearings tally`: a month's counts from its register, written into its monthly file in
place (its comments, order and free texts kept), or, with --check, each difference listed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import HearingsError, WriteError
from ..files.lock import folder_lock
from ..files.workspace import Workspace
from ..files.write import write_atomically
from ..i18n import _
from ..month.context import category_name, path_names, period_of
from ..month.load import LoadError, load
from ..month.register import read_register, register_file, row_names
from ..month.tally import derived_values, describe_unknown, differences, month_register
from ..month.validate import check_text

_SCALAR = re.compile(r"[^\s,}\]#]+")


class TallyError(HearingsError):
    """The month cannot be tallied: no register, a register with problems, a file that is not
    a month's."""


@dataclass
class Tallied:
    """What a tally found: the differences, what could not be derived, what was written."""

    lines: list[str] = field(default_factory=list)
    differences: int = 0
    written: bool = False


def _figure_name(ref, path: tuple) -> str:
    if path[0] == "summary":
        return "summary." + ".".join(path[1:])
    names = path_names(ref, path, None)
    what = (category_name(ref, path[-1]) if path[2] == "violations" else path[-1])
    return f"{names.get('region', path[1])} › {what}"


def rewrite(document, changes: list[tuple[tuple, object, object]]) -> str:
    """The file's text with each figure replaced where it stands; everything else as it
    was. A figure the file does not have at all is TallyError (validate names it)."""
    lines = list(document.lines)
    absent = [path for path, _typed, _derived in changes if path not in document.values]
    if absent:
        raise TallyError(_("{file} has no key for {paths}: add them (validate names them), "
                           "then tally again; nothing was written").format(
                               file=document.file,
                               paths=", ".join(".".join(map(str, p)) for p in absent)))
    for path, _typed, derived in changes:
        mark = document.values[path]
        line = lines[mark.line - 1]
        token = _SCALAR.match(line, mark.column - 1)
        lines[mark.line - 1] = line[:mark.column - 1] + str(derived) + line[token.end():]
    return "\n".join(lines) + "\n"


def _current_lines(path: Path) -> list[str] | None:
    try:
        return load(path).lines
    except LoadError:
        return None


def tally_month(path: Path, workspace: Workspace, check: bool) -> Tallied:
    """Derive the month in `path` from its register; write it unless `check`."""
    month_facts = workspace.checked_facts()
    ref = month_facts.reference
    period = period_of(path.stem)
    if period is None:
        raise TallyError(_("{path} is not named after a month (YYYY-MM.yaml)").format(
            path=path))
    if register_file(path) is None:
        raise TallyError(_("{path} has no register beside it: {csv} or {xlsx}").format(
            path=path, csv=path.with_name(f"{period}.register.csv"),
            xlsx=path.with_name(f"{period}.register.xlsx")))
    register, result = month_register(path, period, month_facts)
    if result is None:
        from .output import as_text

        bad = register.earlier_invalid["path"] if register.earlier_invalid else None
        shown = [read_register(Path(bad), bad, period_of(Path(bad).name.split(".")[0]), ref)
                 .report] if bad else [register.report]
        raise TallyError(as_text(shown, strict=False) + "\n" + _(
            "{register} has problems: nothing was derived, nothing written").format(
                register=bad or register.file))
    try:
        document = load(path)
    except LoadError as err:
        raise TallyError(_("{path} cannot be read: {code}").format(path=path,
                                                                    code=err.code)) from err
    changes = differences(document.data if isinstance(document.data, dict) else {},
                          derived_values(result, ref))
    outcome = Tallied(differences=len(changes))
    if result.unknown:
        outcome.lines.append(_("not derived under the Rules of {period} (not known: {rules}); "
                               "assert such findings in the register's finding column").format(
                                   period=period, rules=describe_unknown(result.unknown)))
    for path_, typed, derived in changes:
        rows = row_names(result.rows.get((path_[1], path_[-1]), []), register.file
                         ) if path_[0] == "regions" else ""
        outcome.lines.append(_("{figure}: {typed} → {derived}").format(
            figure=_figure_name(ref, path_), typed="–" if typed is None else typed,
            derived=derived) + (_(" (register rows {rows})").format(
                rows=rows) if rows else ""))
    if check or not changes:
        return outcome
    text = rewrite(document, changes)
    report = check_text(text, str(path), month_facts)
    if report.errors:
        raise TallyError(_("the tallied file would have errors, nothing was written: {first}")
                         .format(first=report.errors[0].message))
    try:
        with folder_lock(path.parent):
            current = _current_lines(path)
            if current != document.lines and current != text.splitlines():
                raise TallyError(_("{path} changed while it was tallied: nothing was written; "
                                   "tally it again").format(path=path))
            if current != text.splitlines():  # else another tally wrote the same meanwhile
                write_atomically(path, text.encode("utf-8"))
    except OSError as err:
        raise WriteError(_("{path} cannot be written: {reason}").format(
            path=path, reason=err.strerror or err)) from err
    outcome.written = True
    return outcome
