"""`python -m hearings`: the command line, as the `hearings` command."""

from .commands.cli import run

run(prog_name="hearings")
