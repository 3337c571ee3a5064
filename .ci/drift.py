"""Print each package whose installed version differs from its pin in a lock file."""

from __future__ import annotations

import re
import sys
from importlib.metadata import distributions
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

# The environment's own tools: a fresh venv brings its own, and the build uses another.
TOOLS = {"pip", "setuptools", "hearings"}
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ; ([^\\]+?))? \\$", re.MULTILINE)


def main(lock: Path) -> None:
    locked = {canonicalize_name(name): version
              for name, version, marker in PIN.findall(lock.read_text(encoding="utf-8"))
              if not marker or Marker(marker).evaluate()}
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}
    changed = [f"  {name}: {locked.get(name, 'not locked')} -> {version}"
               for name, version in sorted(installed.items())
               if name not in TOOLS and locked.get(name) != version]
    print(f"Installed releases that differ from {lock}:" if changed else
          f"The installed releases are those of {lock}.", *changed, sep="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
