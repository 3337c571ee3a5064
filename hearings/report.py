"""Build one month's reports: validate, model, localize, render, check parity, write safely."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .checks import check_ready_to_sign
from .exceptions import ReportExistsError
from .facts import facts
from .findings import FileReport
from .i18n import N_, _
from .localize import document_context, table
from .model import Month, month_from
from .parity import check_parity
from .pdf import libreoffice, to_pdf
from .reference import LANGUAGES, document_settings, reference
from .render import render
from .validate import check_file
from .workspace import Workspace
from .write import recover, replace_folder

WRITTEN, UNCHANGED, REPLACED = N_("written"), N_("unchanged"), N_("replaced")


@dataclass
class Outcome:
    """What a build did: the validation report, and each file with what happened to it."""

    report: FileReport
    files: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _previous_name(path: Path) -> Path:
    """The first free name to keep a replaced report under: 2020-08-ru.previous-1.docx."""
    number = 1
    while True:
        candidate = path.with_name(f"{path.stem}.previous-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def _status(path: Path, content: bytes) -> str:
    if not path.exists():
        return WRITTEN
    return UNCHANGED if path.read_bytes() == content else REPLACED


def previous_month(month: Month, path: Path) -> tuple[Month | None, str | None]:
    """The month before from its file, and a note when the reports make no comparison: the
    same wherever the month's own file lies."""
    if not path.exists():
        return None, _("there is no {path}: the reports say nothing about the month before")\
            .format(path=path)
    report, context = check_file(path)
    if report.errors:
        return None, _("{path} has errors: the comparison with the previous month is left "
                       "out").format(path=path)
    if context.period != month.period.previous():
        return None, _("{path} is not the month before {period}: the comparison is left "
                       "out").format(path=path, period=month.period)
    return month_from(context.data, reference()), None


def _refuse_replacing(statuses: dict[Path, str], force: bool) -> None:
    blocked = [path for path, status in statuses.items() if status == REPLACED]
    if blocked and not force:
        raise ReportExistsError(_(
            "these reports exist with other content and were not replaced: {files}; rebuild "
            "with --force to replace them (the previous files are kept beside)").format(
                files=", ".join(str(p) for p in blocked)))


def build(data_file: Path, reports_dir: Path, *, force: bool = False, pdf: bool = False,
          strict: bool = False, workspace: Workspace | None = None,
          previous: Path | None = None) -> Outcome:
    """Write reports/<period>/<period>-<lang>.docx (and .pdf) for a valid file.

    A file that names no signatory or executor gives reports without the signature block or
    the executor's line, and a warning. Nothing is written when the file is invalid (with
    strict, when it has warnings), when a report exists with other content and force is not
    given, or when PDF conversion fails. The templates are the workspace's (default: the
    current folder's), else the packaged ones; the month before is `previous`, by default
    the workspace's data/<month before>.yaml, wherever the month's own file lies.
    """
    workspace = workspace or Workspace.here()
    # validate, and check the file names who signs
    report, context = check_file(data_file)
    if not report.errors:
        report = FileReport(report.file, report.findings + list(check_ready_to_sign(context)),
                            report.figures)
    if not report.valid(strict):
        return Outcome(report)
    if pdf:
        libreoffice()  # fail before rendering when it is missing
    # model, words, documents
    ref, settings = reference(), document_settings()
    month = month_from(context.data, ref)
    month_facts = facts().for_month(month.period)
    before, note = previous_month(
        month, previous or workspace.data_dir / f"{month.period.previous()}.yaml")
    documents = {
        lang: render(document_context(month, ref, month_facts, settings, lang, before),
                     table(month, ref, lang, settings["languages"][lang]),
                     settings, lang, month.period.last_day, workspace.template(lang))
        for lang in LANGUAGES}
    # both languages state the same figures, and the summary agrees with the table
    check_parity(documents, [month.group_columns(group.code) for group in ref.groups])
    # plan every file before writing any, on what a killed build may have left
    folder = reports_dir / str(month.period)
    recover(folder)
    plan = {folder / f"{month.period}-{lang}.docx": content
            for lang, content in documents.items()}
    statuses = {path: _status(path, content) for path, content in plan.items()}
    _refuse_replacing(statuses, force)
    if pdf:
        changed = {path.name: plan[path] for path, status in statuses.items()
                   if status != UNCHANGED or not path.with_suffix(".pdf").exists()}
        converted = to_pdf(changed) if changed else {}
        for path in list(plan):
            pdf_path = path.with_suffix(".pdf")
            if pdf_path.name in converted:
                plan[pdf_path] = converted[pdf_path.name]
                statuses[pdf_path] = WRITTEN if not pdf_path.exists() else REPLACED
            else:  # its DOCX is unchanged and the PDF made from it is there
                plan[pdf_path] = pdf_path.read_bytes()
                statuses[pdf_path] = UNCHANGED
        _refuse_replacing(statuses, force)
    outcome = Outcome(report, notes=[note] if note else [])
    renames, files = {}, {}
    for path, content in plan.items():
        status = statuses[path]
        if status == REPLACED:
            kept = _previous_name(path)
            renames[path.name] = kept.name
            said = _("replaced (previous kept as {name})").format(name=kept.name)
        else:
            said = _(WRITTEN) if status == WRITTEN else _(UNCHANGED)
        if status != UNCHANGED:
            files[path.name] = content
        outcome.files.append((path, said))
    # the month's files change together, or not at all
    if files:
        replace_folder(folder, renames, files)
    return outcome
