"""Where files are: the folder worked in (data/, reports/, its own templates and schema), and
what the package brings for what the folder does not have."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import _

PACKAGE = Path(__file__).resolve().parent
PACKAGED_TEMPLATES = PACKAGE / "templates"
PACKAGED_SCHEMA = PACKAGE / "schema" / "monthly.schema.json"
SCHEMA_NAME = "monthly.schema.json"


def shown(path: Path) -> str:
    """A file as messages name it: the folder's own by its path, a packaged one as such
    (never by a path inside the installed package, which the user has no business with)."""
    try:
        inside = Path(os.path.abspath(path)).relative_to(PACKAGE)
    except ValueError:
        return str(path)
    return _("the packaged {name}").format(name=inside.as_posix())


@dataclass(frozen=True)
class Workspace:
    """A folder of monthly files: data/ in it, reports/ written there; its own
    templates/<lang>/report.docx and schema/monthly.schema.json, where it has them, take
    precedence over the packaged ones (a clerk's edited template is used)."""

    root: Path
    data: Path | None = None  # the folder of monthly files, when not root/data

    @classmethod
    def here(cls) -> Workspace:
        """The current folder, its paths written relative to it (as messages show them)."""
        return cls(Path("."))

    @property
    def data_dir(self) -> Path:
        return self.data or self.root / "data"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def schema_file(self) -> Path:
        """The folder's own schema, which `hearings schema` writes for editors."""
        return self.root / "schema" / SCHEMA_NAME

    def template(self, lang: str, name: str = "report") -> Path:
        """A month's template (report), or the year's (year): the folder's own wherever
        anything stands under its name (a folder or a broken link there is refused when it
        is read, never passed over for the packaged one)."""
        own = self.root / "templates" / lang / f"{name}.docx"
        return own if os.path.lexists(own) else PACKAGED_TEMPLATES / lang / f"{name}.docx"

    def schema_reference(self, data_file: Path) -> str:
        """What a monthly file's `$schema=` names: the folder's own schema by a path relative
        to the file (editors resolve it from there), else the packaged one by its address."""
        if self.schema_file.is_file():
            return Path(os.path.relpath(self.schema_file, data_file.parent)).as_posix()
        return PACKAGED_SCHEMA.as_uri()
