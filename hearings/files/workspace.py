"""Where files are: the folder worked in (data/, reports/, its own templates and schema), and
what the package brings for what the folder does not have."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .cache import remembered
from .limits import UnreadableFile, read_limited

PACKAGE = Path(__file__).resolve().parent.parent
PACKAGED_TEMPLATES = PACKAGE / "templates"
PACKAGED_SCHEMA = PACKAGE / "schema" / "monthly.schema.json"
SCHEMA_NAME = "monthly.schema.json"
PARTS = ("data", "reports", "templates", "schema", "reference")  # what a folder worked in holds
FACTS_SCHEMA_NAME = "facts.schema.json"
CATEGORIES_SCHEMA_NAME = "categories.schema.json"


def shown(path: Path) -> str:
    """A file as messages name it: the folder's own by its path, a packaged one as such
    (never by a path inside the installed package, which the user has no business with)."""
    try:
        inside = Path(os.path.abspath(path)).relative_to(PACKAGE)
    except ValueError:
        return str(path)
    return _("the packaged {name}").format(name=inside.as_posix())


_FACTS: dict[tuple, object] = {}  # a folder's facts, by the state of its reference files


def _state(path: Path) -> bytes | str | None:
    """A reference file as the facts depend on it: its bytes' digest, why it cannot be read,
    or None when there is none."""
    if not os.path.lexists(path):
        return None
    try:
        return hashlib.sha256(read_limited(path)).digest()
    except UnreadableFile as err:
        return str(err)


@dataclass(frozen=True)
class Workspace:
    """A folder of monthly files: data/ in it, reports/ written there; its own
    templates/<lang>/report.docx and schema/monthly.schema.json, where it has them, take
    precedence over the packaged ones (a clerk's edited template is used)."""

    root: Path
    data: Path | None = None  # the folder of monthly files, when not root/data
    from_file: bool = False   # found from a file (an editor's): its files named from the root

    @classmethod
    def here(cls) -> Workspace:
        """The current folder, its paths written relative to it (as messages show them)."""
        return cls(Path("."))

    @classmethod
    def find(cls, data: Path | None = None) -> Workspace:
        """The folder worked in, as git finds its repository: the current folder, or the one
        above whose data/, reports/, templates/, schema/ or reference/ the current folder is
        in (`hearings validate` run inside data/ means the folder that holds it); its path
        relative to the current folder, as messages show it."""
        here = Path.cwd()
        if not (here / "data").is_dir():
            for ancestor in here.parents:
                inside = here.relative_to(ancestor).parts[0]
                if (ancestor / "data").is_dir():
                    if inside in PARTS:
                        return cls(Path(os.path.relpath(ancestor, here)), data)
                    break
        return cls(Path("."), data)

    @classmethod
    def of_file(cls, path: Path) -> Workspace:
        """The folder a file opened in an editor belongs to: the nearest folder above it that
        holds a data/ or a reference/ folder (a file in data/ belongs to the folder that
        holds data/), else the file's own folder."""
        path = Path(os.path.abspath(path))
        for folder in path.parents:
            if (folder / "data").is_dir() or (folder / "reference").is_dir():
                return cls(folder, from_file=True)
        return cls(path.parent, from_file=True)

    @property
    def data_dir(self) -> Path:
        return self.data or self.root / "data"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def facts_file(self) -> Path:
        """The folder's own facts, which take precedence over the packaged ones."""
        return self.root / "reference" / "facts.yaml"

    @property
    def categories_file(self) -> Path:
        """The folder's own categories, added to, changing or retiring the packaged ones."""
        return self.root / "reference" / "categories.yaml"

    def facts(self):
        """The facts its reports state: the folder's file over the package's (see facts),
        with the regions and categories: the folder's own categories over the package's;
        the same object while the folder's files stay as they are (many months share it)."""
        key = (self, *(_state(path) for path in (self.categories_file, self.facts_file)))
        return remembered(_FACTS, key, self._read_facts, size=4)

    def _read_facts(self):
        from dataclasses import replace

        from ..month.categories import folder_reference
        from ..month.facts.dated import facts, folder_facts

        ref, categories = None, None
        if os.path.lexists(self.categories_file):
            ref, categories = folder_reference(self.categories_file,
                                               self._shown(self.categories_file))
        path = self.facts_file
        if os.path.lexists(path):
            found = folder_facts(path, self._shown(path), ref)
        else:
            # the folder's schema, by the path an editor resolves from the file (`hearings
            # schema` writes it): the package's address would name one machine's install
            schema = Path(os.path.relpath(self.facts_schema_file, path.parent)).as_posix()
            found = facts(self._shown(path), f"# yaml-language-server: $schema={schema}")
            if ref is not None:
                found = replace(found, reference=ref)
        return replace(found, categories_report=categories) if categories else found

    def _shown(self, path: Path) -> str:
        """A file of the folder as messages name it: by its path as given, or from the
        folder's root when the folder was found from a file (an editor's), whatever the
        current folder is."""
        return os.path.relpath(path, self.root) if self.from_file else str(path)

    def checked_facts(self):
        """The facts, or FactsFileError with the findings when one of the folder's reference
        files (facts, categories) has errors."""
        from ..commands.output import as_text
        from ..exceptions import FactsFileError

        facts = self.facts()
        for report in facts.reports:
            if report.errors:
                raise FactsFileError(as_text([report], strict=False) + "\n" + _(
                    "{file} has errors: nothing was done until they are fixed").format(
                        file=report.file))
        return facts

    @property
    def schema_file(self) -> Path:
        """The folder's own schema, which `hearings schema` writes for editors."""
        return self.root / "schema" / SCHEMA_NAME

    @property
    def categories_schema_file(self) -> Path:
        """The schema of the folder's categories file, for editors."""
        return self.root / "schema" / CATEGORIES_SCHEMA_NAME

    @property
    def facts_schema_file(self) -> Path:
        """The schema of the folder's facts file, for editors."""
        return self.root / "schema" / FACTS_SCHEMA_NAME

    def template(self, lang: str, name: str = "report") -> Path:
        """A month's template (report), or the year's (year): the folder's own wherever
        anything stands under its name (a folder or a broken link there is refused when it
        is read, never passed over for the packaged one)."""
        own = self.root / "templates" / lang / f"{name}.docx"
        return own if os.path.lexists(own) else PACKAGED_TEMPLATES / lang / f"{name}.docx"

    def schema_reference(self, data_file: Path, name: str = SCHEMA_NAME) -> str:
        """What a monthly (or facts) file's `$schema=` names: the folder's own schema by a
        path relative to the file (editors resolve it from there), else the packaged one by
        its address."""
        own = self.root / "schema" / name
        if own.is_file():
            return Path(os.path.relpath(own, data_file.parent)).as_posix()
        return (PACKAGE / "schema" / name).as_uri()
