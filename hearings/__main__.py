"""`python -m hearings`: the command line, as the `hearings` command."""

from .commands.cli import main

main(prog_name="hearings")
