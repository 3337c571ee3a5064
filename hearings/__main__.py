"""`python -m hearings`: the command line, as the `hearings` command."""

from .cli import main

main(prog_name="hearings")
