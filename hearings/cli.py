"""The command line: parses options and hands each command to its module."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Monthly report on public-hearing announcements and protocols, in Russian and Kazakh."""


@main.command()
@click.argument("files", nargs=-1,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]),
              default="text", show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
def validate(files: tuple[Path, ...], output_format: str, strict: bool) -> None:
    """Check monthly files (default: every data/*.yaml); exit 1 if any is invalid."""
    from .exceptions import HearingsError
    from .output import FORMATS
    from .validate import default_files, validate_file

    files = files or tuple(default_files())
    if not files:
        raise click.UsageError("no monthly files given and none in data/ (data/YYYY-MM.yaml)")
    try:
        reports = [validate_file(path) for path in files]
    except HearingsError as err:
        raise click.ClickException(str(err)) from err
    click.echo(FORMATS[output_format](reports, strict))
    sys.exit(0 if all(report.valid(strict) for report in reports) else 1)


@main.command()
@click.option("--check", is_flag=True,
              help="Only report whether schema/ matches the reference data; exit 1 if not.")
def schema(check: bool) -> None:
    """Write schema/monthly.schema.json from the reference data."""
    from .reference import reference
    from .schema import SCHEMA_FILE, schema_text
    from .write import write_atomically

    text = schema_text(reference())
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else None
    if check:
        if current != text:
            raise click.ClickException(f"{SCHEMA_FILE} is out of date: run "
                                       "`python build.py schema`")
        click.echo(f"{SCHEMA_FILE}: up to date")
        return
    if current == text:
        click.echo(f"{SCHEMA_FILE}: unchanged")
        return
    write_atomically(SCHEMA_FILE, text.encode("utf-8"))
    click.echo(f"{SCHEMA_FILE}: written")
