"""The command line: parses options and hands each command to its module; every word of it,
help included, in the language chosen (click's own through its gettext hook, see i18n)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..i18n import N_, _
from ..month.findings import WARNING_CODES
from .options import (
    Group,
    data_option,
    find_workspace,
    lang_option,
    month_file,
    period_argument,
    period_arguments,
    say,
    span_argument,
    writing_options,
)

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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Monthly report on public-hearing announcements and protocols, in "
                     "Russian and Kazakh."), epilog=EPILOG, options_metavar=N_("[OPTIONS]"),
             subcommand_metavar=N_("COMMAND [ARGS]..."))
@click.version_option(package_name="hearings", prog_name="hearings",
                      message="%(prog)s %(version)s",
                      help=N_("Show the version and exit."))
@lang_option
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
@data_option
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help=N_("How to print the findings."))
@click.option("--strict", is_flag=True, help=N_("Fail on warnings as well as errors."))
@click.option("--allow", "allowed", multiple=True, metavar=N_("CODE"),
              type=click.Choice(WARNING_CODES),
              help=N_("With --strict, let warnings of this code pass (repeatable)."))
@lang_option
def validate(files: tuple[str, ...], data_dir: Path, output_format: str, strict: bool,
             allowed: tuple[str, ...]) -> None:
    from ..month.tally import register_reports
    from ..month.validate import default_files, validate_file
    from .output import FORMATS

    workspace = find_workspace(data_dir)
    data_dir = workspace.data_dir
    paths = [month_file(value, data_dir) for value in files] or default_files(data_dir)
    if not paths:
        raise click.UsageError(_("no monthly files given and none in {folder}").format(
            folder=data_dir))
    month_facts = workspace.facts()
    reports = []
    for path in paths:
        reports.append(validate_file(path, month_facts=month_facts))
        reports += register_reports(path, month_facts)
    # the folder's own facts and categories files, checked like a month
    reports[:0] = month_facts.reports
    for report in reports:
        report.allowed = frozenset(allowed)
    click.echo(FORMATS[output_format](reports, strict))
    sys.exit(0 if all(report.valid(strict) for report in reports) else 1)


@main.command(help=N_("Build the Russian and Kazakh reports of a month (default: the newest "
                      "in the data folder), of several months, or of all (--all), on every "
                      "core."), options_metavar=N_("[OPTIONS]"))
@click.argument("months", nargs=-1, metavar=N_("[MONTH-OR-FILE]..."))
@data_option
@click.option("--all", "every", is_flag=True, help=N_("Build every month in the data folder."))
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help=N_("Months built at once with several months (default: one per core)."))
@writing_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print what was done."))
@click.option("--strict", is_flag=True,
              help=N_("Write nothing when the file has warnings (as validate --strict)."))
@click.option("--previous", metavar=N_("MONTH-OR-FILE"), default=None,
              help=N_("The month before, for the comparison (default: the data folder's)."))
@lang_option
def build(months: tuple[str, ...], data_dir: Path, every: bool, jobs: int | None,
          reports_dir: Path, output_format: str, pdf: bool, force: bool, strict: bool,
          previous: str | None, keep: int) -> None:
    import contextlib

    from ..files.pdf import early_conversion
    from .output import build_as_json, build_as_text

    workspace = find_workspace(data_dir)
    data_dir, reports_dir = workspace.data_dir, reports_dir or workspace.reports_dir
    if every:
        if months:
            raise click.UsageError(_("give months or --all, not both"))
        from ..month.validate import default_files

        months = tuple(str(path) for path in default_files(data_dir))
    elif not months:  # the newest file named after a month: a copy's name is no month
        from ..month.validate import newest_month

        months = tuple(str(path) for path in newest_month(data_dir))
    if not months:
        raise click.UsageError(_("no monthly file given and none in {folder}").format(
            folder=data_dir))
    data_files = [month_file(month, data_dir) for month in months]
    if len(data_files) > 1 or every:
        if previous:
            raise click.UsageError(_("--previous is for one month; with several, each month's "
                                     "previous one comes from the data folder"))
        from ..files.batch import build_many, jobs_default  # worker pools: 10 ms of imports
        from .progress import follow

        batch = build_many(data_files, reports_dir, jobs=jobs or jobs_default(),
                           workspace=workspace,
                           options=dict(force=force, pdf=pdf, strict=strict, keep=keep))
        sys.exit(follow(batch, data_files, output_format, strict))
    before = month_file(previous, data_dir) if previous else None
    # LibreOffice starts first: its start overlaps the rest of the imports and the build
    early = early_conversion(data_files[0]) if pdf else None
    with early or contextlib.nullcontext():
        from ..documents.report import build as build_reports

        outcome = build_reports(data_files[0], reports_dir, force=force, pdf=pdf,
                                strict=strict, previous=before, keep=keep, workspace=workspace,
                                early=early)
    show = build_as_json if output_format == "json" else build_as_text
    click.echo(show(outcome, strict))
    if not outcome.report.valid(strict):
        if output_format == "text":
            click.echo(_("nothing was written"), err=True)
        sys.exit(1)


@main.command(help=N_("Write the figures of every valid month (default: all in the data "
                      "folder) as open data: CSV, XLSX and a Frictionless data package."),
              options_metavar=N_("[OPTIONS]"))
@click.argument("months", nargs=-1, metavar=N_("[MONTH-OR-FILE]..."))
@data_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, show_default="reports/open-data", metavar=N_("FOLDER"),
              help=N_("Where the open-data files are written."))
@click.option("--force", is_flag=True, help=N_(
    "Replace an export that holds months this one does not."))
@lang_option
def export(months: tuple[str, ...], data_dir: Path, out_dir: Path, force: bool) -> None:
    from ..files.export import export as export_months
    from ..month.validate import default_files
    from .output import export_as_text

    workspace = find_workspace(data_dir)
    data_dir = workspace.data_dir
    out_dir = out_dir or workspace.reports_dir / "open-data"
    files = [month_file(month, data_dir) for month in months] or default_files(data_dir)
    if not files:
        raise click.UsageError(_("no monthly files given and none in {folder}").format(
            folder=data_dir))
    outcome = export_months(files, out_dir, force=force,
                            month_facts=workspace.checked_facts())
    say(export_as_text(outcome))
    if not outcome.files:
        click.echo(_("no valid month: nothing was written"), err=True)
    sys.exit(1 if outcome.left_out else 0)


@main.command(help=N_("Build the report of a year (2021) or a quarter (2021-Q3) from its "
                      "monthly files, in Russian and Kazakh."), options_metavar=N_("[OPTIONS]"))
@click.argument("span", callback=span_argument, metavar=N_("YEAR-OR-QUARTER"))
@data_option
@writing_options
@click.option("--partial", is_flag=True,
              help=N_("Build from the months there are when some are missing or invalid "
                      "(the report says which it covers)."))
@lang_option
def year(span, data_dir: Path, reports_dir: Path, partial: bool, pdf: bool, force: bool,
         keep: int) -> None:
    from ..documents.year import build_year
    from ..files.pdf import libreoffice
    from .output import year_as_text

    workspace = find_workspace(data_dir)
    if pdf:
        libreoffice()
    outcome = build_year(span, workspace.data_dir, reports_dir or workspace.reports_dir,
                         partial=partial, force=force, pdf=pdf, keep=keep,
                         workspace=workspace)
    click.echo(year_as_text(span, outcome))


@main.command(help=N_("Derive a month's counts from its register of publications "
                      "(data/MONTH.register.csv, or an XLSX workbook) under the Rules of the "
                      "month, and write them into its monthly file, comments and texts kept."),
              options_metavar=N_("[OPTIONS]"))
@click.argument("month", metavar=N_("MONTH-OR-FILE"))
@data_option
@click.option("--check", is_flag=True,
              help=N_("Write nothing; list each difference, exit 1 if there is one."))
@lang_option
def tally(month: str, data_dir: Path, check: bool) -> None:
    from .tally import tally_month

    workspace = find_workspace(data_dir)
    path = month_file(month, workspace.data_dir)
    outcome = tally_month(path, workspace, check)
    say("\n".join(outcome.lines))
    if outcome.written:
        click.echo(_("{path}: {count} figure(s) written from its register").format(
            path=path, count=outcome.differences))
    elif not outcome.differences:
        click.echo(_("{path}: every figure is what its register derives").format(path=path))
    elif check:
        sys.exit(1)


@main.command(help=N_("Print how every figure changed from one month to another."),
              options_metavar=N_("[OPTIONS]"))
@click.argument("before", metavar=N_("MONTH-OR-FILE"))
@click.argument("after", metavar=N_("MONTH-OR-FILE"))
@data_option
@lang_option
def compare(before: str, after: str, data_dir: Path) -> None:
    from ..month.model import month_from
    from ..month.validate import check_file
    from .compare import compare_text
    from .output import as_text

    workspace = find_workspace(data_dir)
    data_dir = workspace.data_dir
    month_facts = workspace.checked_facts()
    months = []
    for path in (month_file(before, data_dir), month_file(after, data_dir)):
        report, context = check_file(path, month_facts=month_facts)
        if report.errors:
            click.echo(as_text([report], strict=False))
            sys.exit(1)
        months.append(month_from(context.data, context.reference))
    click.echo(compare_text(*months))


@main.command(help=N_("Create the file of a month in the data folder: every region in force "
                      "at zero, ready to fill in."), options_metavar=N_("[OPTIONS]"))
@click.argument("period", callback=period_argument, metavar=N_("MONTH"))
@data_option
@click.option("--register", "with_register", is_flag=True,
              help=N_("Also write the month's empty register of publications (CSV: its header "
                      "and a commented example row), for `hearings tally`."))
@lang_option
def new(period, data_dir: Path, with_register: bool) -> None:
    from .new import new_month, new_register
    from .output import new_as_text

    workspace = find_workspace(data_dir)
    path, source, warnings, unknown, renamed = new_month(period, workspace.data_dir,
                                                         workspace)
    click.echo(new_as_text(path, source, warnings, unknown, renamed))
    if with_register:
        click.echo(_("{path}: written, its header and an example row to replace").format(
            path=new_register(period, workspace.data_dir)))


@main.command(help=N_("Write schema/monthly.schema.json, schema/facts.schema.json and "
                      "schema/categories.schema.json from the reference data (with the "
                      "folder's own categories), for editors."), options_metavar=N_("[OPTIONS]"))
@click.option("--check", is_flag=True,
              help=N_("Only report whether schema/ matches the reference data; exit 1 if not."))
@lang_option
def schema(check: bool) -> None:
    from ..files.schemas import OUT_OF_DATE, UNCHANGED, UP_TO_DATE, WRITTEN, update_schemas
    from ..files.workspace import Workspace

    states = update_schemas(Workspace.find(), check)
    said = {UP_TO_DATE: _("{path}: up to date"), UNCHANGED: _("{path}: unchanged"),
            WRITTEN: _("{path}: written")}
    for path, state in states:
        if state in said:
            click.echo(said[state].format(path=path))
    stale = [path for path, state in states if state == OUT_OF_DATE]
    if stale:
        raise click.ClickException("; ".join(_("{path} is out of date: run `hearings schema`")
                                             .format(path=path) for path in stale))


@main.command(help=N_("Print what a month's reports will state: the ministry, the Rules and "
                      "their clauses, the departments, the regions, each with where it comes "
                      "from, and what is not known; without a month, what is missing for "
                      "every month in the data folder."), options_metavar=N_("[OPTIONS]"))
@click.argument("periods", nargs=-1, callback=period_arguments,
                metavar=N_("[MONTH]..."))
@data_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print the facts."))
@lang_option
def facts(periods, data_dir: Path, output_format: str) -> None:
    from ..month.facts.stated import as_json, missing_text, statement_text
    from ..month.validate import months_in

    workspace = find_workspace(data_dir)
    data_dir = workspace.data_dir
    month_facts = workspace.checked_facts()
    ref = month_facts.reference
    every = not periods
    if every:
        periods = months_in(data_dir)
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


@main.command("import", help=N_(
    "Read past months' Word reports (DOCX or DOC files, or folders of them), pair each "
    "month's Russian and Kazakh report by the period their titles state, name every "
    "inconsistency they hold, and write each month as a monthly file in the data folder."),
    options_metavar=N_("[OPTIONS]"))
@click.argument("paths", nargs=-1, required=True, metavar=N_("FILE-OR-FOLDER..."),
                type=click.Path(exists=True, path_type=Path))
@data_option
@click.option("--from", "source", type=click.Choice(["ru", "kk"]), default="ru",
              show_default=True, help=N_("Whose table the monthly file takes its figures from."))
@click.option("--force", is_flag=True, help=N_("Replace a monthly file that exists."))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help=N_("How to print the findings."))
@lang_option
def import_(paths: tuple[Path, ...], data_dir: Path, source: str, force: bool,
            output_format: str) -> None:
    from ..archive.importing import import_reports
    from .output import import_as_json, import_as_text

    workspace = find_workspace(data_dir)
    result = import_reports(list(paths), workspace, source, force)
    click.echo(import_as_json(result) if output_format == "json" else import_as_text(result))
    sys.exit(1 if result.failed else 0)


@main.command(help=N_(
    "Serve editors over stdio as a language server for monthly files: every finding while "
    "the file is typed, quick fixes, and what region and category codes stand for."),
    options_metavar=N_("[OPTIONS]"))
@lang_option
def lsp() -> None:
    from ..editor.lsp import serve

    serve()


@main.command(help=N_(
    "Say which free texts of a month need the translator: each observation and closing "
    "paragraph, current, outdated (its source changed after it was translated) or not "
    "marked; with --mark, record every text as translated as it stands now."),
    options_metavar=N_("[OPTIONS]"))
@click.argument("month", metavar=N_("MONTH-OR-FILE"))
@data_option
@click.option("--mark", is_flag=True, help=N_(
    "Record the texts as they stand as translated (after the translator's work)."))
@click.option("--from", "source", type=click.Choice(["ru", "kk"]), default="ru",
              show_default=True, help=N_("The language the texts are translated from."))
@lang_option
def translated(month: str, data_dir: Path, mark: bool, source: str) -> None:
    from ..files.write import write_atomically
    from ..month.load import LoadError, load
    from ..month.translated import mark_text, states
    from ..month.validate import validate_file
    from .output import as_text, translations_as_text

    workspace = find_workspace(data_dir)
    path = month_file(month, workspace.data_dir)
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
    found = states(document.data)
    say(translations_as_text(path, found))
    sys.exit(1 if any(state.state == "outdated" for state in found) else 0)
