"""The command line: parses options and hands each command to its module."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .findings import WARNING_CODES
from .i18n import MESSAGE_LANGUAGES, _, language_from_environment, set_language


def _period(context, parameter, value):
    from .reference import Period

    try:
        return Period.parse(value)
    except ValueError as err:
        raise click.BadParameter(_("{value} is not a month written YYYY-MM").format(
            value=repr(value))) from err


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hearings", message="%(prog)s %(version)s")
@click.option("--lang", type=click.Choice(MESSAGE_LANGUAGES), default=None,
              help="Language of messages (default: from LANG / LC_ALL, else en).")
def main(lang: str | None) -> None:
    """Monthly report on public-hearing announcements and protocols, in Russian and Kazakh."""
    set_language(lang or language_from_environment())


@main.command()
@click.argument("files", nargs=-1,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("--allow", "allowed", multiple=True, metavar="CODE",
              type=click.Choice(WARNING_CODES),
              help="With --strict, let warnings of this code pass (repeatable).")
def validate(files: tuple[Path, ...], output_format: str, strict: bool,
             allowed: tuple[str, ...]) -> None:
    """Check monthly files (default: every data/*.yaml); exit 1 if any is invalid."""
    from .exceptions import HearingsError
    from .output import FORMATS
    from .validate import default_files, validate_file

    files = files or tuple(default_files())
    if not files:
        raise click.UsageError(_("no monthly files given and none in data/ (data/YYYY-MM.yaml)"))
    try:
        reports = [validate_file(path) for path in files]
        for report in reports:
            report.allowed = frozenset(allowed)
    except HearingsError as err:
        raise click.ClickException(str(err)) from err
    click.echo(FORMATS[output_format](reports, strict))
    sys.exit(0 if all(report.valid(strict) for report in reports) else 1)


@main.command()
@click.argument("data_file", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pdf", is_flag=True, help="Also convert both reports to PDF (LibreOffice).")
@click.option("--force", is_flag=True,
              help="Replace reports whose content changed; the previous files are kept.")
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True, help="Where reports are written.")
@click.option("--strict", is_flag=True,
              help="Write nothing when the file has warnings, a missing signatory among them.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="The month before, for the comparison "
              "(default: data/<month before>.yaml).")
@click.option("--keep", type=click.IntRange(min=0), default=3, show_default=True,
              help="Sets of previous files (DOCX and PDF of one build) kept per month.")
def build(data_file: Path | None, pdf: bool, force: bool, reports_dir: Path,
          strict: bool, previous: Path | None, keep: int) -> None:
    """Build the Russian and Kazakh reports of a month (default: the newest in data/)."""
    from .exceptions import HearingsError
    from .output import as_text
    from .report import build as build_reports
    from .validate import default_files

    if data_file is None:
        files = default_files()
        if not files:
            raise click.UsageError(_("no monthly file given and none in data/"))
        data_file = files[-1]
    try:
        outcome = build_reports(data_file, reports_dir, force=force, pdf=pdf, strict=strict,
                                previous=previous, keep=keep)
    except HearingsError as err:
        raise click.ClickException(str(err)) from err
    click.echo(as_text([outcome.report], strict=strict))
    if not outcome.report.valid(strict):
        click.echo(_("nothing was written"), err=True)
        sys.exit(1)
    for note in outcome.notes:
        click.echo(_("note: {note}").format(note=note))
    for path, status in outcome.files:
        click.echo(f"{path}: {status}")


@main.command()
@click.argument("before", callback=_period)
@click.argument("after", callback=_period)
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data"), show_default=True, help="Where monthly files are.")
def compare(before, after, data_dir: Path) -> None:
    """Print how every figure changed from month BEFORE to month AFTER."""
    from .compare import compare_text
    from .model import month_from
    from .output import as_text
    from .reference import reference
    from .validate import check_file

    months = []
    for period in (before, after):
        path = data_dir / f"{period}.yaml"
        if not path.exists():
            raise click.ClickException(_("{path} does not exist").format(path=path))
        report, context = check_file(path)
        if report.errors:
            click.echo(as_text([report], strict=False))
            sys.exit(1)
        months.append(month_from(context.data, reference()))
    click.echo(compare_text(*months))


@main.command()
@click.argument("period", callback=_period)
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data"), show_default=True, help="Where monthly files are.")
def new(period, data_dir: Path) -> None:
    """Create data/PERIOD.yaml: every region in force at zero, ready to fill in."""
    from .exceptions import HearingsError
    from .new import new_month

    try:
        path, source, warnings = new_month(period, data_dir)
    except HearingsError as err:
        raise click.ClickException(str(err)) from err
    from .output import finding_line

    for warning in warnings:
        click.echo(finding_line(warning))
    if source:
        click.echo(_("{path}: created; signatory and executor carried over from {source}")
                   .format(path=path, source=source))
    else:
        click.echo(_("{path}: created; add the signatory and executor before the reports are "
                     "signed").format(path=path))


@main.command()
@click.option("--check", is_flag=True,
              help="Only report whether schema/ matches the reference data; exit 1 if not.")
def schema(check: bool) -> None:
    """Write schema/monthly.schema.json from the reference data, for editors."""
    from .reference import reference
    from .schema import schema_text
    from .workspace import Workspace
    from .write import write_atomically

    path = Workspace.here().schema_file
    text = schema_text(reference())
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if check:
        if current != text:
            raise click.ClickException(f"{path} is out of date: run `hearings schema`")
        click.echo(f"{path}: up to date")
        return
    if current == text:
        click.echo(f"{path}: unchanged")
        return
    write_atomically(path, text.encode("utf-8"))
    click.echo(f"{path}: written")
