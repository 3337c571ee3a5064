"""The command line: parses options and hands each command to its module; every word of it,
help included, in the language chosen (click's own through its gettext hook, see i18n)."""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ..i18n import MESSAGE_LANGUAGES, N_, _, language_from_environment, set_language
from ..month.findings import WARNING_CODES

MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
EPILOG = N_("""\b
Examples:
  hearings new 2020-09                  start a month: data/2020-09.yaml
  hearings validate 2020-09             check it (a month, or a file's path)
  hearings compare 2020-08 2020-09      how every figure changed
  hearings build 2020-09 --pdf          both reports in reports/2020-09/
  hearings build --all                  every month, on every core
  hearings export                       open data in reports/open-data/
  hearings import archive/              past months' Word reports, as monthly files
  hearings translated 2020-09           which free texts need the translator
  hearings year 2022 --partial          the year's report, from the months there are
  hearings --lang ru validate           messages in Russian (or HEARINGS_LANG=ru)

\b
Exit codes: 0 done and valid; 1 findings, or nothing written; 2 the command was used
wrongly (an unknown option, a missing file).""")


@contextmanager
def _translated(command: click.Command):
    """The command's help texts in the current language while its help is written."""
    texts = [(command, "help"), (command, "epilog"), (command, "options_metavar"),
             (command, "subcommand_metavar"),
             *((param, "help") for param in command.params),
             *((param, "metavar") for param in command.params)]
    originals = [(item, name, getattr(item, name, None)) for item, name in texts]
    for item, name, text in originals:
        if isinstance(text, str) and text:
            setattr(item, name, _(text))
    try:
        yield
    finally:
        for item, name, text in originals:
            setattr(item, name, text)


class _Speaking:
    """Help written in the chosen language; command summaries never cut short."""

    def parse_args(self, ctx, args):
        # the language first, wherever --lang stands: click's own errors come out in it too
        for index, arg in enumerate(args):
            value = (arg.partition("=")[2] if arg.startswith("--lang=")
                     else args[index + 1] if arg == "--lang" and index + 1 < len(args) else None)
            if value in MESSAGE_LANGUAGES:
                set_language(value)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx):
        self._help_option = None  # made again: its text follows the language of this run
        return super().get_help_option(ctx)

    def format_help(self, ctx, formatter) -> None:
        with _translated(self):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return (self.help or "").split("\n\n")[0].replace("\n", " ").strip()


class Command(_Speaking, click.Command):
    pass


class Group(_Speaking, click.Group):
    command_class = Command

    def invoke(self, ctx):
        """A fault no message foresaw is still a message, never a traceback (with
        HEARINGS_DEBUG=1, the traceback, for whoever mends it)."""
        from ..exceptions import HearingsError

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort,
                SystemExit, KeyboardInterrupt):
            raise
        except HearingsError as err:
            raise click.ClickException(str(err)) from err
        except Exception as err:
            if os.environ.get("HEARINGS_DEBUG"):
                raise
            raise click.ClickException(_(
                "unexpected error, a fault of the tool's ({kind}: {reason}); nothing more was "
                "done. Run it again with HEARINGS_DEBUG=1 to see where, and report it").format(
                    kind=type(err).__name__, reason=str(err)[:300])) from err


def _use_language(ctx, param, value) -> None:
    if value is not None or ctx.parent is None:  # the command's own --lang, else the default
        set_language(value or language_from_environment())


def _lang_option(function):
    return click.option(
        "--lang", type=click.Choice(MESSAGE_LANGUAGES), envvar="HEARINGS_LANG",
        is_eager=True, expose_value=False, callback=_use_language,
        help=N_("Language of messages and help: en, ru or kk (default: HEARINGS_LANG, "
                "then LANG / LC_ALL, else en); before or after the command."))(function)


def _data_option(function):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, show_default="data", metavar=N_("FOLDER"),
                        help=N_("The folder of monthly files."))(function)


def _writing_options(function):
    """Where and how reports are written: the same for a month's and a year's."""
    for option in reversed((
            click.option("--reports", "reports_dir",
                         type=click.Path(file_okay=False, path_type=Path),
                         default=None, show_default="reports", metavar=N_("FOLDER"),
                         help=N_("Where reports are written.")),
            click.option("--pdf", is_flag=True, help=N_(
                "Also make both reports archival PDFs (PDF/A-2b, with LibreOffice).")),
            click.option("--force", is_flag=True, help=N_(
                "Replace reports whose content changed; the previous files are kept.")),
            click.option("--keep", type=click.IntRange(min=0), default=3, show_default=True,
                         metavar="N", help=N_(
                             "Sets of previous files (DOCX and PDF of one build) kept per "
                             "month.")))):
        function = option(function)
    return function


def _workspace(data_dir: Path | None):
    """The folder worked in (found as git finds its repository), with --data if given."""
    from ..files.workspace import Workspace

    return Workspace.find(data_dir)


def _month_file(value: str, data_dir: Path) -> Path:
    """A month (2020-08: data/2020-08.yaml) or a file's path; a usage error when missing."""
    path = data_dir / f"{value}.yaml" if MONTH.match(value) else Path(value)
    if not path.is_file():
        raise click.UsageError(_("{path} does not exist").format(path=path))
    return path


def _period(context, parameter, value):
    from ..month.reference import Period

    try:
        return Period.parse(value)
    except ValueError as err:
        raise click.BadParameter(_(
            "{value} is not a month: write it YYYY-MM, the month from 01 to 12").format(
                value=repr(value))) from err


def _fail(err) -> click.ClickException:
    return click.ClickException(str(err))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Monthly report on public-hearing announcements and protocols, in "
                     "Russian and Kazakh."), epilog=EPILOG, options_metavar=N_("[OPTIONS]"),
             subcommand_metavar=N_("COMMAND [ARGS]..."))
@click.version_option(package_name="hearings", prog_name="hearings",
                      message="%(prog)s %(version)s",
                      help=N_("Show the version and exit."))
@_lang_option
def main() -> None:
    import signal
    import threading

    from ..files.write import stop

    # Ctrl-C waits until no folder is being replaced (a few milliseconds), then stops
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, stop)


@main.command(help=N_("Check monthly files (default: every file in the data folder); exit 1 "
                      "if any is invalid."), options_metavar=N_("[OPTIONS]"))
@click.argument("files", nargs=-1, metavar=N_("[MONTH-OR-FILE]..."))
@_data_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help=N_("How to print the findings."))
@click.option("--strict", is_flag=True, help=N_("Fail on warnings as well as errors."))
@click.option("--allow", "allowed", multiple=True, metavar=N_("CODE"),
              type=click.Choice(WARNING_CODES),
              help=N_("With --strict, let warnings of this code pass (repeatable)."))
@_lang_option
def validate(files: tuple[str, ...], data_dir: Path, output_format: str, strict: bool,
             allowed: tuple[str, ...]) -> None:
    from ..exceptions import HearingsError
    from ..month.validate import default_files, validate_file
    from .output import FORMATS

    workspace = _workspace(data_dir)
    data_dir = workspace.data_dir
    paths = [_month_file(value, data_dir) for value in files] or default_files(data_dir)
    if not paths:
        raise click.UsageError(_("no monthly files given and none in {folder}").format(
            folder=data_dir))
    try:
        month_facts = workspace.facts()
        reports = [validate_file(path, month_facts=month_facts) for path in paths]
    except HearingsError as err:
        raise _fail(err) from err
    if month_facts.report is not None:  # the folder's own facts file, checked like a month
        reports.insert(0, month_facts.report)
    for report in reports:
        report.allowed = frozenset(allowed)
    click.echo(FORMATS[output_format](reports, strict))
    sys.exit(0 if all(report.valid(strict) for report in reports) else 1)


@main.command(help=N_("Build the Russian and Kazakh reports of a month (default: the newest "
                      "in the data folder), of several months, or of all (--all), on every "
                      "core."), options_metavar=N_("[OPTIONS]"))
@click.argument("months", nargs=-1, metavar=N_("[MONTH-OR-FILE]..."))
@_data_option
@click.option("--all", "every", is_flag=True, help=N_("Build every month in the data folder."))
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help=N_("Months built at once with several months (default: one per core)."))
@_writing_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print what was done."))
@click.option("--strict", is_flag=True,
              help=N_("Write nothing when the file has warnings (as validate --strict)."))
@click.option("--previous", metavar=N_("MONTH-OR-FILE"), default=None,
              help=N_("The month before, for the comparison (default: the data folder's)."))
@_lang_option
def build(months: tuple[str, ...], data_dir: Path, every: bool, jobs: int | None,
          reports_dir: Path, output_format: str, pdf: bool, force: bool, strict: bool,
          previous: str | None, keep: int) -> None:
    from ..documents.report import build as build_reports
    from ..exceptions import HearingsError
    from ..month.validate import default_files, newest_month
    from .output import build_as_json, build_as_text

    workspace = _workspace(data_dir)
    data_dir, reports_dir = workspace.data_dir, reports_dir or workspace.reports_dir
    if every:
        if months:
            raise click.UsageError(_("give months or --all, not both"))
        months = tuple(str(path) for path in default_files(data_dir))
    elif not months:  # the newest file named after a month: a copy's name is no month
        months = tuple(str(path) for path in newest_month(data_dir))
    if not months:
        raise click.UsageError(_("no monthly file given and none in {folder}").format(
            folder=data_dir))
    data_files = [_month_file(month, data_dir) for month in months]
    if len(data_files) > 1 or every:
        if previous:
            raise click.UsageError(_("--previous is for one month; with several, each month's "
                                     "previous one comes from the data folder"))
        _build_many(data_files, reports_dir, output_format, strict, jobs, workspace,
                    dict(force=force, pdf=pdf, strict=strict, keep=keep))
        return
    before = _month_file(previous, data_dir) if previous else None
    try:
        outcome = build_reports(data_files[0], reports_dir, force=force, pdf=pdf, strict=strict,
                                previous=before, keep=keep, workspace=workspace)
    except HearingsError as err:
        raise _fail(err) from err
    show = build_as_json if output_format == "json" else build_as_text
    click.echo(show(outcome, strict))
    if not outcome.report.valid(strict):
        if output_format == "text":
            click.echo(_("nothing was written"), err=True)
        sys.exit(1)


def _build_many(data_files: list[Path], reports_dir: Path, output_format: str, strict: bool,
                jobs: int | None, workspace, options: dict) -> None:
    """Every month built, on every core; on a terminal a progress bar, then each month's
    lines in order; otherwise each month's lines as it is done. Exit 1 when any failed."""
    import json

    from ..files.batch import build_many, jobs_default
    from .output import batch_as_text, build_as_json, result_as_text

    batch = build_many(data_files, reports_dir, jobs=jobs or jobs_default(),
                       workspace=workspace, options=options)
    done, interrupted = [], False
    try:
        if output_format == "json":
            done.extend(batch)
        elif sys.stderr.isatty():
            with click.progressbar(length=len(data_files), label=_("Building"),
                                   file=sys.stderr) as bar:
                for result in batch:
                    done.append(result)
                    bar.update(1)
        else:
            for result in batch:
                done.append(result)
                click.echo(result_as_text(result, strict))
    except KeyboardInterrupt:  # Ctrl-C: the workers are stopped, what was written is said
        interrupted = True
        for result in batch.stop():
            done.append(result)
            if output_format == "text" and not sys.stderr.isatty():
                click.echo(result_as_text(result, strict))
    if sys.stderr.isatty() and output_format != "json":
        done.sort(key=lambda result: data_files.index(result.data_file))
        click.echo("\n".join(result_as_text(result, strict) for result in done))
    failed = [result for result in done if not result.succeeded(strict)]
    if output_format == "json":
        done.sort(key=lambda result: data_files.index(result.data_file))
        click.echo(json.dumps({"valid": not failed, "months": [
            json.loads(build_as_json(r.outcome, strict)) if r.outcome else
            {"file": str(r.data_file), "valid": False, "error": r.error} for r in done]},
            ensure_ascii=False, indent=2))
    else:
        click.echo(batch_as_text(done, failed))
    if interrupted:
        built = {result.data_file for result in done}
        click.echo(_("interrupted: not built: {files}").format(files=", ".join(
            str(path) for path in data_files if path not in built)), err=True)
        sys.exit(130)
    sys.exit(1 if failed else 0)


@main.command(help=N_("Write the figures of every valid month (default: all in the data "
                      "folder) as open data: CSV, XLSX and a Frictionless data package."),
              options_metavar=N_("[OPTIONS]"))
@click.argument("months", nargs=-1, metavar=N_("[MONTH-OR-FILE]..."))
@_data_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, show_default="reports/open-data", metavar=N_("FOLDER"),
              help=N_("Where the open-data files are written."))
@click.option("--force", is_flag=True, help=N_(
    "Replace an export that holds months this one does not."))
@_lang_option
def export(months: tuple[str, ...], data_dir: Path, out_dir: Path, force: bool) -> None:
    from ..exceptions import HearingsError
    from ..files.export import export as export_months
    from ..month.validate import default_files
    from .output import finding_line

    workspace = _workspace(data_dir)
    data_dir = workspace.data_dir
    out_dir = out_dir or workspace.reports_dir / "open-data"
    files = [_month_file(month, data_dir) for month in months] or default_files(data_dir)
    if not files:
        raise click.UsageError(_("no monthly files given and none in {folder}").format(
            folder=data_dir))
    try:
        outcome = export_months(files, out_dir, force=force,
                                month_facts=workspace.checked_facts())
    except HearingsError as err:
        raise _fail(err) from err
    for report in outcome.reports:
        for finding in report.errors:
            click.echo(finding_line(finding))
    for path, reason in outcome.left_out:
        click.echo(_("{file}: left out of the export: {reason}").format(file=path,
                                                                          reason=reason))
    for path, status in outcome.files:
        click.echo(f"{path}: {status}")
    for note in outcome.notes:
        click.echo(_("note: {note}").format(note=note))
    if not outcome.files:
        click.echo(_("no valid month: nothing was written"), err=True)
    sys.exit(1 if outcome.left_out else 0)


def _span(context, parameter, value):
    from ..documents.year import Span

    try:
        return Span.parse(value)
    except ValueError as err:
        raise click.BadParameter(_(
            "{value} is not a year or a quarter: write it YYYY or YYYY-Q1 to YYYY-Q4").format(
                value=repr(value))) from err


@main.command(help=N_("Build the report of a year (2021) or a quarter (2021-Q3) from its "
                      "monthly files, in Russian and Kazakh."), options_metavar=N_("[OPTIONS]"))
@click.argument("span", callback=_span, metavar=N_("YEAR-OR-QUARTER"))
@_data_option
@_writing_options
@click.option("--partial", is_flag=True,
              help=N_("Build from the months there are when some are missing or invalid "
                      "(the report says which it covers)."))
@_lang_option
def year(span, data_dir: Path, reports_dir: Path, partial: bool, pdf: bool, force: bool,
         keep: int) -> None:
    from ..documents.year import build_year
    from ..exceptions import HearingsError
    from ..files.pdf import libreoffice

    workspace = _workspace(data_dir)
    try:
        if pdf:
            libreoffice()
        outcome = build_year(span, workspace.data_dir, reports_dir or workspace.reports_dir,
                             partial=partial, force=force, pdf=pdf, keep=keep,
                             workspace=workspace)
    except HearingsError as err:
        raise _fail(err) from err
    for period, path, reason in outcome.left_out:
        click.echo(_("{period}: left out ({path}: {reason})").format(
            period=period, path=path, reason=reason))
    click.echo(_("{span}: {count} months: {months}").format(
        span=span.name, count=len(outcome.covered),
        months=", ".join(str(period) for period in outcome.covered)))
    for path, status in outcome.files:
        click.echo(f"{path}: {status}")
    for note in outcome.notes:
        click.echo(_("note: {note}").format(note=note))


@main.command(help=N_("Print how every figure changed from one month to another."),
              options_metavar=N_("[OPTIONS]"))
@click.argument("before", metavar=N_("MONTH-OR-FILE"))
@click.argument("after", metavar=N_("MONTH-OR-FILE"))
@_data_option
@_lang_option
def compare(before: str, after: str, data_dir: Path) -> None:
    from ..exceptions import HearingsError
    from ..month.model import month_from
    from ..month.reference import reference
    from ..month.validate import check_file
    from .compare import compare_text
    from .output import as_text

    workspace = _workspace(data_dir)
    data_dir = workspace.data_dir
    try:
        month_facts = workspace.checked_facts()
    except HearingsError as err:
        raise _fail(err) from err
    months = []
    for path in (_month_file(before, data_dir), _month_file(after, data_dir)):
        report, context = check_file(path, month_facts=month_facts)
        if report.errors:
            click.echo(as_text([report], strict=False))
            sys.exit(1)
        months.append(month_from(context.data, reference()))
    click.echo(compare_text(*months))


@main.command(help=N_("Create the file of a month in the data folder: every region in force "
                      "at zero, ready to fill in."), options_metavar=N_("[OPTIONS]"))
@click.argument("period", callback=_period, metavar=N_("MONTH"))
@_data_option
@_lang_option
def new(period, data_dir: Path) -> None:
    from ..exceptions import HearingsError
    from .new import new_month
    from .output import finding_line

    workspace = _workspace(data_dir)
    try:
        path, source, warnings, unknown, renamed = new_month(period, workspace.data_dir,
                                                             workspace)
    except HearingsError as err:
        raise _fail(err) from err
    for warning in warnings:
        if warning.code != "fact-left-out":  # all the month's unknown facts follow
            click.echo(finding_line(warning))
    if unknown:
        click.echo(unknown)
    if source:
        click.echo(_("{path}: created; signatory and executor carried over from {source}")
                   .format(path=path, source=source))
        if renamed:
            click.echo(_("note: {note}").format(note=renamed))
    else:
        click.echo(_("{path}: created; add the signatory and executor before the reports are "
                     "signed").format(path=path))


@main.command(help=N_("Write schema/monthly.schema.json and schema/facts.schema.json from the "
                      "reference data, for editors."), options_metavar=N_("[OPTIONS]"))
@click.option("--check", is_flag=True,
              help=N_("Only report whether schema/ matches the reference data; exit 1 if not."))
@_lang_option
def schema(check: bool) -> None:
    from ..files.limits import UnreadableFile, read_limited
    from ..files.workspace import Workspace
    from ..files.write import write_atomically
    from ..month.facts_file import facts_schema_text
    from ..month.reference import reference
    from ..month.schema import schema_text

    workspace = Workspace.find()
    stale = []
    for path, text in ((workspace.schema_file, schema_text(reference())),
                       (workspace.facts_schema_file, facts_schema_text(reference()))):
        try:  # a folder, a FIFO or a file of another kind there is no schema: it differs
            current = read_limited(path).decode("utf-8", "replace")
        except UnreadableFile:
            current = None
        if check:
            if current != text:
                stale.append(path)
            else:
                click.echo(_("{path}: up to date").format(path=path))
        elif current == text:
            click.echo(_("{path}: unchanged").format(path=path))
        else:
            try:
                write_atomically(path, text.encode("utf-8"))
            except OSError as err:  # a full disk, a read-only folder, a folder in its place
                raise click.ClickException(_(
                    "{folder} cannot be written: {reason}; what was there is as it was").format(
                        folder=path, reason=err.strerror or err)) from err
            click.echo(_("{path}: written").format(path=path))
    if stale:
        raise click.ClickException("; ".join(_("{path} is out of date: run `hearings schema`")
                                             .format(path=path) for path in stale))


@main.command(help=N_("Print what a month's reports will state: the ministry, the Rules and "
                      "their clauses, the departments, the regions, each with where it comes "
                      "from, and what is not known; without a month, what is missing for "
                      "every month in the data folder."), options_metavar=N_("[OPTIONS]"))
@click.argument("periods", nargs=-1, callback=lambda c, p, v: tuple(_period(c, p, x) for x in v),
                metavar=N_("[MONTH]..."))
@_data_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print the facts."))
@_lang_option
def facts(periods, data_dir: Path, output_format: str) -> None:
    from ..exceptions import HearingsError
    from ..month.reference import Period, reference
    from ..month.stated import as_json, missing_text, statement_text
    from ..month.validate import default_files

    workspace = _workspace(data_dir)
    data_dir = workspace.data_dir
    try:
        month_facts = workspace.checked_facts()
    except HearingsError as err:
        raise _fail(err) from err
    ref = reference()
    every = not periods
    if every:
        periods = sorted({Period.parse(path.stem) for path in default_files(data_dir)
                          if MONTH.match(path.stem) and _is_month(path.stem)},
                         key=lambda p: (p.year, p.month))
        if not periods:
            raise click.UsageError(_("no month given and none in {folder}").format(
                folder=data_dir))
    if output_format == "json":
        click.echo(as_json(list(periods), month_facts, ref))
    elif every:
        click.echo(missing_text(list(periods), month_facts, ref))
    else:
        click.echo("\n\n".join(statement_text(period, month_facts, ref)
                                for period in periods))


def _is_month(text: str) -> bool:
    from ..month.reference import Period

    try:
        Period.parse(text)
    except ValueError:
        return False
    return True


@main.command("import", help=N_(
    "Read past months' Word reports (DOCX or DOC files, or folders of them), pair each "
    "month's Russian and Kazakh report by the period their titles state, name every "
    "inconsistency they hold, and write each month as a monthly file in the data folder."),
    options_metavar=N_("[OPTIONS]"))
@click.argument("paths", nargs=-1, required=True, metavar=N_("FILE-OR-FOLDER..."),
                type=click.Path(exists=True, path_type=Path))
@_data_option
@click.option("--from", "source", type=click.Choice(["ru", "kk"]), default="ru",
              show_default=True, help=N_("Whose table the monthly file takes its figures from."))
@click.option("--force", is_flag=True, help=N_("Replace a monthly file that exists."))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print the findings."))
@_lang_option
def import_(paths: tuple[Path, ...], data_dir: Path, source: str, force: bool,
            output_format: str) -> None:
    from ..archive.importing import import_reports
    from ..exceptions import HearingsError
    from .output import import_as_json, import_as_text

    workspace = _workspace(data_dir)
    try:
        result = import_reports(list(paths), workspace, source, force)
    except HearingsError as err:
        raise _fail(err) from err
    click.echo(import_as_json(result) if output_format == "json" else import_as_text(result))
    sys.exit(1 if result.failed else 0)


@main.command(help=N_(
    "Serve editors over stdio as a language server for monthly files: every finding while "
    "the file is typed, quick fixes, and what region and category codes stand for."),
    options_metavar=N_("[OPTIONS]"))
@_lang_option
def lsp() -> None:
    from ..editor.lsp import serve

    serve()


@main.command(help=N_(
    "Say which free texts of a month need the translator: each observation and closing "
    "paragraph, current, outdated (its source changed after it was translated) or not "
    "marked; with --mark, record every text as translated as it stands now."),
    options_metavar=N_("[OPTIONS]"))
@click.argument("month", metavar=N_("MONTH-OR-FILE"))
@_data_option
@click.option("--mark", is_flag=True, help=N_(
    "Record the texts as they stand as translated (after the translator's work)."))
@click.option("--from", "source", type=click.Choice(["ru", "kk"]), default="ru",
              show_default=True, help=N_("The language the texts are translated from."))
@_lang_option
def translated(month: str, data_dir: Path, mark: bool, source: str) -> None:
    from ..files.write import write_atomically
    from ..month.load import LoadError, load
    from ..month.validate import validate_file
    from .output import as_text
    from .translated import mark_text, states

    workspace = _workspace(data_dir)
    path = _month_file(month, workspace.data_dir)
    report = validate_file(path, month_facts=workspace.facts())
    try:
        document = load(path)
    except LoadError:
        click.echo(as_text([report], strict=False))
        sys.exit(1)
    if mark:
        try:
            text, count = mark_text(document, source)
        except ValueError as err:
            raise click.ClickException(_(
                "{place}: a text written as {{ru: ..., kk: ...}} on one line cannot be "
                "marked; write it on lines of its own").format(place=err)) from err
        write_atomically(path, text.encode("utf-8"))
        click.echo(_("{file}: {count} texts marked as translated from {source}").format(
            file=path, count=count, source=source))
        document = load(path)
    names = {"current": _("current"), "outdated": _("outdated: translate it again"),
             "unmarked": _("not marked")}
    outdated = 0
    for state in states(document.data):
        outdated += state.state == "outdated"
        click.echo(f"{path}: {state.kind}[{state.index}] «{state.first_words} …»: "
                   f"{names[state.state]}")
    sys.exit(1 if outdated else 0)
