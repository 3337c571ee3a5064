"""`python -m hearings`: the command line, as the `hearings` command."""

from .commands.process import run

run(prog_name="hearings")
