"""The command line's own parts: commands whose help speaks the chosen language and whose
unforeseen faults are messages, the options several commands share, and how a month, a year or
a quarter given on the command line is read."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import click

from ..i18n import MESSAGE_LANGUAGES, N_, _, language_from_environment, set_language
from ..month.reference import MONTH_PATTERN

MONTH = re.compile(MONTH_PATTERN)


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


def use_language(ctx, param, value) -> None:
    if value is not None or ctx.parent is None:  # the command's own --lang, else the default
        set_language(value or language_from_environment())


def lang_option(function):
    return click.option(
        "--lang", type=click.Choice(MESSAGE_LANGUAGES), envvar="HEARINGS_LANG",
        is_eager=True, expose_value=False, callback=use_language,
        help=N_("Language of messages and help: en, ru or kk (default: HEARINGS_LANG, "
                "then LANG / LC_ALL, else en); before or after the command."))(function)


def data_option(function):
    return click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, show_default="data", metavar=N_("FOLDER"),
                        help=N_("The folder of monthly files."))(function)


def writing_options(function):
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


def find_workspace(data_dir: Path | None):
    """The folder worked in (found as git finds its repository), with --data if given."""
    from ..files.workspace import Workspace

    return Workspace.find(data_dir)


def month_file(value: str, data_dir: Path) -> Path:
    """A month (2020-08: data/2020-08.yaml) or a file's path; a usage error when missing."""
    path = data_dir / f"{value}.yaml" if MONTH.match(value) else Path(value)
    if not path.is_file():
        raise click.UsageError(_("{path} does not exist").format(path=path))
    return path


def _parsed(parse, value: str, message: str):
    try:
        return parse(value)
    except ValueError as err:
        raise click.BadParameter(message.format(value=repr(value))) from err


def period_argument(context, parameter, value):
    from ..month.reference import Period

    return _parsed(Period.parse, value, _(
        "{value} is not a month: write it YYYY-MM, the month from 01 to 12"))


def period_arguments(context, parameter, values):
    return tuple(period_argument(context, parameter, value) for value in values)


def span_argument(context, parameter, value):
    from ..documents.year import Span

    return _parsed(Span.parse, value, _(
        "{value} is not a year or a quarter: write it YYYY or YYYY-Q1 to YYYY-Q4"))


def say(text: str) -> None:
    """Lines for the terminal; none at all when there are none (never an empty line)."""
    if text:
        click.echo(text)
