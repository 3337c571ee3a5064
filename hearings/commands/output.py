"""Findings as text for people, JSON for programs, or GitHub workflow annotations."""

from __future__ import annotations

import json

from ..i18n import N_, _, ngettext
from ..month.findings import ERROR, FileReport, Finding


def _errors(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def _warnings(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def summary_line(report: FileReport, strict: bool) -> str:
    """One line per file: valid with its figures, or how many errors and warnings."""
    warnings = report.warnings
    if report.errors:
        return _("{file}: invalid: {errors}, {warnings}").format(
            file=report.file, errors=_errors(len(report.errors)),
            warnings=_warnings(len(warnings)))
    if report.figures is None:  # a facts file: no figures of its own
        line = _("{file}: valid").format(file=report.file)
    else:
        line = _("{file}: valid: {period}, {regions} regions, {announcements} announcements, "
                 "{protocols} protocols, {violations} violations").format(
            file=report.file, **report.figures)
    if warnings:
        line += "; " + _warnings(len(warnings))
        if not report.valid(strict):
            line += " " + _("(invalid with --strict)")
    return line


SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


def finding_line(finding: Finding) -> str:
    """file:line:column: severity [code] message (path): the severity in the messages'
    language, the code and path as they are in every language."""
    return (f"{finding.file}:{finding.line}:{finding.column}: "
            f"{_(SEVERITIES[finding.severity])} [{finding.code}] {finding.message} "
            f"({finding.json_path})")


def finding_lines(finding: Finding) -> list[str]:
    """The finding's line, and its hint below it, indented (a snippet to paste, say)."""
    lines = [finding_line(finding)]
    if finding.hint:
        lines += ["    " + line for line in finding.hint.splitlines()]
    return lines


def as_text(reports: list[FileReport], strict: bool) -> str:
    lines = []
    for report in reports:
        for finding in report.findings:
            lines += finding_lines(finding)
        lines.append(summary_line(report, strict))
    return "\n".join(lines)


def as_json(reports: list[FileReport], strict: bool) -> str:
    return json.dumps({
        "valid": all(r.valid(strict) for r in reports),
        "files": [{
            "file": r.file,
            "valid": r.valid(strict),
            "errors": len(r.errors),
            "warnings": len(r.warnings),
            "figures": r.figures,
            "findings": [f.as_dict() for f in r.findings],
        } for r in reports],
    }, ensure_ascii=False, indent=2)


def _escape(text: str, property_value: bool = False) -> str:
    # GitHub's workflow-command escaping; properties also escape ':' and ','.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(reports: list[FileReport], strict: bool) -> str:
    lines = []
    for report in reports:
        for f in report.findings:
            command = ("error" if f.severity == ERROR or (strict and f.code not in report.allowed)
                       else "warning")
            lines.append(f"::{command} file={_escape(f.file, True)},line={f.line},"
                         f"col={f.column},title={_escape(f.code, True)}::"
                         f"{_escape(f.message)} ({f.json_path})")
        lines.append(summary_line(report, strict))
    return "\n".join(lines)


FORMATS = {"text": as_text, "json": as_json, "github": as_github}


def build_as_text(outcome, strict: bool) -> str:
    """What a build found and did: the findings, the notes, each file and what happened."""
    lines = [as_text([outcome.report], strict)]
    if outcome.report.valid(strict):
        lines += [_("note: {note}").format(note=note) for note in outcome.notes]
        lines += [f"{path}: {status}" for path, status in outcome.files]
    return "\n".join(lines)


def build_as_json(outcome, strict: bool) -> str:
    report = json.loads(as_json([outcome.report], strict))["files"][0]
    return json.dumps({**report, "notes": outcome.notes,
                       "written": [{"file": str(path), "status": status}
                                   for path, status in outcome.files]},
                      ensure_ascii=False, indent=2)


def result_as_text(result, strict: bool) -> str:
    """One month of several: what build_as_text says, or the error that stopped it."""
    if result.outcome is None:
        return _("{file}: not built: {error}").format(file=result.data_file, error=result.error)
    text = build_as_text(result.outcome, strict)
    if not result.outcome.report.valid(strict):
        text += "\n" + _("{file}: nothing was written").format(file=result.data_file)
    return text


def batch_as_text(done: list, failed: list) -> str:
    """The last line of a build of several months: how many were built, which were not."""
    line = ngettext("{count} month: {built} built", "{count} months: {built} built",
                    len(done)).format(count=len(done), built=len(done) - len(failed))
    if failed:
        line += "; " + _("not built: {files}").format(
            files=", ".join(str(result.data_file) for result in failed))
    return line


def note_line(note) -> str:
    """A finding of `hearings import`: where in the Word file, severity, code, message."""
    return f"{note.place}: {_(SEVERITIES[note.severity])} [{note.code}] {note.message}"


def import_as_text(result) -> str:
    """Each file that is no month's report, each month's findings and what was written,
    then the archive at a glance: months imported, months refused, findings by kind."""
    lines = [note_line(note) for note in result.files]
    for month in result.months:
        lines.extend(note_line(note) for note in month.notes)
        if month.written:
            line = _("{file}: written from {files}").format(
                file=month.written, files=", ".join(month.files.values()))
            if month.errors_after:
                line += "; " + _("validate finds {errors} in it").format(
                    errors=_errors(month.errors_after))
            lines.append(line)
    imported = [m for m in result.months if m.written]
    refused = [m for m in result.months if not m.written]
    lines.append("")
    lines.append(ngettext("{count} month imported, {refused} refused, {files} files not "
                          "read as a month's report",
                          "{count} months imported, {refused} refused, {files} files not "
                          "read as a month's report", len(imported)).format(
                              count=len(imported), refused=len(refused),
                              files=len(result.files)))
    for month in result.months:
        counts: dict[str, int] = {}
        for note in month.notes:
            counts[note.code] = counts.get(note.code, 0) + 1
        kinds = ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or _("none")
        state = (_("imported") if month.written
                 else _("refused: {reason}").format(reason=month.refused))
        lines.append(f"  {month.period}: {state}; " + _("findings: {kinds}").format(kinds=kinds))
    return "\n".join(lines)


def import_as_json(result) -> str:
    return json.dumps({
        "files": [note.as_dict() for note in result.files],
        "months": [{"period": str(m.period), "files": m.files, "written": m.written,
                    "refused": m.refused, "errors_in_written_file": m.errors_after,
                    "findings": [note.as_dict() for note in m.notes]}
                   for m in result.months],
    }, ensure_ascii=False, indent=2)


def export_as_text(outcome) -> str:
    """What an export did: the errors of the months left out, why each was, the files."""
    lines = [finding_line(finding) for report in outcome.reports for finding in report.errors]
    lines += [_("{file}: left out of the export: {reason}").format(file=path, reason=reason)
              for path, reason in outcome.left_out]
    lines += [f"{path}: {status}" for path, status in outcome.files]
    lines += [_("note: {note}").format(note=note) for note in outcome.notes]
    return "\n".join(lines)


def year_as_text(span, outcome) -> str:
    """What a year's build did: the months left out and why, the months covered, the files."""
    lines = [_("{period}: left out ({path}: {reason})").format(
        period=period, path=path, reason=reason) for period, path, reason in outcome.left_out]
    lines.append(_("{span}: {count} months: {months}").format(
        span=span.name, count=len(outcome.covered),
        months=", ".join(str(period) for period in outcome.covered)))
    lines += [f"{path}: {status}" for path, status in outcome.files]
    lines += [_("note: {note}").format(note=note) for note in outcome.notes]
    return "\n".join(lines)


def new_as_text(path, source, warnings: list[Finding], unknown: str, renamed: str) -> str:
    """What `new` did: the facts it could not know, the file created and what it carried."""
    lines = [finding_line(warning) for warning in warnings
             if warning.code != "fact-left-out"]  # all the month's unknown facts follow
    if unknown:
        lines.append(unknown)
    if source:
        lines.append(_("{path}: created; signatory and executor carried over from {source}")
                     .format(path=path, source=source))
        if renamed:
            lines.append(_("note: {note}").format(note=renamed))
    else:
        lines.append(_("{path}: created; add the signatory and executor before the reports "
                       "are signed").format(path=path))
    return "\n".join(lines)


def translations_as_text(path, states: list) -> str:
    """Each free text of a month and whether its translation is current."""
    names = {"current": _("current"), "outdated": _("outdated: translate it again"),
             "unmarked": _("not marked")}
    return "\n".join(f"{path}: {state.kind}[{state.index}] «{state.first_words} …»: "
                     f"{names[state.state]}" for state in states)
