#!/usr/bin/env python3
"""The command line of the monthly public-hearings report: `python build.py --help`."""

from hearings.commands.process import run

if __name__ == "__main__":
    run()
